/*
 * disclosure.c: the session state that row-level security relies on and
 * that no SQL can forge.
 *
 *   credit.act_for_subject(subject)      the portal acts for a verified subject
 *   credit.open_authorisation(id)        an authorised party opens a valid
 *                                        authorisation, writing the access log
 *
 * Both keep their state in this backend's memory, set only by these C
 * functions after their checks (run through SPI as the calling role, so row
 * security and privileges apply to the checks themselves), and cleared at
 * the end of the transaction, or at the abort of the subtransaction that set
 * it.  SET, set_config() and custom GUCs cannot reach it.  The policies read
 * it through the row predicates credit.acting_for(), opened_for() and
 * authorised_for() (and credit.acting_subject() on authorisations and the
 * access log), which are PARALLEL RESTRICTED: a parallel worker has its own
 * memory.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"

#include "credit.h"

typedef struct OpenedAuthorisation
{
	int64		authorisation_id;
	int64		subject_id;
	List	   *scope;			/* credit.catalogue_category values (enum OIDs);
								 * NIL: everything */
	SubTransactionId subid;		/* opened in this subtransaction */
} OpenedAuthorisation;

/*
 * Who the calling role is (credit.party), cached for the session per role:
 * the policies ask for every query.  A statement trigger on credit.party
 * sends a relcache invalidation, which empties the cache in every backend.
 */
static bool party_cache_valid = false;
static Oid	party_cache_user = InvalidOid;
static bool party_cache_found = false;
static Datum party_cache_kind = (Datum) 0;	/* enum value of credit.party_kind */
static bool party_cache_has_department = false;
static int32 party_cache_department = 0;
static Oid	party_relid = InvalidOid;

/* Lives in TopTransactionContext; reset by the transaction callbacks. */
static OpenedAuthorisation *opened = NULL;
static int	n_opened = 0;
static int	max_opened = 0;

static int64 acting_subject = 0;	/* 0: acting for nobody */
static SubTransactionId acting_subid = InvalidSubTransactionId;

static bool callbacks_registered = false;

static void
disclosure_reset(void)
{
	opened = NULL;				/* its memory goes with TopTransactionContext */
	n_opened = 0;
	max_opened = 0;
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
	int			i,
				kept;

	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;

	/* forget what this subtransaction or its children set */
	kept = 0;
	for (i = 0; i < n_opened; i++)
		if (opened[i].subid < mySubid)
			opened[kept++] = opened[i];
	n_opened = kept;
	if (acting_subject != 0 && acting_subid >= mySubid)
	{
		acting_subject = 0;
		acting_subid = InvalidSubTransactionId;
	}
}

static void
party_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == party_relid || party_relid == InvalidOid)
		party_cache_valid = false;
}

void
credit_disclosure_init(void)
{
	if (!callbacks_registered)
	{
		RegisterXactCallback(disclosure_xact_callback, NULL);
		RegisterSubXactCallback(disclosure_subxact_callback, NULL);
		CacheRegisterRelcacheCallback(party_relcache_callback, (Datum) 0);
		callbacks_registered = true;
	}
}

/* Fills the party cache for the current role, with SPI as that role. */
static void
party_cache_fill(void)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	int			ret;
	Oid			user = GetUserId();

	if (party_cache_valid && party_cache_user == user)
		return;

	credit_disclosure_init();
	if (party_relid == InvalidOid)
		party_relid = get_relname_relid("party", get_namespace_oid("credit", false));

	values[0] = ObjectIdGetDatum(user);
	SPI_connect();
	ret = SPI_execute_with_args("SELECT kind, department_id FROM credit.party WHERE role = $1::regrole",
								1, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(ret));
	party_cache_found = (SPI_processed == 1);
	party_cache_has_department = false;
	if (party_cache_found)
	{
		bool		isnull;
		Datum		dept;

		party_cache_kind = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		dept = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		party_cache_has_department = !isnull;
		if (!isnull)
			party_cache_department = DatumGetInt32(dept);
	}
	SPI_finish();
	party_cache_user = user;
	party_cache_valid = true;
}

/* The calling role's kind of party (an enum value); false if not registered. */
bool
credit_party_kind(Datum *kind)
{
	party_cache_fill();
	if (party_cache_found)
		*kind = party_cache_kind;
	return party_cache_found;
}

/*
 * credit.current_party_kind() RETURNS credit.party_kind: the calling role's
 * kind of party, NULL if it is not registered.
 */
PG_FUNCTION_INFO_V1(current_party_kind);
Datum
current_party_kind(PG_FUNCTION_ARGS)
{
	party_cache_fill();
	if (!party_cache_found)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(party_cache_kind);
}

/*
 * credit.current_department_id() RETURNS integer: the calling role's
 * department, NULL if it is not a department role.
 */
PG_FUNCTION_INFO_V1(current_department_id);
Datum
current_department_id(PG_FUNCTION_ARGS)
{
	party_cache_fill();
	if (!party_cache_found || !party_cache_has_department)
		PG_RETURN_NULL();
	PG_RETURN_INT32(party_cache_department);
}

/* Statement trigger on credit.party: other backends drop their cache. */
PG_FUNCTION_INFO_V1(party_changed);
Datum
party_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "party_changed: not called as a trigger");
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	party_cache_valid = false;
	return PointerGetDatum(NULL);
}

/* The party kind of the calling role, or NULL if it is not registered. */
static char *
caller_party_kind(void)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(GetUserId())};
	char	   *kind = NULL;
	int			ret;

	ret = SPI_execute_with_args("SELECT kind::text FROM credit.party WHERE role = $1::regrole",
								1, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(ret));
	if (SPI_processed == 1)
	{
		char	   *k = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		kind = MemoryContextStrdup(TopTransactionContext, k);
	}
	return kind;
}

/*
 * credit.act_for_subject(subject_id bigint) RETURNS void
 *
 * Only the registered portal role may act for a subject; anyone else gets an
 * error and nothing changes.  The portal has verified the person or
 * organisation before calling this (that verification is outside the
 * database).  Acting lasts until the end of the transaction.
 */
PG_FUNCTION_INFO_V1(act_for_subject);
Datum
act_for_subject(PG_FUNCTION_ARGS)
{
	int64		subject_id = PG_GETARG_INT64(0);
	char	   *kind;
	int			ret;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(subject_id)};
	bool		exists;
	bool		isnull;

	credit_disclosure_init();
	SPI_connect();
	kind = caller_party_kind();
	if (kind == NULL || strcmp(kind, "信用网站") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only the public portal role can act for a subject"),
				 errdetail("Role \"%s\" is registered as %s.",
						   GetUserNameFromId(GetUserId(), false),
						   kind ? kind : "no party"),
				 errhint("Subjects act through the 信用网站 role registered with credit.register_portal_role().")));

	ret = SPI_execute_with_args("SELECT credit.subject_exists($1)",
								1, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "subject lookup failed");
	exists = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull)
		exists = false;
	SPI_finish();

	if (!exists)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("subject %lld does not exist", (long long) subject_id)));

	acting_subject = subject_id;
	acting_subid = GetCurrentSubTransactionId();
	PG_RETURN_VOID();
}

/*
 * credit.acting_subject() RETURNS bigint: the subject the portal acts for in
 * this transaction, or NULL.
 */
PG_FUNCTION_INFO_V1(acting_subject_fn);
Datum
acting_subject_fn(PG_FUNCTION_ARGS)
{
	if (acting_subject == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(acting_subject);
}

/*
 * credit.open_authorisation(authorisation_id bigint) RETURNS bigint
 *
 * The calling role must be the grantee of a valid authorisation (not
 * revoked, inside its validity).  Writes the access-log row (who, which
 * subject, which authorisation, purpose, when) and only then marks the
 * authorisation open for the rest of the transaction.  Returns the subject.
 */
PG_FUNCTION_INFO_V1(open_authorisation);
Datum
open_authorisation(PG_FUNCTION_ARGS)
{
	int64		authorisation_id = PG_GETARG_INT64(0);
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(authorisation_id)};
	int			ret;
	bool		isnull;
	int64		subject_id;
	char	   *problem;
	List	   *scope;

	credit_disclosure_init();
	SPI_connect();

	/*
	 * As the calling role: row security shows a grantee only its own
	 * authorisations, so another party's authorisation is "not found".
	 */
	ret = SPI_execute_with_args(
		"SELECT subject_id,"
		"       CASE WHEN revoked_at IS NOT NULL THEN 'revoked on ' || revoked_at::date"
		"            WHEN now() < valid_from THEN 'not valid before ' || valid_from::date"
		"            WHEN now() >= valid_until THEN 'expired on ' || valid_until::date"
		"       END,"
		"       scope"
		"  FROM credit.authorisation"
		" WHERE authorisation_id = $1 AND grantee = current_user::regrole",
		1, argtypes, values, NULL, false, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(ret));
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("authorisation %lld not found for role \"%s\"",
						(long long) authorisation_id,
						GetUserNameFromId(GetUserId(), false)),
				 errhint("An authorisation can be opened only by its grantee.")));

	subject_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	problem = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("authorisation %lld is not valid: %s",
						(long long) authorisation_id, problem)));

	{
		Datum		scope_datum = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
		MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);

		scope = NIL;
		if (!isnull)
		{
			ArrayType  *arr = DatumGetArrayTypeP(scope_datum);
			Datum	   *elems;
			bool	   *nulls;
			int			nelems;
			int			i;

			deconstruct_array(arr, ARR_ELEMTYPE(arr), sizeof(Oid), true, TYPALIGN_INT,
							  &elems, &nulls, &nelems);
			for (i = 0; i < nelems; i++)
				if (!nulls[i])
					scope = lappend_oid(scope, DatumGetObjectId(elems[i]));
			if (scope == NIL)
				scope = list_make1_oid(InvalidOid); /* an empty scope covers nothing */
		}
		MemoryContextSwitchTo(old);
	}

	/* the log row first: no read without its record */
	ret = SPI_execute_with_args(
		"INSERT INTO credit.access_log (role, subject_id, authorisation_id, purpose)"
		" SELECT current_user::regrole, subject_id, authorisation_id, purpose"
		"   FROM credit.authorisation WHERE authorisation_id = $1",
		1, argtypes, values, NULL, false, 0);
	if (ret != SPI_OK_INSERT || SPI_processed != 1)
		elog(ERROR, "could not write the access log");
	SPI_finish();

	if (n_opened == max_opened)
	{
		int			newmax = max_opened == 0 ? 8 : max_opened * 2;

		if (opened == NULL)
			opened = MemoryContextAlloc(TopTransactionContext,
										newmax * sizeof(OpenedAuthorisation));
		else
			opened = repalloc(opened, newmax * sizeof(OpenedAuthorisation));
		max_opened = newmax;
	}
	opened[n_opened].authorisation_id = authorisation_id;
	opened[n_opened].subject_id = subject_id;
	opened[n_opened].scope = scope;
	opened[n_opened].subid = GetCurrentSubTransactionId();
	n_opened++;

	PG_RETURN_INT64(subject_id);
}

/*
 * credit.opened_authorisations() RETURNS bigint[]: the authorisations opened
 * in this transaction (empty array when none).
 */
PG_FUNCTION_INFO_V1(opened_authorisations);
Datum
opened_authorisations(PG_FUNCTION_ARGS)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n_opened, 1));
	int			i;

	for (i = 0; i < n_opened; i++)
		elems[i] = Int64GetDatum(opened[i].authorisation_id);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n_opened, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * credit.opened_subjects() RETURNS bigint[]: the subjects of the
 * authorisations opened in this transaction.
 */
PG_FUNCTION_INFO_V1(opened_subjects);
Datum
opened_subjects(PG_FUNCTION_ARGS)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n_opened, 1));
	int			i;

	for (i = 0; i < n_opened; i++)
		elems[i] = Int64GetDatum(opened[i].subject_id);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n_opened, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
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
PG_FUNCTION_INFO_V1(in_department_scope);
Datum
in_department_scope(PG_FUNCTION_ARGS)
{
	int32		department = PG_GETARG_INT32(0);

	party_cache_fill();
	if (!party_cache_found || !party_cache_has_department)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(department == 0 || department == party_cache_department);
}

/*
 * credit.acting_for(subject_id bigint) RETURNS boolean: is the portal acting
 * for this subject in this transaction?  (Only the registered portal can
 * have called credit.act_for_subject.)
 */
PG_FUNCTION_INFO_V1(acting_for);
Datum
acting_for(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(acting_subject != 0 && acting_subject == PG_GETARG_INT64(0));
}

/*
 * credit.opened_for(subject_id bigint) RETURNS boolean: has the calling
 * session opened an authorisation of this subject in this transaction?
 */
PG_FUNCTION_INFO_V1(opened_for);
Datum
opened_for(PG_FUNCTION_ARGS)
{
	int64		subject_id = PG_GETARG_INT64(0);
	int			i;

	for (i = 0; i < n_opened; i++)
		if (opened[i].subject_id == subject_id)
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}

/*
 * credit.authorised_for(subject_id bigint, category credit.catalogue_category)
 * RETURNS boolean: does an authorisation opened in this transaction cover
 * this subject and category?  (Scope never changes: an authorisation is only
 * ever revoked.)  The category is compared as the enum value, no text.
 */
PG_FUNCTION_INFO_V1(authorised_for);
Datum
authorised_for(PG_FUNCTION_ARGS)
{
	int64		subject_id = PG_GETARG_INT64(0);
	Oid			category = PG_GETARG_OID(1);
	int			i;

	for (i = 0; i < n_opened; i++)
	{
		if (opened[i].subject_id != subject_id)
			continue;
		if (opened[i].scope == NIL || list_member_oid(opened[i].scope, category))
			PG_RETURN_BOOL(true);
	}
	PG_RETURN_BOOL(false);
}
