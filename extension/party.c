/*
 * party.c: who the calling role is, from credit.party, cached for the
 * session per role: the policies ask for every query.
 *
 *   credit.current_party_kind()      the kind of party, NULL if none
 *   credit.current_department_id()   the department, NULL if none
 *
 * The cache is a table cache (table_cache.h) of credit.party: its statement
 * trigger credit.party_changed() empties it in every backend.  It is filled
 * with SPI as the calling role, so credit.party's own row security applies
 * to the lookup, in a fresh snapshot (spi_query.c): a role re-registered
 * while a REPEATABLE READ transaction runs is seen as it is now, not as that
 * transaction's snapshot showed it.  The columns read are checked to be of
 * the types of credit.party (credit.party_kind, integer) before they are
 * used.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/syscache.h"

#include "party.h"
#include "spi_query.h"
#include "table_cache.h"

static CreditTableCache party_tables = {.ntables = 1, .tables = {"party"}};

/* valid while party_tables is valid and the role is party_user */
static Oid	party_user = InvalidOid;
static bool party_found = false;
static Datum party_kind = (Datum) 0;	/* enum value of credit.party_kind */
static bool party_has_department = false;
static int32 party_department = 0;

/* Fills the party cache for the current role, with SPI as that role. */
static void
party_cache_fill(void)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	Oid			types[2] = {InvalidOid, INT4OID};
	Oid			user = GetUserId();

	if (credit_table_cache_is_valid(&party_tables) && party_user == user)
		return;

	values[0] = ObjectIdGetDatum(user);
	types[0] = credit_type_oid("party_kind");
	SPI_connect();
	credit_spi_select("the party lookup",
					  "SELECT p.kind, p.department_id FROM credit.party p"
					  " WHERE p.role OPERATOR(pg_catalog.=) $1::pg_catalog.regrole",
					  1, argtypes, values, InvalidSnapshot, 2, 2, types);
	if (SPI_processed > 1)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("role \"%s\" is registered more than once in credit.party",
						GetUserNameFromId(user, false))));
	party_found = (SPI_processed == 1);
	party_has_department = false;
	if (party_found)
	{
		bool		isnull;
		Datum		dept;

		party_kind = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (isnull)
			party_found = false;
		dept = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		party_has_department = !isnull;
		if (!isnull)
			party_department = DatumGetInt32(dept);
	}
	SPI_finish();
	party_user = user;
	credit_table_cache_set_valid(&party_tables);
}

bool
credit_party_kind(Datum *kind)
{
	party_cache_fill();
	if (party_found)
		*kind = party_kind;
	return party_found;
}

bool
credit_party_department(int32 *department)
{
	party_cache_fill();
	if (party_found && party_has_department)
		*department = party_department;
	return party_found && party_has_department;
}

bool
credit_party_is(const char *kind_label)
{
	Oid			type;
	Oid			value;

	party_cache_fill();
	if (!party_found)
		return false;
	type = credit_type_oid("party_kind");
	value = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
							ObjectIdGetDatum(type), CStringGetDatum(kind_label));
	if (!OidIsValid(value))
		elog(ERROR, "credit.party_kind has no label \"%s\"", kind_label);
	return DatumGetObjectId(party_kind) == value;
}

/*
 * credit.current_party_kind() RETURNS credit.party_kind: the calling role's
 * kind of party, NULL if it is not registered.
 */
PG_FUNCTION_INFO_V1(credit_current_party_kind);
Datum
credit_current_party_kind(PG_FUNCTION_ARGS)
{
	Datum		kind;

	if (!credit_party_kind(&kind))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(kind);
}

/*
 * credit.current_department_id() RETURNS integer: the calling role's
 * department, NULL if it is not a department role.
 */
PG_FUNCTION_INFO_V1(credit_current_department_id);
Datum
credit_current_department_id(PG_FUNCTION_ARGS)
{
	int32		department;

	if (!credit_party_department(&department))
		PG_RETURN_NULL();
	PG_RETURN_INT32(department);
}
