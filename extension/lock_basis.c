/*
 * lock_basis.c: one lock order for serious list entries, record before
 * entry.  credit.lock_basis(entry_ids) locks, in record_id order, the
 * records in force that serious list entries (list_kind.serious) are based
 * on; credit.list_entry_lock_basis(), a BEFORE UPDATE statement trigger on
 * credit.list_entry, does it for a transition of list entries (but their
 * expiry, 已到期, which never moves a record's end) before the UPDATE locks
 * the entries, as a repair, a withdrawal or a serious listing of the
 * record does; so a department removing an entry while the record is being
 * repaired or withdrawn waits instead of deadlocking (51_publicity.sql,
 * specs/workflow_serious_list_race.spec).
 *
 * In C, with two kept plans, rather than the PL/pgSQL pair it replaces:
 * that pair cost a department's transition about 30 µs (two GUC nest
 * levels for SET search_path, the PL/pgSQL calls, credit.transition_request()
 * built as a row) against a few µs here (bench/results.md, docs/decisions.md).
 * The trigger acts as the owner of its function, as the SECURITY DEFINER
 * function did: the basis records of a department's entries are often
 * another department's.  Its SQL qualifies every name, so no search_path
 * is set (spi_query.h).
 */
#include "postgres.h"

#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/syscache.h"

#include "spi_query.h"
#include "transition.h"

static SPIPlanPtr basis_plan = NULL;
static SPIPlanPtr lock_plan = NULL;

/*
 * Runs sql, SELECT with one bigint[] argument, through a plan prepared on
 * first use and kept (*plan), with a new snapshot (not read-only), as the
 * statements of a VOLATILE PL/pgSQL function run.  A generic plan: a custom
 * plan, made again for every transition, costs more than the lookup.
 */
static void
run_kept(SPIPlanPtr *plan, const char *sql, Datum arg)
{
	Oid			argtype = INT8ARRAYOID;
	int			ret;

	if (*plan == NULL)
	{
		*plan = SPI_prepare_cursor(sql, 1, &argtype, CURSOR_OPT_GENERIC_PLAN);
		if (*plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		SPI_keepplan(*plan);
	}
	ret = SPI_execute_plan(*plan, &arg, NULL, false, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
}

/*
 * Locks the records in force of the lineages of the records the serious
 * entries among entry_ids (bigint[]) are based on, in record_id order, as
 * the current role.  Two statements: the basis records of the serious
 * entries, by the entries' key (a plan of few nodes: it is set up at every
 * transition, and most transitions move no serious entry and stop there);
 * then the lineages' records in force, locked.
 */
static void
lock_basis(Datum entry_ids)
{
	Oid			int8type = INT8OID;
	Datum	   *basis;
	uint64		n,
				i;

	SPI_connect();
	run_kept(&basis_plan,
			 "SELECT e.basis_record_id FROM credit.list_entry e"
			 " WHERE e.entry_id OPERATOR(pg_catalog.=) ANY ($1)"
			 " AND e.basis_record_id IS NOT NULL"
			 " AND (SELECT k.serious FROM credit.list_kind k"
			 "       WHERE k.list_kind OPERATOR(pg_catalog.=) e.list_kind)",
			 entry_ids);
	n = SPI_processed;
	if (n == 0)
	{
		SPI_finish();
		return;
	}
	credit_spi_expect("the basis records of serious list entries", 1, &int8type);
	basis = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
	{
		bool		isnull;

		basis[i] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
	}
	/* every row read, so every row locked */
	run_kept(&lock_plan,
			 "SELECT c.record_id FROM credit.record c"
			 " WHERE c.lineage_id OPERATOR(pg_catalog.=) ANY"
			 "       (ARRAY(SELECT b.lineage_id FROM credit.record b"
			 "               WHERE b.record_id OPERATOR(pg_catalog.=) ANY ($1)))"
			 " AND c.state OPERATOR(pg_catalog.=) '有效'"
			 " ORDER BY c.record_id FOR NO KEY UPDATE OF c",
			 PointerGetDatum(construct_array(basis, (int) n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)));
	SPI_finish();
}

/* credit.lock_basis(entry_ids bigint[]) RETURNS void, as the calling role */
PG_FUNCTION_INFO_V1(credit_lock_basis);
Datum
credit_lock_basis(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	lock_basis(PG_GETARG_DATUM(0));
	PG_RETURN_VOID();
}

/*
 * credit.list_entry_lock_basis(): BEFORE UPDATE FOR EACH STATEMENT on
 * credit.list_entry.  During a transition of list entries to any state but
 * 已到期, locks their basis records first, as the owner of this function.
 */
PG_FUNCTION_INFO_V1(credit_list_entry_lock_basis);
Datum
credit_list_entry_lock_basis(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const TransitionRequest *req;
	Oid			owner;
	Oid			save_user;
	int			save_sec;
	HeapTuple	proc;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.list_entry_lock_basis() must fire BEFORE UPDATE FOR EACH STATEMENT")));
	req = credit_transition_current();
	if (req == NULL || strcmp(req->machine, "list_entry") != 0 || strcmp(req->to_state, "已到期") == 0)
		return PointerGetDatum(NULL);

	proc = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
	if (!HeapTupleIsValid(proc))
		elog(ERROR, "cache lookup failed for function %u", fcinfo->flinfo->fn_oid);
	owner = ((Form_pg_proc) GETSTRUCT(proc))->proowner;
	ReleaseSysCache(proc);

	/* as fmgr does for a SECURITY DEFINER function (an error resets it) */
	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE);
	lock_basis(req->ids);
	SetUserIdAndSecContext(save_user, save_sec);
	return PointerGetDatum(NULL);
}
