/*
 * disclosure.c: the session state that row-level security relies on and
 * that no SQL can forge.
 *
 *   credit.act_for_subject(subject)      the portal acts for a verified
 *                                        subject, for this transaction
 *   CALL credit.open_authorisation(id)   an authorised party opens a valid
 *                                        authorisation: the access-log row
 *                                        is committed first, then the
 *                                        opening holds for the session's
 *                                        following transactions
 *   credit.close_authorisation(id)       ends an opening (NULL: all)
 *
 * The state is kept in this backend's memory, set only by these C
 * functions after their checks (run through SPI as the calling role, so row
 * security and privileges apply to the checks themselves).  SET,
 * set_config() and custom GUCs cannot reach it.  Acting ends with the
 * transaction, or at the abort of the subtransaction that set it.  An
 * opening belongs to the role that opened it and ends when it is closed,
 * when its validity ends (judged by the clock at every use), or when any
 * authorisation is revoked (a statement trigger on credit.authorisation
 * invalidates every session's openings, table_cache.h; the predicates
 * accept pending invalidations before they answer, so a revocation
 * committed by another session counts from the next row on, whatever the
 * reader's snapshot).  The policies read the state through the row
 * predicates credit.acting_for(), opened_for() and authorised_for() (and
 * credit.acting_subject() on authorisations and the access log), which are
 * PARALLEL RESTRICTED: a parallel worker has its own memory.  Who the
 * calling role is comes from the party cache (party.c).
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/defrem.h"
#include "nodes/parsenodes.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "catalog/pg_enum.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "disclosure.h"
#include "legal_date.h"
#include "party.h"
#include "spi_query.h"
#include "table_cache.h"

typedef struct OpenedAuthorisation
{
	int64		authorisation_id;
	int64		subject_id;
	Oid			roleid;			/* the grantee role that opened it */
	TimestampTz valid_until;	/* judged by the clock at every use */
	int			nscope;			/* -1: everything; else scope[0..nscope) */
	Oid		   *scope;			/* credit.catalogue_category values (enum
								 * OIDs) */
} OpenedAuthorisation;

/*
 * Lives in TopMemoryContext, for the session: an opening outlives the
 * transaction of its committed log row.  Emptied when any authorisation
 * changes (the table cache below).
 */
static OpenedAuthorisation *opened = NULL;
static int	n_opened = 0;
static int	max_opened = 0;

static CreditTableCache authorisation_tables = {1, {"authorisation"}};

static int64 acting_subject = 0;	/* 0: acting for nobody */
static SubTransactionId acting_subid = InvalidSubTransactionId;

static bool callbacks_registered = false;

static void
disclosure_reset(void)
{
	acting_subject = 0;
	acting_subid = InvalidSubTransactionId;
}

static void
disclosure_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			disclosure_reset();
			break;
		default:
			break;
	}
}

static void
disclosure_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;

	/* forget what this subtransaction or its children set */
	if (acting_subject != 0 && acting_subid >= mySubid)
	{
		acting_subject = 0;
		acting_subid = InvalidSubTransactionId;
	}
}

void
credit_disclosure_init(void)
{
	if (!callbacks_registered)
	{
		RegisterXactCallback(disclosure_xact_callback, NULL);
		RegisterSubXactCallback(disclosure_subxact_callback, NULL);
		callbacks_registered = true;
	}
}

/*
 * credit.act_for_subject(subject_id bigint) RETURNS void
 *
 * Only the registered portal role may act for a subject; anyone else gets an
 * error and nothing changes.  The portal has verified the person or
 * organisation before calling this (that verification is outside the
 * database).  Acting lasts until the end of the transaction.
 */
PG_FUNCTION_INFO_V1(credit_act_for_subject);
Datum
credit_act_for_subject(PG_FUNCTION_ARGS)
{
	int64		subject_id = PG_GETARG_INT64(0);
	int			ret;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(subject_id)};
	bool		exists;
	bool		isnull;
	Oid			bool_type = BOOLOID;

	credit_disclosure_init();
	if (!credit_party_is("信用网站"))
	{
		Datum		kind;
		bool		has_kind = credit_party_kind(&kind);

		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only the public portal role can act for a subject"),
				 errdetail("Role \"%s\" is registered as %s.",
						   GetUserNameFromId(GetUserId(), false),
						   has_kind ? DatumGetCString(DirectFunctionCall1(enum_out, kind)) : "no party"),
				 errhint("Subjects act through the 信用网站 role registered with credit.register_portal_role().")));
	}

	SPI_connect();
	ret = SPI_execute_with_args("SELECT credit.subject_exists($1)",
								1, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "subject lookup failed: %s", SPI_result_code_string(ret));
	credit_spi_expect("credit.subject_exists()", 1, &bool_type);
	exists = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull)
		exists = false;
	SPI_finish();

	if (!exists)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("subject " INT64_FORMAT " does not exist", subject_id)));

	acting_subject = subject_id;
	acting_subid = GetCurrentSubTransactionId();
	PG_RETURN_VOID();
}

/*
 * credit.acting_subject() RETURNS bigint: the subject the portal acts for in
 * this transaction, or NULL.
 */
PG_FUNCTION_INFO_V1(credit_acting_subject);
Datum
credit_acting_subject(PG_FUNCTION_ARGS)
{
	if (acting_subject == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(acting_subject);
}

/*
 * The openings still in force for the calling role: none once any
 * authorisation changed (revocation) since they were made; pending
 * invalidations are accepted first, so a revocation another session
 * committed counts now, whatever this transaction's snapshot.
 */
static bool
openings_valid(void)
{
	if (n_opened == 0)
		return false;
	AcceptInvalidationMessages();
	if (!credit_table_cache_is_valid(&authorisation_tables))
	{
		n_opened = 0;
		return false;
	}
	return true;
}

/* Is this opening of the calling role, inside its validity by the clock? */
static bool
opening_live(const OpenedAuthorisation *o)
{
	return o->roleid == GetUserId() && GetCurrentTimestamp() < o->valid_until;
}

/*
 * The check of an authorisation as the calling role, in the current
 * transaction: row security shows a grantee only its own authorisations,
 * so another party's authorisation is "not found".  Validity by the clock
 * (clock_timestamp()), not the transaction's start.  On success returns
 * the subject and fills valid_until and the scope (in TopMemoryContext).
 */
static int64
check_authorisation(int64 authorisation_id, TimestampTz *valid_until, int *nscope, Oid **scope)
{
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(authorisation_id)};
	int			ret;
	bool		isnull;
	int64		subject_id;
	char	   *problem;
	Datum		scope_datum;

	ret = SPI_execute_with_args(
		"SELECT subject_id,"
		"       CASE WHEN revoked_at IS NOT NULL"
		"            THEN 'revoked on ' OPERATOR(pg_catalog.||) revoked_at::pg_catalog.date"
		"            WHEN pg_catalog.clock_timestamp() OPERATOR(pg_catalog.<) valid_from"
		"            THEN 'not valid before ' OPERATOR(pg_catalog.||) valid_from::pg_catalog.date"
		"            WHEN pg_catalog.clock_timestamp() OPERATOR(pg_catalog.>=) valid_until"
		"            THEN 'expired on ' OPERATOR(pg_catalog.||) valid_until::pg_catalog.date"
		"       END,"
		"       scope, valid_until"
		"  FROM credit.authorisation"
		" WHERE authorisation_id OPERATOR(pg_catalog.=) $1"
		"   AND grantee OPERATOR(pg_catalog.=) current_user::pg_catalog.regrole",
		1, argtypes, values, NULL, false, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(ret));
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("authorisation " INT64_FORMAT " not found for role \"%s\"",
						authorisation_id,
						GetUserNameFromId(GetUserId(), false)),
				 errhint("An authorisation can be opened only by its grantee.")));
	{
		/* the types read below: bigint, text, credit.catalogue_category[], timestamptz */
		Oid			types[4] = {INT8OID, TEXTOID, get_array_type(credit_type_oid("catalogue_category")),
								TIMESTAMPTZOID};

		credit_spi_expect("the authorisation lookup", 4, types);
	}
	subject_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	problem = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("authorisation " INT64_FORMAT " is not valid: %s",
						authorisation_id, problem)));
	*valid_until = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));

	scope_datum = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
	*nscope = -1;
	*scope = NULL;
	if (!isnull)
	{
		ArrayType  *arr = DatumGetArrayTypeP(scope_datum);
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;
		int			i;

		if (ARR_NDIM(arr) > 1)
			elog(ERROR, "unexpected scope of authorisation " INT64_FORMAT, authorisation_id);
		deconstruct_array(arr, ARR_ELEMTYPE(arr), sizeof(Oid), true, TYPALIGN_INT,
						  &elems, &nulls, &nelems);
		*scope = MemoryContextAlloc(TopMemoryContext, sizeof(Oid) * Max(nelems, 1));
		*nscope = 0;			/* an empty scope covers nothing */
		for (i = 0; i < nelems; i++)
			if (!nulls[i])
				(*scope)[(*nscope)++] = DatumGetObjectId(elems[i]);
	}
	return subject_id;
}

/*
 * CALL credit.open_authorisation(authorisation_id bigint)
 *
 * The calling role must be the grantee of a valid authorisation (not
 * revoked, inside its validity by the clock).  Outside a transaction block
 * only: the procedure commits what the caller's transaction holds, then in
 * a transaction of its own checks the authorisation again (the latest
 * committed state, a fresh snapshot), writes the access-log row (who,
 * which subject, which authorisation, purpose; the time is the clock's,
 * set by the log's trigger) and commits it; only then is the authorisation
 * open, for the calling role, in this session's following transactions,
 * until credit.close_authorisation(), the end of its validity or a
 * revocation.  A read under it therefore always has a committed log row:
 * rolling back the reading transaction (or a savepoint, or a prepared
 * transaction) leaves the row.
 */
PG_FUNCTION_INFO_V1(credit_open_authorisation);
Datum
credit_open_authorisation(PG_FUNCTION_ARGS)
{
	int64		authorisation_id;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	int			ret;
	int64		subject_id;
	TimestampTz valid_until;
	int			nscope;
	Oid		   *scope;
	Oid			roleid = GetUserId();
	int			i;
	bool		nonatomic;

	credit_disclosure_init();
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("authorisation_id must not be null")));
	authorisation_id = PG_GETARG_INT64(0);
	values[0] = Int64GetDatum(authorisation_id);
	nonatomic = fcinfo->context != NULL && IsA(fcinfo->context, CallContext)
		&& !castNode(CallContext, fcinfo->context)->atomic;

	/* refusals first, in the caller's transaction: they change nothing */
	SPI_connect_ext(nonatomic ? SPI_OPT_NONATOMIC : 0);
	subject_id = check_authorisation(authorisation_id, &valid_until, &nscope, &scope);
	if (scope != NULL)
		pfree(scope);
	if (!nonatomic)
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("credit.open_authorisation must be called outside a transaction block"),
				 errdetail("The access-log row is committed before the authorisation opens, so the opening cannot be part of a transaction."),
				 errhint("Run CALL credit.open_authorisation(%lld) on its own; the authorisation stays open for the session's following transactions until credit.close_authorisation().",
						 (long long) authorisation_id)));

	/* a transaction of its own: the latest committed state */
	SPI_commit();
	subject_id = check_authorisation(authorisation_id, &valid_until, &nscope, &scope);
	credit_table_cache_set_valid(&authorisation_tables);

	/* the log row first: no read without its committed record */
	ret = SPI_execute_with_args(
		"INSERT INTO credit.access_log (role, subject_id, authorisation_id, purpose)"
		" SELECT current_user::pg_catalog.regrole, a.subject_id, a.authorisation_id, a.purpose"
		"   FROM credit.authorisation a WHERE a.authorisation_id OPERATOR(pg_catalog.=) $1",
		1, argtypes, values, NULL, false, 0);
	if (ret != SPI_OK_INSERT || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("could not write the access log for authorisation " INT64_FORMAT, authorisation_id)));
	SPI_commit();
	SPI_finish();

	/* a revocation committed meanwhile: open nothing */
	AcceptInvalidationMessages();
	if (!credit_table_cache_is_valid(&authorisation_tables))
	{
		n_opened = 0;
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("authorisations changed while authorisation " INT64_FORMAT " was opened", authorisation_id),
				 errhint("Call credit.open_authorisation again.")));
	}

	for (i = 0; i < n_opened; i++)
		if (opened[i].authorisation_id == authorisation_id && opened[i].roleid == roleid)
			break;
	if (i == n_opened)
	{
		if (n_opened == max_opened)
		{
			int			newmax = max_opened == 0 ? 8 : max_opened * 2;

			if (opened == NULL)
				opened = MemoryContextAlloc(TopMemoryContext, newmax * sizeof(OpenedAuthorisation));
			else
				opened = repalloc(opened, newmax * sizeof(OpenedAuthorisation));
			max_opened = newmax;
		}
		n_opened++;
	}
	else if (opened[i].scope != NULL)
		pfree(opened[i].scope);
	opened[i].authorisation_id = authorisation_id;
	opened[i].subject_id = subject_id;
	opened[i].roleid = roleid;
	opened[i].valid_until = valid_until;
	opened[i].nscope = nscope;
	opened[i].scope = scope;

	PG_RETURN_VOID();
}

/*
 * credit.close_authorisation(authorisation_id bigint) RETURNS integer: ends
 * the calling role's opening of this authorisation (NULL: all of them);
 * returns how many ended.
 */
PG_FUNCTION_INFO_V1(credit_close_authorisation);
Datum
credit_close_authorisation(PG_FUNCTION_ARGS)
{
	bool		all = PG_ARGISNULL(0);
	int64		authorisation_id = all ? 0 : PG_GETARG_INT64(0);
	Oid			roleid = GetUserId();
	int			i,
				kept = 0,
				closed = 0;

	for (i = 0; i < n_opened; i++)
	{
		if (opened[i].roleid == roleid && (all || opened[i].authorisation_id == authorisation_id))
		{
			closed++;
			continue;
		}
		opened[kept++] = opened[i];
	}
	n_opened = kept;
	PG_RETURN_INT32(closed);
}

/* An int8[] of one field of every live opening (empty when none). */
static ArrayType *
opened_array(bool subjects)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n_opened, 1));
	int			i,
				n = 0;

	if (openings_valid())
		for (i = 0; i < n_opened; i++)
			if (opening_live(&opened[i]))
				elems[n++] = Int64GetDatum(subjects ? opened[i].subject_id : opened[i].authorisation_id);
	return construct_array(elems, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/*
 * credit.opened_authorisations() RETURNS bigint[]: the authorisations the
 * calling role has open now (empty array when none).
 */
PG_FUNCTION_INFO_V1(credit_opened_authorisations);
Datum
credit_opened_authorisations(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(opened_array(false));
}

/*
 * credit.opened_subjects() RETURNS bigint[]: the subjects of the
 * authorisations the calling role has open now.
 */
PG_FUNCTION_INFO_V1(credit_opened_subjects);
Datum
credit_opened_subjects(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(opened_array(true));
}

/*
 * Row predicates.  The read policies of credit.record, credit.list_entry and
 * credit.subject ask these about the row (they take the row's columns, so
 * they cannot be hoisted into a once-per-query sub-SELECT like the session
 * helpers above).  Each reads only this backend's memory -- the party cache
 * and the transaction's acting subject and opened authorisations -- and runs
 * no query: a call costs a few tens of nanoseconds a row, where an InitPlan
 * costs about 2 microseconds a query to set up (bench/README.md).
 */

/*
 * credit.in_department_scope(department integer) RETURNS boolean: does the
 * calling role read, as a department, a row the policy maps to this
 * department?  The policy maps a department-shared row in force to 0 and
 * any other row to its department.  True when the caller is registered as a
 * department (credit.party, not a group membership) and the argument is 0
 * or its own department; false for every other role.  The same as
 * department = ANY (credit.department_scope()).
 */
PG_FUNCTION_INFO_V1(credit_in_department_scope);
Datum
credit_in_department_scope(PG_FUNCTION_ARGS)
{
	int32		department = PG_GETARG_INT32(0);
	int32		own;

	if (!credit_party_department(&own))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(department == 0 || department == own);
}

/*
 * credit.in_own_department(department integer) RETURNS boolean: is this the
 * department the calling role is registered as?  False for every role not
 * registered as a department.  The same as
 * department = (SELECT credit.current_department_id()), without the
 * InitPlan: for the UPDATE policies, set up at every transition.
 */
PG_FUNCTION_INFO_V1(credit_in_own_department);
Datum
credit_in_own_department(PG_FUNCTION_ARGS)
{
	int32		own;

	if (!credit_party_department(&own))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(PG_GETARG_INT32(0) == own);
}

/*
 * credit.acting_for(subject_id bigint) RETURNS boolean: is the portal acting
 * for this subject in this transaction?  (Only the registered portal can
 * have called credit.act_for_subject.)
 */
PG_FUNCTION_INFO_V1(credit_acting_for);
Datum
credit_acting_for(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(acting_subject != 0 && acting_subject == PG_GETARG_INT64(0));
}

/*
 * credit.opened_for(subject_id bigint) RETURNS boolean: has the calling
 * role an authorisation of this subject open now?  (Memory, the clock and
 * pending invalidations only when a subject matches.)
 */
static bool
opened_for(int64 subject_id)
{
	int			i;

	for (i = 0; i < n_opened; i++)
		if (opened[i].subject_id == subject_id)
		{
			if (!openings_valid())
				return false;
			for (; i < n_opened; i++)
				if (opened[i].subject_id == subject_id && opening_live(&opened[i]))
					return true;
			return false;
		}
	return false;
}

PG_FUNCTION_INFO_V1(credit_opened_for);
Datum
credit_opened_for(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(opened_for(PG_GETARG_INT64(0)));
}

/*
 * Does an authorisation the calling role has open now cover this subject and
 * category?  (Scope never changes: an authorisation is only ever revoked.)
 */
static bool
authorised(int64 subject_id, Oid category)
{
	int			i,
				j;
	bool		checked = false;

	for (i = 0; i < n_opened; i++)
	{
		if (opened[i].subject_id != subject_id)
			continue;
		if (!checked)
		{
			if (!openings_valid())
				return false;
			checked = true;
		}
		if (!opening_live(&opened[i]))
			continue;
		if (opened[i].nscope < 0)
			return true;
		for (j = 0; j < opened[i].nscope; j++)
			if (opened[i].scope[j] == category)
				return true;
	}
	return false;
}

/*
 * credit.authorised_for(subject_id bigint, category credit.catalogue_category)
 * RETURNS boolean: authorised(), as SQL.  The category is compared as the
 * enum value, no text.
 */
PG_FUNCTION_INFO_V1(credit_authorised_for);
Datum
credit_authorised_for(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(authorised(PG_GETARG_INT64(0), PG_GETARG_OID(1)));
}

/*
 * The record predicates.  Whoever reads credit.record is given the OR of
 * its kind's read policies: a department record_public, record_department
 * and record_authorised.  Written as SQL conditions (disclosure = '部门共享'
 * AND state = '有效' AND publicity_state <> '已修复' AND (publicity_end IS
 * NULL OR publicity_end > credit.legal_date()) ...), these three were
 * eighteen function calls, and every execution of a query sets up each call
 * of its expressions again: an EXECUTE privilege check (a catalogue lookup
 * for a role that is not a superuser) and a function lookup, about 1.5k
 * instructions a call, some 24k of a department's 147k-instruction subject
 * lookup (bench/results.md, 2026-12-02).  Each predicate below is one
 * policy's whole condition in one call.  Not STRICT (publicity_end may be
 * NULL: no end); a NULL in any other argument, a NOT NULL column, makes the
 * row unreadable, as the SQL condition would.
 */

/*
 * The enum values they compare with, looked up once a session and again
 * after any change to pg_enum (a reinstalled extension has new OIDs).
 */
static bool record_labels_valid = false;
static bool record_labels_registered = false;
static Oid	label_public;				/* credit.disclosure_level '公开' */
static Oid	label_authorised;			/* credit.disclosure_level '授权查询' */
static Oid	label_shared;				/* credit.disclosure_level '部门共享' */
static Oid	label_in_force;				/* credit.record_state '有效' */
static Oid	label_red_list;				/* credit.catalogue_category '红名单' */
static Oid	label_black_list;			/* credit.catalogue_category '黑名单' */

static void
record_labels_reset(Datum arg, int cacheid, uint32 hashvalue)
{
	record_labels_valid = false;
}

static Oid
enum_label(const char *type_name, const char *label)
{
	Oid			type = credit_type_oid(type_name);
	Oid			value = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
										ObjectIdGetDatum(type), CStringGetDatum(label));

	if (!OidIsValid(value))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type credit.%s has no label \"%s\"", type_name, label),
				 errhint("Reinstall the extension.")));
	return value;
}

static void
record_labels(void)
{
	if (record_labels_valid)
		return;
	if (!record_labels_registered)
	{
		CacheRegisterSyscacheCallback(ENUMOID, record_labels_reset, (Datum) 0);
		record_labels_registered = true;
	}
	/* valid first: an invalidation read during the lookups clears it again */
	record_labels_valid = true;
	label_public = enum_label("disclosure_level", "公开");
	label_authorised = enum_label("disclosure_level", "授权查询");
	label_shared = enum_label("disclosure_level", "部门共享");
	label_in_force = enum_label("record_state", "有效");
	label_red_list = enum_label("catalogue_category", "红名单");
	label_black_list = enum_label("catalogue_category", "黑名单");
}

/* publicity_state <> '已修复' */
static bool
not_repaired(text *publicity_state)
{
	static const char repaired[] = "已修复";

	return VARSIZE_ANY_EXHDR(publicity_state) != sizeof(repaired) - 1
		|| memcmp(VARDATA_ANY(publicity_state), repaired, sizeof(repaired) - 1) != 0;
}

/* publicity_end IS NULL OR publicity_end > credit.legal_date() */
static bool
before_end(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) || PG_GETARG_DATEADT(argno) > credit_legal_today();
}

/*
 * The record read conditions, on the arguments of a predicate (their
 * numbers given): each of the predicates below is one of them or their OR.
 *
 * record_public_at: disclosure = '公开' AND state = '有效'
 *   AND publicity_start <= credit.legal_date()
 *   AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
 */
static bool
record_public_at(FunctionCallInfo fcinfo, int disclosure, int state, int start, int end)
{
	if (PG_ARGISNULL(disclosure) || PG_ARGISNULL(state) || PG_ARGISNULL(start))
		return false;
	record_labels();
	return PG_GETARG_OID(disclosure) == label_public
		&& PG_GETARG_OID(state) == label_in_force
		&& PG_GETARG_DATEADT(start) <= credit_legal_today()
		&& before_end(fcinfo, end);
}

/*
 * record_department_at: credit.in_department_scope(CASE WHEN disclosure =
 *   '部门共享' AND state = '有效' AND publicity_state <> '已修复'
 *   AND (publicity_end IS NULL OR publicity_end > credit.legal_date()) THEN 0
 *   ELSE department_id END)
 */
static bool
record_department_at(FunctionCallInfo fcinfo, int department, int disclosure, int state,
					 int publicity_state, int end)
{
	int32		own;

	if (!credit_party_department(&own))
		return false;
	if (!PG_ARGISNULL(department) && PG_GETARG_INT32(department) == own)
		return true;
	if (PG_ARGISNULL(disclosure) || PG_ARGISNULL(state) || PG_ARGISNULL(publicity_state))
		return false;
	record_labels();
	return PG_GETARG_OID(disclosure) == label_shared
		&& PG_GETARG_OID(state) == label_in_force
		&& not_repaired(PG_GETARG_TEXT_PP(publicity_state))
		&& before_end(fcinfo, end);
}

/*
 * record_authorised_at: disclosure = '授权查询' AND state = '有效'
 *   AND publicity_state <> '已修复'
 *   AND (publicity_end IS NULL OR publicity_end > credit.legal_date())
 *   AND credit.authorised_for(subject_id, category)
 */
static bool
record_authorised_at(FunctionCallInfo fcinfo, int subject, int category, int disclosure,
					 int state, int publicity_state, int end)
{
	if (PG_ARGISNULL(subject) || PG_ARGISNULL(category) || PG_ARGISNULL(disclosure)
		|| PG_ARGISNULL(state) || PG_ARGISNULL(publicity_state))
		return false;
	if (n_opened == 0)			/* nothing open: no need to look further */
		return false;
	record_labels();
	return PG_GETARG_OID(disclosure) == label_authorised
		&& PG_GETARG_OID(state) == label_in_force
		&& not_repaired(PG_GETARG_TEXT_PP(publicity_state))
		&& before_end(fcinfo, end)
		&& authorised(PG_GETARG_INT64(subject), PG_GETARG_OID(category));
}

/*
 * credit.record_is_public(disclosure credit.disclosure_level, state
 * credit.record_state, publicity_start date, publicity_end date) RETURNS
 * boolean: is the record public now, for everyone?  (record_public_at)
 */
PG_FUNCTION_INFO_V1(credit_record_is_public);
Datum
credit_record_is_public(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_public_at(fcinfo, 0, 1, 2, 3));
}

/*
 * credit.record_department_reads(department_id integer, disclosure
 * credit.disclosure_level, state credit.record_state, publicity_state text,
 * publicity_end date) RETURNS boolean: does the calling role read this
 * record as a department?  True when it is registered as a department and
 * the record is its own (any state) or department-shared in force, not
 * repaired and inside its period (record_department_at).  The 0.1 policy
 * record_department's predicate; 0.2's is credit.record_department_sees.
 */
PG_FUNCTION_INFO_V1(credit_record_department_reads);
Datum
credit_record_department_reads(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_department_at(fcinfo, 0, 1, 2, 3, 4));
}

/*
 * credit.record_authorised_reads(subject_id bigint, category
 * credit.catalogue_category, disclosure credit.disclosure_level, state
 * credit.record_state, publicity_state text, publicity_end date) RETURNS
 * boolean: does the calling role read this record under an authorisation
 * it has open?  (record_authorised_at)
 */
PG_FUNCTION_INFO_V1(credit_record_authorised_reads);
Datum
credit_record_authorised_reads(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_authorised_at(fcinfo, 0, 1, 2, 3, 4, 5));
}

/*
 * credit.record_department_sees(department_id integer, subject_id bigint,
 * category credit.catalogue_category, disclosure credit.disclosure_level,
 * state credit.record_state, publicity_state text, publicity_start date,
 * publicity_end date) RETURNS boolean: everything a department reads of a
 * record, the predicate of its one read policy record_department (so that
 * a department's query sets up one predicate, not three): the record is
 * public (record_public_at), or the department's (record_department_at),
 * or open to it under an authorisation (record_authorised_at).
 */
PG_FUNCTION_INFO_V1(credit_record_department_sees);
Datum
credit_record_department_sees(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(record_department_at(fcinfo, 0, 3, 4, 5, 7)
				   || record_public_at(fcinfo, 3, 4, 6, 7)
				   || record_authorised_at(fcinfo, 1, 2, 3, 4, 5, 7));
}

/*
 * The list entry predicates: the whole conditions of the read policies
 * list_entry_public, list_entry_department, list_entry_authorised and
 * list_entry_acting, one call each, for the reason given above the record
 * predicates.  A department's credit.transition() of a list entry set up
 * the first three twice at every execution of its UPDATE (as its quals and
 * as the check of the new row), with the SubPlan of list_entry_authorised
 * (the list kind's colour) each time; here the colour comes from a
 * session cache of credit.list_kind, read only for a row whose subject the
 * calling role has an authorisation open for.  Not STRICT (removed_on and
 * expires_on are NULL for an entry not removed, without an end); a NULL in
 * any other argument, a NOT NULL column, makes the entry unreadable, as
 * the SQL condition would.
 */

/* removed_on IS NULL AND (expires_on IS NULL OR expires_on > credit.legal_date()) */
static bool
entry_in_term(FunctionCallInfo fcinfo, int removed_argno, int expires_argno)
{
	return PG_ARGISNULL(removed_argno) && before_end(fcinfo, expires_argno);
}

/*
 * credit.list_entry_is_public(disclosure credit.disclosure_level, removed_on
 * date, listed_on date, expires_on date) RETURNS boolean: is the entry
 * public now, for everyone?
 *
 *   disclosure = '公开' AND removed_on IS NULL AND listed_on <= credit.legal_date()
 *   AND (expires_on IS NULL OR expires_on > credit.legal_date())
 */
PG_FUNCTION_INFO_V1(credit_list_entry_is_public);
Datum
credit_list_entry_is_public(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_BOOL(false);
	record_labels();
	PG_RETURN_BOOL(PG_GETARG_OID(0) == label_public
				   && entry_in_term(fcinfo, 1, 3)
				   && PG_GETARG_DATEADT(2) <= credit_legal_today());
}

/*
 * credit.list_entry_department_reads(department_id integer, disclosure
 * credit.disclosure_level, removed_on date, expires_on date) RETURNS
 * boolean: does the calling role read this entry as a department?  True
 * when it is registered as a department and the entry is its own (any
 * state) or department-shared, not removed and inside its term:
 *
 *   credit.in_department_scope(CASE WHEN disclosure = '部门共享' AND removed_on IS NULL
 *        AND (expires_on IS NULL OR expires_on > credit.legal_date()) THEN 0
 *        ELSE department_id END)
 */
PG_FUNCTION_INFO_V1(credit_list_entry_department_reads);
Datum
credit_list_entry_department_reads(PG_FUNCTION_ARGS)
{
	int32		own;

	if (!credit_party_department(&own))
		PG_RETURN_BOOL(false);
	if (!PG_ARGISNULL(0) && PG_GETARG_INT32(0) == own)
		PG_RETURN_BOOL(true);
	if (PG_ARGISNULL(1))
		PG_RETURN_BOOL(false);
	record_labels();
	PG_RETURN_BOOL(PG_GETARG_OID(1) == label_shared && entry_in_term(fcinfo, 2, 3));
}

/*
 * The list kinds' colours, for the category an authorisation must cover:
 * a red list counts as 红名单, a black one as 黑名单.  A table cache
 * (table_cache.h) of credit.list_kind, filled through SPI as the calling
 * role in a fresh snapshot (spi_query.c), in list_kind_context.
 */
typedef struct ListKindColour
{
	char	   *list_kind;
	bool		red;
} ListKindColour;

static CreditTableCache list_kind_tables = {.ntables = 1, .tables = {"list_kind"}};
static MemoryContext list_kind_context = NULL;
static ListKindColour *list_kinds = NULL;
static int	n_list_kinds = 0;
static bool list_kinds_filled = false;	/* false while (re)filling */

static void
list_kinds_fill(void)
{
	Oid			types[2] = {TEXTOID, BOOLOID};
	uint64		i;

	list_kinds_filled = false;
	if (list_kind_context == NULL)
		list_kind_context = AllocSetContextCreate(TopMemoryContext, "credit list kinds",
												  ALLOCSET_SMALL_SIZES);
	MemoryContextReset(list_kind_context);
	list_kinds = NULL;
	n_list_kinds = 0;
	/* valid first: a change committed during the lookup clears it again */
	credit_table_cache_set_valid(&list_kind_tables);
	SPI_connect();
	credit_spi_select("the list kind lookup",
					  "SELECT k.list_kind, k.colour OPERATOR(pg_catalog.=) '红' FROM credit.list_kind k",
					  0, NULL, NULL, InvalidSnapshot, 0, 2, types);
	list_kinds = MemoryContextAlloc(list_kind_context, sizeof(ListKindColour) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		bool		red_null;
		Datum		kind = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		Datum		red = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &red_null);

		if (isnull)
			continue;
		list_kinds[n_list_kinds].list_kind = MemoryContextStrdup(list_kind_context, TextDatumGetCString(kind));
		/* CASE k.colour WHEN '红' THEN '红名单' ELSE '黑名单' END */
		list_kinds[n_list_kinds].red = !red_null && DatumGetBool(red);
		n_list_kinds++;
	}
	SPI_finish();
	list_kinds_filled = true;
}

/*
 * The category of a list kind (红名单 or 黑名单); false when there is no
 * such kind (the SQL subquery's NULL).
 */
static bool
list_kind_category(text *list_kind, Oid *category)
{
	char	   *kind = text_to_cstring(list_kind);
	int			i;

	if (!credit_table_cache_is_valid(&list_kind_tables) || !list_kinds_filled)
		list_kinds_fill();
	for (i = 0; i < n_list_kinds; i++)
		if (strcmp(list_kinds[i].list_kind, kind) == 0)
		{
			record_labels();
			*category = list_kinds[i].red ? label_red_list : label_black_list;
			pfree(kind);
			return true;
		}
	pfree(kind);
	return false;
}

/*
 * credit.list_entry_authorised_reads(subject_id bigint, list_kind text,
 * disclosure credit.disclosure_level, removed_on date, expires_on date)
 * RETURNS boolean: does the calling role read this entry under an
 * authorisation it has open?
 *
 *   disclosure = '授权查询' AND removed_on IS NULL
 *   AND (expires_on IS NULL OR expires_on > credit.legal_date())
 *   AND credit.opened_for(subject_id)
 *   AND credit.authorised_for(subject_id, (SELECT CASE k.colour WHEN '红' THEN '红名单'
 *        ELSE '黑名单' END::credit.catalogue_category
 *        FROM credit.list_kind k WHERE k.list_kind = list_entry.list_kind))
 *
 * (authorised_for implies opened_for: an opening that covers the category
 * is an opening of the subject.)  The list kind is looked up only for a
 * subject with a live opening of the calling role.
 */
PG_FUNCTION_INFO_V1(credit_list_entry_authorised_reads);
Datum
credit_list_entry_authorised_reads(PG_FUNCTION_ARGS)
{
	int64		subject_id;
	Oid			category;
	int			i;

	for (i = 0; i < 3; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_BOOL(false);
	if (n_opened == 0)			/* nothing open: no need to look further */
		PG_RETURN_BOOL(false);
	record_labels();
	if (PG_GETARG_OID(2) != label_authorised || !entry_in_term(fcinfo, 3, 4))
		PG_RETURN_BOOL(false);
	subject_id = PG_GETARG_INT64(0);
	if (!opened_for(subject_id))
		PG_RETURN_BOOL(false);
	if (!list_kind_category(PG_GETARG_TEXT_PP(1), &category))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(authorised(subject_id, category));
}

/*
 * credit.list_entry_acting_reads(subject_id bigint, disclosure
 * credit.disclosure_level, removed_on date, expires_on date) RETURNS
 * boolean: does the portal, acting for the entry's subject, read it?
 *
 *   disclosure = '授权查询' AND removed_on IS NULL
 *   AND (expires_on IS NULL OR expires_on > credit.legal_date())
 *   AND credit.acting_for(subject_id)
 */
PG_FUNCTION_INFO_V1(credit_list_entry_acting_reads);
Datum
credit_list_entry_acting_reads(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_BOOL(false);
	if (acting_subject == 0 || acting_subject != PG_GETARG_INT64(0))
		PG_RETURN_BOOL(false);
	record_labels();
	PG_RETURN_BOOL(PG_GETARG_OID(1) == label_authorised && entry_in_term(fcinfo, 2, 3));
}

/*
 * Shared reads (部门共享查询日志, docs/audit.md): a department reading the
 * 部门共享 records of another department, of a catalogue item whose
 * log_shared_reads is set by the centre, reads them only for the subjects
 * it has opened with a logged purpose:
 *
 *   CALL credit.open_shared_read(subject_id, purpose)   outside a
 *        transaction block: the access-log row (kind 部门共享, who, whose,
 *        purpose, the clock's time) is committed first, then the subject
 *        is open for the calling role in this session's following
 *        transactions, until credit.close_shared_read()
 *
 * as open_authorisation: rolling back the reading transaction leaves the
 * row.  The restrictive policy record_shared_read asks the row predicate
 * credit.record_shared_read_logged(); the logged items are a table cache
 * of credit.catalogue_item.
 */
typedef struct OpenedSharedRead
{
	int64		subject_id;
	Oid			roleid;			/* the department role that opened it */
} OpenedSharedRead;

/* TopMemoryContext, for the session, like the openings above */
static OpenedSharedRead *shared_opened = NULL;
static int	n_shared_opened = 0;
static int	max_shared_opened = 0;

static CreditTableCache logged_item_tables = {.ntables = 1, .tables = {"catalogue_item"}};
static MemoryContext logged_item_context = NULL;
static char **logged_items = NULL;
static int	n_logged_items = 0;
static bool logged_items_filled = false;	/* false while (re)filling */

static void
logged_items_fill(void)
{
	Oid			types[1] = {TEXTOID};
	uint64		i;

	logged_items_filled = false;
	if (logged_item_context == NULL)
		logged_item_context = AllocSetContextCreate(TopMemoryContext, "credit logged items",
													ALLOCSET_SMALL_SIZES);
	MemoryContextReset(logged_item_context);
	logged_items = NULL;
	n_logged_items = 0;
	/* valid first: a change committed during the lookup clears it again */
	credit_table_cache_set_valid(&logged_item_tables);
	SPI_connect();
	credit_spi_select("the logged catalogue items lookup",
					  "SELECT i.item_code FROM credit.catalogue_item i WHERE i.log_shared_reads",
					  0, NULL, NULL, InvalidSnapshot, 0, 1, types);
	logged_items = MemoryContextAlloc(logged_item_context, sizeof(char *) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		code = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			logged_items[n_logged_items++] = MemoryContextStrdup(logged_item_context, TextDatumGetCString(code));
	}
	SPI_finish();
	logged_items_filled = true;
}

/* Are the shared reads of this catalogue item logged? */
static bool
item_logs_shared_reads(text *item_code)
{
	const char *code = VARDATA_ANY(item_code);
	int			len = VARSIZE_ANY_EXHDR(item_code);
	int			i;

	if (!credit_table_cache_is_valid(&logged_item_tables) || !logged_items_filled)
		logged_items_fill();
	for (i = 0; i < n_logged_items; i++)
		if (strlen(logged_items[i]) == (size_t) len && memcmp(logged_items[i], code, len) == 0)
			return true;
	return false;
}

/* Has the calling role opened this subject for shared reads? */
static bool
shared_read_open(int64 subject_id)
{
	Oid			roleid = GetUserId();
	int			i;

	for (i = 0; i < n_shared_opened; i++)
		if (shared_opened[i].subject_id == subject_id && shared_opened[i].roleid == roleid)
			return true;
	return false;
}

/*
 * CALL credit.open_shared_read(subject_id bigint, purpose text)
 *
 * Only a role registered as a department; the purpose is required (not
 * blank); the subject must exist (looked up as the owner of credit.subject,
 * so that a natural person the department cannot read as a subject is
 * found too: the answer is the same whatever the caller reads).  Outside a
 * transaction block only: the refusals first, in the caller's transaction;
 * then the caller's transaction is committed, the log row written and
 * committed in a transaction of its own (its time, role and department are
 * set by the log's trigger), and only then is the subject open.
 */
PG_FUNCTION_INFO_V1(credit_open_shared_read);
Datum
credit_open_shared_read(PG_FUNCTION_ARGS)
{
	int64		subject_id;
	text	   *purpose = NULL;
	char	   *purpose_str;
	int32		own;
	Oid			roleid = GetUserId();
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	Oid			booltype[1] = {BOOLOID};
	Datum		values[2];
	bool		exists = false;
	bool		nonatomic;
	volatile bool blank = true;
	int			ret;
	Oid			save_user;
	int			save_sec;
	int			i;

	credit_disclosure_init();
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("subject_id must not be null")));
	subject_id = PG_GETARG_INT64(0);
	if (!PG_ARGISNULL(1))
	{
		purpose = PG_GETARG_TEXT_PP(1);
		purpose_str = text_to_cstring(purpose);
		for (i = 0; purpose_str[i] != '\0'; i++)
			if (purpose_str[i] != ' ' && purpose_str[i] != '\t' && purpose_str[i] != '\n'
				&& purpose_str[i] != '\r')
				blank = false;
	}
	if (blank)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a shared read needs a purpose"),
				 errdetail("Every read of logged 部门共享 records is logged with who, whose and why."),
				 errhint("Give the matter the records are read for, e.g. CALL credit.open_shared_read(%lld, '行政许可审查 2026-001').",
						 (long long) subject_id)));
	values[0] = Int64GetDatum(subject_id);
	values[1] = PointerGetDatum(purpose);
	if (!credit_party_department(&own))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a role registered as a department opens shared reads"),
				 errhint("部门共享 records are read by departments; others read what their own policies allow.")));
	nonatomic = fcinfo->context != NULL && IsA(fcinfo->context, CallContext)
		&& !castNode(CallContext, fcinfo->context)->atomic;

	/* refusals first, in the caller's transaction: they change nothing */
	SPI_connect_ext(nonatomic ? SPI_OPT_NONATOMIC : 0);
	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(credit_subject_owner(),
						   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		bool		isnull;

		credit_spi_select("the subject lookup",
						  "SELECT EXISTS (SELECT FROM credit.subject s WHERE s.subject_id OPERATOR(pg_catalog.=) $1)",
						  1, argtypes, values, InvalidSnapshot, 0, 1, booltype);
		exists = SPI_processed == 1
			&& DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull))
			&& !isnull;
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	if (!exists)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("subject " INT64_FORMAT " does not exist", subject_id)));
	if (!nonatomic)
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("credit.open_shared_read must be called outside a transaction block"),
				 errdetail("The access-log row is committed before the subject opens, so the opening cannot be part of a transaction."),
				 errhint("Run CALL credit.open_shared_read(%lld, purpose) on its own; the subject stays open for the session's following transactions until credit.close_shared_read().",
						 (long long) subject_id)));

	/* a transaction of its own for the log row, committed before the opening */
	SPI_commit();
	ret = SPI_execute_with_args(
		"INSERT INTO credit.access_log (kind, subject_id, purpose)"
		" VALUES ('部门共享'::credit.disclosure_level, $1, $2)",
		2, argtypes, values, NULL, false, 0);
	if (ret != SPI_OK_INSERT || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("could not write the access log for subject " INT64_FORMAT, subject_id)));
	SPI_commit();
	SPI_finish();

	if (shared_read_open(subject_id))
		PG_RETURN_VOID();
	if (n_shared_opened == max_shared_opened)
	{
		int			newmax = max_shared_opened == 0 ? 8 : max_shared_opened * 2;

		if (shared_opened == NULL)
			shared_opened = MemoryContextAlloc(TopMemoryContext, newmax * sizeof(OpenedSharedRead));
		else
			shared_opened = repalloc(shared_opened, newmax * sizeof(OpenedSharedRead));
		max_shared_opened = newmax;
	}
	shared_opened[n_shared_opened].subject_id = subject_id;
	shared_opened[n_shared_opened].roleid = roleid;
	n_shared_opened++;
	PG_RETURN_VOID();
}

/*
 * credit.close_shared_read(subject_id bigint DEFAULT NULL) RETURNS integer:
 * ends the calling role's shared-read opening of this subject (NULL: of
 * all); returns how many ended.
 */
PG_FUNCTION_INFO_V1(credit_close_shared_read);
Datum
credit_close_shared_read(PG_FUNCTION_ARGS)
{
	bool		all = PG_ARGISNULL(0);
	int64		subject_id = all ? 0 : PG_GETARG_INT64(0);
	Oid			roleid = GetUserId();
	int			i,
				kept = 0,
				closed = 0;

	for (i = 0; i < n_shared_opened; i++)
	{
		if (shared_opened[i].roleid == roleid && (all || shared_opened[i].subject_id == subject_id))
		{
			closed++;
			continue;
		}
		shared_opened[kept++] = shared_opened[i];
	}
	n_shared_opened = kept;
	PG_RETURN_INT32(closed);
}

/*
 * credit.opened_shared_reads() RETURNS bigint[]: the subjects the calling
 * role has open for shared reads (empty array when none).
 */
PG_FUNCTION_INFO_V1(credit_opened_shared_reads);
Datum
credit_opened_shared_reads(PG_FUNCTION_ARGS)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n_shared_opened, 1));
	Oid			roleid = GetUserId();
	int			i,
				n = 0;

	for (i = 0; i < n_shared_opened; i++)
		if (shared_opened[i].roleid == roleid)
			elems[n++] = Int64GetDatum(shared_opened[i].subject_id);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * credit.record_shared_read_logged(department_id integer, subject_id
 * bigint, item_code text, disclosure credit.disclosure_level) RETURNS
 * boolean: the predicate of the restrictive policy record_shared_read.
 * False only for a 部门共享 record of another department, of a catalogue
 * item whose shared reads are logged, whose subject the calling role (a
 * department) has not opened with credit.open_shared_read; true for every
 * other row and role (what they read is their permissive policies'
 * business).  The same as
 *   disclosure <> '部门共享' OR NOT credit.in_department_scope(0)
 *   OR credit.in_own_department(department_id)
 *   OR subject_id = ANY (credit.opened_shared_reads())
 *   OR NOT (SELECT i.log_shared_reads FROM credit.catalogue_item i WHERE i.item_code = record.item_code)
 * The catalogue is looked up (a session cache) only for a shared record of
 * another department whose subject is not open.
 */
PG_FUNCTION_INFO_V1(credit_record_shared_read_logged);
Datum
credit_record_shared_read_logged(PG_FUNCTION_ARGS)
{
	int32		own;

	if (PG_ARGISNULL(3))
		PG_RETURN_BOOL(true);
	record_labels();
	if (PG_GETARG_OID(3) != label_shared)
		PG_RETURN_BOOL(true);
	if (!credit_party_department(&own))
		PG_RETURN_BOOL(true);
	if (!PG_ARGISNULL(0) && PG_GETARG_INT32(0) == own)
		PG_RETURN_BOOL(true);
	if (!PG_ARGISNULL(1) && n_shared_opened > 0 && shared_read_open(PG_GETARG_INT64(1)))
		PG_RETURN_BOOL(true);
	if (PG_ARGISNULL(2))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(!item_logs_shared_reads(PG_GETARG_TEXT_PP(2)));
}
