/*
 * collection.c: credit.collect(batch_id), the batch being collected, and
 * the record trigger that trusts the columns collect computed.
 *
 * credit.collect() notes the batch in backend memory, runs the batch's
 * checks and INSERT (the PL/pgSQL credit.collection_run, as the calling
 * role) and forgets the batch when the call ends, by error too.  While it
 * runs, credit.collecting() returns the batch: the INSERT of the good rows
 * computes each record's derived columns set-based (subject, category,
 * disclosure, publicity period), and the trigger record_accepted lets such
 * a row skip credit.record_before_insert.  Nothing else sets the batch: no
 * GUC, no SQL-callable setter, so a department cannot make its own INSERT
 * skip the record's rules (a plain INSERT, whatever it gives, goes through
 * record_before_insert).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/rel.h"

/* the batch credit.collect() is collecting, 0 outside it */
static int64 collecting_batch = 0;

/*
 * credit.collect(batch_id bigint) RETURNS credit.collection_batch
 */
PG_FUNCTION_INFO_V1(collection_collect);
Datum
collection_collect(PG_FUNCTION_ARGS)
{
	int64		batch_id = PG_GETARG_INT64(0);
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	Datum		result = (Datum) 0;
	bool		isnull = true;
	int			ret;

	if (collecting_batch != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("batch " INT64_FORMAT " is being collected: a batch is collected by one call at a time",
						collecting_batch),
				 errhint("Collect each batch with its own call of credit.collect(batch_id).")));

	values[0] = Int64GetDatum(batch_id);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "collect: SPI_connect failed");
	collecting_batch = batch_id;
	PG_TRY();
	{
		ret = SPI_execute_with_args("SELECT credit.collection_run($1)", 1, argtypes, values, NULL, false, 1);
		if (ret != SPI_OK_SELECT || SPI_processed != 1 || SPI_tuptable->tupdesc->natts != 1)
			elog(ERROR, "collect: credit.collection_run returned %d", ret);
		result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			result = SPI_datumTransfer(result, false, -1);
	}
	PG_FINALLY();
	{
		collecting_batch = 0;
	}
	PG_END_TRY();
	SPI_finish();
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}

/*
 * credit.collecting() RETURNS bigint: the batch credit.collect() is
 * collecting now, NULL outside it.
 */
PG_FUNCTION_INFO_V1(collection_collecting);
Datum
collection_collecting(PG_FUNCTION_ARGS)
{
	if (collecting_batch == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(collecting_batch);
}

/*
 * Trigger record_accepted, BEFORE INSERT on credit.record, WHEN
 * (credit.collecting() IS NOT NULL AND NEW.subject_id IS NOT NULL): a row
 * of credit.collect's INSERT whose derived columns it computed.  Sets
 * what record_before_insert sets for every new record that the INSERT
 * cannot (the lineage is the record itself); refuses anything else.
 */
PG_FUNCTION_INFO_V1(collection_record_accepted);
Datum
collection_record_accepted(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	tupdesc;
	HeapTuple	tuple;
	int			id_col,
				lineage_col,
				corrects_col;
	bool		isnull;
	Datum		id;
	int			cols[1];
	Datum		vals[1];
	bool		nulls[1] = {false};

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event)
		|| !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "record_accepted: must fire BEFORE INSERT FOR EACH ROW");
	tupdesc = RelationGetDescr(trigdata->tg_relation);
	tuple = trigdata->tg_trigtuple;

	/* the WHEN clause, again: the trigger cannot be fired another way */
	if (collecting_batch == 0)
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("a record is accepted as computed only inside credit.collect")));

	id_col = SPI_fnumber(tupdesc, "record_id");
	lineage_col = SPI_fnumber(tupdesc, "lineage_id");
	corrects_col = SPI_fnumber(tupdesc, "corrects");
	if (id_col <= 0 || lineage_col <= 0 || corrects_col <= 0)
		elog(ERROR, "record_accepted: credit.record lacks record_id, lineage_id or corrects");

	(void) heap_getattr(tuple, corrects_col, tupdesc, &isnull);
	if (!isnull)
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("a collected record is a new record, not a correction")));
	id = heap_getattr(tuple, id_col, tupdesc, &isnull);
	if (isnull)
		elog(ERROR, "record_accepted: record_id is null");

	cols[0] = lineage_col;
	vals[0] = id;
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, tupdesc, 1, cols, vals, nulls));
}
