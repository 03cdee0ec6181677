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
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"
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
	int64		batch_id;
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

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("batch <NULL> is not an open batch of yours"),
				 errhint("Open a batch with credit.open_batch(item_code, file_name), load it with COPY credit.collection_load, collect it once, as the role that opened it.")));
	batch_id = PG_GETARG_INT64(0);
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

/*
 * Loading a batch: COPY credit.collection_load (a view: PostgreSQL refuses
 * COPY FROM into a table with row security) keeps each line in backend
 * memory (collection_load_keep, the view's INSTEAD OF row trigger, in C),
 * and the view's statement trigger stores them all in collection_staging
 * with one INSERT as the calling role (credit.collection_load_lines(), so
 * the policies check every line).  The lines kept are forgotten when the
 * statement's (sub)transaction ends in any way; taken once.
 */
static Tuplestorestate *load_lines = NULL;
static TupleDesc load_desc = NULL;
static SubTransactionId load_subid = InvalidSubTransactionId;	/* kept in */
static bool load_callbacks = false;

static void
load_forget(void)
{
	/* their memory (TopTransactionContext) goes with the transaction */
	load_lines = NULL;
	load_desc = NULL;
}

static void
load_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT
		|| event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT
		|| event == XACT_EVENT_PREPARE)
		load_forget();
}

static void
load_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					  SubTransactionId parentSubid, void *arg)
{
	/* the statement that kept them failed: they are not stored (a
	 * subtransaction begun and rolled back within it leaves them) */
	if (event == SUBXACT_EVENT_ABORT_SUB && load_lines != NULL && load_subid >= mySubid)
		load_forget();
}

PG_FUNCTION_INFO_V1(collection_load_keep);
Datum
collection_load_keep(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_INSTEAD(trigdata->tg_event)
		|| !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "collection_load_keep: must fire INSTEAD OF INSERT FOR EACH ROW");
	if (!load_callbacks)
	{
		RegisterXactCallback(load_xact_callback, NULL);
		RegisterSubXactCallback(load_subxact_callback, NULL);
		load_callbacks = true;
	}
	if (load_lines == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);

		load_lines = tuplestore_begin_heap(false, false, work_mem);
		load_desc = CreateTupleDescCopy(RelationGetDescr(trigdata->tg_relation));
		load_subid = GetCurrentSubTransactionId();
		MemoryContextSwitchTo(old);
	}
	tuplestore_puttuple(load_lines, trigdata->tg_trigtuple);
	return PointerGetDatum(trigdata->tg_trigtuple);
}

/*
 * credit.collection_load_lines() RETURNS SETOF credit.collection_load: the
 * lines this statement kept, in the order they came, once.
 */
PG_FUNCTION_INFO_V1(collection_load_lines);
Datum
collection_load_lines(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) || !(rsinfo->allowedModes & SFRM_Materialize)
		|| rsinfo->expectedDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("credit.collection_load_lines() must be called in FROM")));
	rsinfo->returnMode = SFRM_Materialize;
	if (load_lines == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);

		rsinfo->setResult = tuplestore_begin_heap(false, false, work_mem);
		MemoryContextSwitchTo(old);
	}
	else
	{
		if (load_desc->natts != rsinfo->expectedDesc->natts)
			elog(ERROR, "collection_load_lines: %d columns kept, %d expected",
				 load_desc->natts, rsinfo->expectedDesc->natts);
		rsinfo->setResult = load_lines;
		load_lines = NULL;		/* the executor ends it */
		load_desc = NULL;
	}
	rsinfo->setDesc = rsinfo->expectedDesc;
	PG_RETURN_NULL();
}
