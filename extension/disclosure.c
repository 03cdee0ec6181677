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
 * memory.  Who the calling role is comes from the party cache (party.c).
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
#include "utils/memutils.h"

#include "disclosure.h"
#include "party.h"
#include "spi_query.h"

typedef struct OpenedAuthorisation
{
	int64		authorisation_id;
	int64		subject_id;
	List	   *scope;			/* credit.catalogue_category values (enum OIDs);
								 * NIL: everything */
	SubTransactionId subid;		/* opened in this subtransaction */
} OpenedAuthorisation;

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
 * credit.open_authorisation(authorisation_id bigint) RETURNS bigint
 *
 * The calling role must be the grantee of a valid authorisation (not
 * revoked, inside its validity).  Writes the access-log row (who, which
 * subject, which authorisation, purpose, when) and only then marks the
 * authorisation open for the rest of the transaction.  Returns the subject.
 */
PG_FUNCTION_INFO_V1(credit_open_authorisation);
Datum
credit_open_authorisation(PG_FUNCTION_ARGS)
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
		"       CASE WHEN revoked_at IS NOT NULL"
		"            THEN 'revoked on ' OPERATOR(pg_catalog.||) revoked_at::pg_catalog.date"
		"            WHEN pg_catalog.now() OPERATOR(pg_catalog.<) valid_from"
		"            THEN 'not valid before ' OPERATOR(pg_catalog.||) valid_from::pg_catalog.date"
		"            WHEN pg_catalog.now() OPERATOR(pg_catalog.>=) valid_until"
		"            THEN 'expired on ' OPERATOR(pg_catalog.||) valid_until::pg_catalog.date"
		"       END,"
		"       scope"
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
		/* the types read below: bigint, text, credit.catalogue_category[] */
		Oid			types[3] = {INT8OID, TEXTOID, get_array_type(credit_type_oid("catalogue_category"))};

		credit_spi_expect("the authorisation lookup", 3, types);
	}
	subject_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	problem = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("authorisation " INT64_FORMAT " is not valid: %s",
						authorisation_id, problem)));

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
		" SELECT current_user::pg_catalog.regrole, subject_id, authorisation_id, purpose"
		"   FROM credit.authorisation WHERE authorisation_id OPERATOR(pg_catalog.=) $1",
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

/* An int8[] of one field of every opened authorisation (empty when none). */
static ArrayType *
opened_array(bool subjects)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n_opened, 1));
	int			i;

	for (i = 0; i < n_opened; i++)
		elems[i] = Int64GetDatum(subjects ? opened[i].subject_id : opened[i].authorisation_id);
	return construct_array(elems, n_opened, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/*
 * credit.opened_authorisations() RETURNS bigint[]: the authorisations opened
 * in this transaction (empty array when none).
 */
PG_FUNCTION_INFO_V1(credit_opened_authorisations);
Datum
credit_opened_authorisations(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(opened_array(false));
}

/*
 * credit.opened_subjects() RETURNS bigint[]: the subjects of the
 * authorisations opened in this transaction.
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
 * session opened an authorisation of this subject in this transaction?
 */
PG_FUNCTION_INFO_V1(credit_opened_for);
Datum
credit_opened_for(PG_FUNCTION_ARGS)
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
PG_FUNCTION_INFO_V1(credit_authorised_for);
Datum
credit_authorised_for(PG_FUNCTION_ARGS)
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
