/*
 * collection.c: credit.collect(batch_id), the batch being collected, the
 * record trigger that trusts the columns collect computed, and the
 * batch's INSERT into credit.record with its foreign keys checked once for
 * the batch.
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
 *
 * credit.collection_store(batch_id), only inside credit.collect for that
 * batch, runs that INSERT (its text from credit.collection_store_sql(), as
 * the calling role: row security, constraints and every other trigger
 * apply) with the per-row foreign-key triggers of credit.record's four
 * foreign keys disabled for that one statement (an ExecutorStart hook,
 * armed only around the SPI call, disables them in the statement's own copy
 * of the trigger list), and then checks those keys once for the batch,
 * exactly as the triggers would have: each distinct key of the rows
 * inserted must be a row of the referenced table, locked FOR KEY SHARE, as
 * the referenced table's owner without row security (docs/decisions.md).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "collection.h"
#include "spi_query.h"

/* work_mem (kB) credit.collect() gives its statements at least */
#define COLLECT_WORK_MEM 65536

/* the batch credit.collect() is collecting, 0 outside it */
static int64 collecting_batch = 0;

/* the batch credit.collection_store() stored, and how many records, inside credit.collect() */
static int64 stored_batch = 0;
static int64 stored_count = 0;

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
	int			gucs;

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

	/*
	 * The batch's sorts and hashes in memory: work_mem at least
	 * COLLECT_WORK_MEM for the call (restored when it ends, by error too).
	 */
	gucs = NewGUCNestLevel();
	if (work_mem < COLLECT_WORK_MEM)
		(void) set_config_option("work_mem", CppAsString2(COLLECT_WORK_MEM), PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
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
		stored_batch = 0;
		stored_count = 0;
	}
	PG_END_TRY();
	AtEOXact_GUC(true, gucs);
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

/*
 * The batch's INSERT into credit.record (credit.collection_store).
 *
 * The foreign keys of credit.record whose per-row check triggers the one
 * INSERT of credit.collection_store runs without, and how they are checked
 * instead: the referenced table and column.  A foreign key added to
 * credit.record later and not listed here keeps its per-row trigger.
 */
typedef struct StoreKey
{
	const char *constraint;		/* on credit.record */
	const char *column;			/* of credit.record, as the INSERT returns it */
	const char *table;			/* credit.<table> referenced */
	const char *key;			/* its key column */
} StoreKey;

static const StoreKey store_keys[] = {
	{"record_item_code_fkey", "item_code", "catalogue_item", "item_code"},
	{"record_department_id_fkey", "department_id", "department", "department_id"},
	{"record_subject_id_fkey", "subject_id", "subject", "subject_id"},
	{"record_corrects_fkey", "corrects", "record", "record_id"},
};
#define STORE_KEYS lengthof(store_keys)

/* the statement the hook waits for, armed only around its SPI call */
static const char *store_sql = NULL;
static bool store_armed = false;
static int	store_disabled = -1;	/* triggers the hook disabled, -1: not run */
static ExecutorStart_hook_type prev_executor_start = NULL;

static Oid
relation_owner(Oid rel)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", rel);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

static Oid
credit_relation_oid(const char *name)
{
	Oid			rel = get_relname_relid(name, get_namespace_oid("credit", false));

	if (!OidIsValid(rel))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation credit.%s does not exist", name),
				 errhint("Reinstall the extension.")));
	return rel;
}

/*
 * In the statement's own copy of credit.record's triggers (InitResultRelInfo
 * copies the relation's), disable the insert checks of store_keys.  Before
 * any row is inserted: nothing of the statement has run yet.
 */
static int
store_disable_key_triggers(EState *estate)
{
	Oid			record = credit_relation_oid("record");
	int			disabled = 0;
	ListCell   *lc;

	foreach(lc, estate->es_opened_result_relations)
	{
		ResultRelInfo *rri = (ResultRelInfo *) lfirst(lc);
		TriggerDesc *trigdesc = rri->ri_TrigDesc;
		int			i;

		if (RelationGetRelid(rri->ri_RelationDesc) != record || trigdesc == NULL)
			continue;
		for (i = 0; i < trigdesc->numtriggers; i++)
		{
			Trigger    *trigger = &trigdesc->triggers[i];
			char	   *conname;
			int			k;

			if (trigger->tgfoid != F_RI_FKEY_CHECK_INS || !OidIsValid(trigger->tgconstraint))
				continue;
			conname = get_constraint_name(trigger->tgconstraint);
			for (k = 0; k < (int) STORE_KEYS; k++)
				if (conname != NULL && strcmp(conname, store_keys[k].constraint) == 0)
				{
					trigger->tgenabled = TRIGGER_DISABLED;
					disabled++;
				}
		}
	}
	return disabled;
}

static void
store_executor_start(QueryDesc *queryDesc, int eflags)
{
	/* only the one statement credit.collection_store runs, once */
	bool		mine = store_armed && queryDesc->sourceText != NULL && store_sql != NULL
		&& strcmp(queryDesc->sourceText, store_sql) == 0;

	if (mine)
		store_armed = false;
	if (prev_executor_start)
		prev_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
	if (mine)
		store_disabled = store_disable_key_triggers(queryDesc->estate);
}

void
credit_collection_init(void)
{
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = store_executor_start;
}

/*
 * One foreign key of the rows inserted, checked as its trigger checks it
 * (ri_triggers.c, RI_FKey_check): every distinct key (an array, NULLs left
 * out) is a row of the referenced table, locked FOR KEY SHARE so that it
 * cannot go before this transaction ends; as the referenced table's owner,
 * without row security.
 */
static void
store_check_key(const StoreKey *k, Datum keys, Oid array_type)
{
	Oid			table = credit_relation_oid(k->table);
	Oid			save_userid;
	int			save_sec_context;
	char	   *sql;
	Oid			argtypes[1] = {array_type};
	Datum		values[1] = {keys};
	Oid			types[2] = {INT4OID, INT8OID};
	bool		isnull;
	int32		wanted;
	int64		found;
	int			ret;

	sql = psprintf("SELECT pg_catalog.cardinality($1), "
				   "(SELECT pg_catalog.count(*) FROM (SELECT FROM ONLY credit.%s x "
				   "WHERE x.%s OPERATOR(pg_catalog.=) ANY ($1) FOR KEY SHARE OF x) AS l)",
				   quote_identifier(k->table), quote_identifier(k->key));
	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(relation_owner(table),
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	ret = SPI_execute_with_args(sql, 1, argtypes, values, NULL, false, 1);
	SetUserIdAndSecContext(save_userid, save_sec_context);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "collection_store: the check of %s returned %d", k->constraint, ret);
	credit_spi_expect("collection_store's key check", 2, types);
	wanted = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	found = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	if (found != wanted)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("insert or update on table \"record\" violates foreign key constraint \"%s\"", k->constraint),
				 errdetail("%lld of the %d keys (%s) of the batch's rows are not present in table \"%s\".",
						   (long long) (wanted - found), wanted, k->column, k->table),
				 errhint("The batch's rows are stored one by one, and each refused row is reported.")));
}

/*
 * credit.collection_store(batch_id bigint) RETURNS bigint: the batch's good
 * rows into credit.record, in one INSERT (credit.collection_store_sql()),
 * their foreign keys checked for the batch; the number of records stored.
 * Only inside credit.collect, for the batch it collects, once.
 */
PG_FUNCTION_INFO_V1(collection_store);
Datum
collection_store(PG_FUNCTION_ARGS)
{
	int64		batch_id = PG_GETARG_INT64(0);
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(batch_id)};
	Oid			sqltype[1] = {TEXTOID};
	Oid			item_types[6];
	Datum		item_values[6];
	char		item_nulls[6];
	char	   *sql;
	bool		isnull;
	int64		count;
	int			ret;
	int			gucs;
	int			i;

	if (collecting_batch == 0 || collecting_batch != batch_id)
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("batch " INT64_FORMAT ": credit.collection_store runs only inside credit.collect", batch_id),
				 errhint("Collect a batch with credit.collect(batch_id).")));
	if (stored_batch != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("batch " INT64_FORMAT " is stored already", batch_id),
				 errhint("Collect a batch with credit.collect(batch_id).")));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "collection_store: SPI_connect failed");

	/* the batch and its item: the parameters of the INSERT */
	ret = SPI_execute_with_args("SELECT b.batch_id, b.item_code, i.category, i.default_disclosure, i.polarity, i.publicity_months "
								"FROM credit.collection_batch b "
								"JOIN credit.catalogue_item i ON i.item_code OPERATOR(pg_catalog.=) b.item_code "
								"WHERE b.batch_id OPERATOR(pg_catalog.=) $1",
								1, argtypes, values, NULL, false, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1 || SPI_tuptable->tupdesc->natts != 6)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("batch " INT64_FORMAT " is not an open batch of yours", batch_id)));
	for (i = 0; i < 6; i++)
	{
		item_types[i] = SPI_gettypeid(SPI_tuptable->tupdesc, i + 1);
		item_values[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &isnull);
		item_nulls[i] = isnull ? 'n' : ' ';
	}
	if (item_types[0] != INT8OID || item_types[1] != TEXTOID || item_types[5] != INT4OID)
		elog(ERROR, "collection_store: unexpected types of the batch's item");

	ret = SPI_execute("SELECT credit.collection_store_sql()", true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "collection_store: credit.collection_store_sql() returned %d", ret);
	credit_spi_expect("credit.collection_store_sql()", 1, sqltype);
	sql = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (sql == NULL)
		elog(ERROR, "collection_store: credit.collection_store_sql() is null");

	/*
	 * The INSERT, its key triggers disabled for it alone.  Its joins are of
	 * sets of the batch's size (the staged rows, their subjects, the
	 * periods of the batch's dates), which the planner, with no statistics
	 * of the batch, takes for a row each: hash joins, not nested loops
	 * (a loop over the periods for every row grows with the dates of the
	 * file); restored when the statement ends, by error too.
	 */
	gucs = NewGUCNestLevel();
	(void) set_config_option("enable_nestloop", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	store_sql = sql;
	store_armed = true;
	store_disabled = -1;
	PG_TRY();
	{
		ret = SPI_execute_with_args(sql, 6, item_types, item_values, item_nulls, false, 0);
	}
	PG_FINALLY();
	{
		store_armed = false;
		store_sql = NULL;
	}
	PG_END_TRY();
	AtEOXact_GUC(true, gucs);
	if (store_disabled != (int) STORE_KEYS)
		elog(ERROR, "collection_store: %d of the %d foreign-key triggers of credit.record found",
			 store_disabled, (int) STORE_KEYS);
	if (ret != SPI_OK_SELECT || SPI_processed != 1 || SPI_tuptable->tupdesc->natts != 1 + STORE_KEYS)
		elog(ERROR, "collection_store: the INSERT returned %d", ret);
	count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull || SPI_gettypeid(SPI_tuptable->tupdesc, 1) != INT8OID)
		elog(ERROR, "collection_store: the INSERT returned no count");

	/* each key, once for the batch (copied: the checks run queries of their own) */
	{
		Datum		keys[STORE_KEYS];
		bool		keys_null[STORE_KEYS];
		Oid			array_types[STORE_KEYS];

		for (i = 0; i < (int) STORE_KEYS; i++)
		{
			array_types[i] = SPI_gettypeid(SPI_tuptable->tupdesc, i + 2);
			if (strcmp(SPI_fname(SPI_tuptable->tupdesc, i + 2), store_keys[i].column) != 0
				|| !OidIsValid(get_element_type(array_types[i])))
				elog(ERROR, "collection_store: the INSERT returned %s, not the keys %s",
					 SPI_fname(SPI_tuptable->tupdesc, i + 2), store_keys[i].column);
			keys[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 2, &keys_null[i]);
			if (!keys_null[i])
				keys[i] = PointerGetDatum(PG_DETOAST_DATUM_COPY(keys[i]));
		}
		for (i = 0; i < (int) STORE_KEYS; i++)
			if (!keys_null[i])
				store_check_key(&store_keys[i], keys[i], array_types[i]);
	}

	SPI_finish();
	stored_batch = batch_id;
	stored_count = count;
	PG_RETURN_INT64(count);
}

/*
 * credit.collection_stored(batch_id bigint) RETURNS bigint: inside
 * credit.collect, the number of records credit.collection_store stored for
 * the batch; NULL otherwise (the batch close then counts the records).
 */
PG_FUNCTION_INFO_V1(collection_stored);
Datum
collection_stored(PG_FUNCTION_ARGS)
{
	int64		batch_id = PG_GETARG_INT64(0);

	if (collecting_batch == 0 || collecting_batch != batch_id || stored_batch != batch_id)
		PG_RETURN_NULL();
	PG_RETURN_INT64(stored_count);
}

/*
 * credit.collection_is_date(value text) RETURNS boolean: is the text a
 * calendar date written YYYY-MM-DD (year 0001-9999, the month's days, leap
 * years as the Gregorian calendar counts them)?  Never raises: the checks
 * of a batch call it before they cast.  In C: it runs for every date
 * column of every staged row.
 */
PG_FUNCTION_INFO_V1(collection_is_date);
Datum
collection_is_date(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);
	const char *p = VARDATA_ANY(value);
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			year,
				month,
				day,
				i;

	if (VARSIZE_ANY_EXHDR(value) != 10 || p[4] != '-' || p[7] != '-')
		PG_RETURN_BOOL(false);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9'))
			PG_RETURN_BOOL(false);
	year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	month = (p[5] - '0') * 10 + (p[6] - '0');
	day = (p[8] - '0') * 10 + (p[9] - '0');
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > days[month - 1])
		PG_RETURN_BOOL(false);
	if (month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(true);
}
