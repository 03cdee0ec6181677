/*
 * spi_query.c: the queries the C code runs through SPI, in a fresh snapshot
 * and with the types of their results checked (see spi_query.h).
 *
 * Why a fresh snapshot: the caches built from these queries (party.c,
 * machines.c) outlive the statement and the transaction that fills them.
 * Filled with a REPEATABLE READ transaction's snapshot, they would keep
 * what that snapshot showed after the change that emptied them, for the
 * rest of the session.  So they read the latest committed state
 * (GetLatestSnapshot(), as the foreign-key checks do) through SPI, as the
 * calling role: the tables' own row security and privileges still apply
 * to the lookup, which a systable scan would bypass.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "spi_query.h"

void
credit_spi_expect(const char *what, int natts, const Oid *types)
{
	TupleDesc	desc = SPI_tuptable ? SPI_tuptable->tupdesc : NULL;
	int			i;

	if (desc == NULL || desc->natts != natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("%s returned %d columns, not %d", what, desc ? desc->natts : 0, natts),
				 errdetail("The extension's own query returned an unexpected row."),
				 errhint("Reinstall the extension if its objects were changed.")));
	for (i = 0; i < natts; i++)
		if (SPI_gettypeid(desc, i + 1) != types[i])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s: column %d is of type %s, not %s", what, i + 1,
							format_type_be(SPI_gettypeid(desc, i + 1)), format_type_be(types[i])),
					 errdetail("The extension's own query returned a value of an unexpected type."),
					 errhint("Reinstall the extension if its objects were changed.")));
}

void
credit_spi_select(const char *what, const char *sql, int nargs, Oid *argtypes,
				  Datum *values, Snapshot snapshot, long tcount,
				  int natts, const Oid *types)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);
	int			ret;

	if (plan == NULL)
		elog(ERROR, "%s: SPI_prepare failed: %s", what, SPI_result_code_string(SPI_result));
	ret = SPI_execute_snapshot(plan, values, NULL,
							   snapshot != InvalidSnapshot ? snapshot : GetLatestSnapshot(),
							   InvalidSnapshot, true, false, tcount);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "%s: SPI_execute_snapshot failed: %s", what, SPI_result_code_string(ret));
	credit_spi_expect(what, natts, types);
	SPI_freeplan(plan);
}

Oid
credit_type_oid(const char *name)
{
	Oid			nsp = get_namespace_oid("credit", false);
	Oid			type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									   CStringGetDatum(name), ObjectIdGetDatum(nsp));

	if (!OidIsValid(type))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type credit.%s does not exist", name),
				 errhint("Reinstall the extension.")));
	return type;
}

/* The owner of credit.subject. */
Oid
credit_subject_owner(void)
{
	Oid			relid = get_relname_relid("subject", get_namespace_oid("credit", false));
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table credit.subject does not exist"),
				 errhint("Reinstall the extension if its objects were changed.")));
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}
