/*
 * module.c: the module entry point and the extension's settings (GUCs).
 *
 * Every setting lives under the reserved prefix "credit." so a typo such as
 * SET credit.usc_lenient = on is an error instead of a silent placeholder.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/rel.h"

#include "collection.h"
#include "credit.h"
#include "disclosure.h"
#include "legal_date.h"
#include "transition.h"

PG_MODULE_MAGIC;

#ifndef CREDIT_VERSION
#error "CREDIT_VERSION is set by the Makefile, from credit.control"
#endif

bool		credit_uscc_lenient = false;
static bool credit_allow_drop = false;
static int	credit_access_log_retention = 5;

/* retention of the access log: never below 5 years (docs/audit.md) */
static bool
check_access_log_retention(int *newval, void **extra, GucSource source)
{
	if (*newval >= 5)
		return true;
	GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
	GUC_check_errmsg("the access log is kept at least 5 years, not %d", *newval);
	GUC_check_errdetail("Query records are kept at least 5 years (Shenzhen §45); Zhejiang-like rules ask 10.");
	GUC_check_errhint("Set credit.access_log_retention to 5 or more.");
	return false;
}

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomBoolVariable("credit.uscc_lenient",
							 "Accepts and flags unified social credit codes with a wrong check character or an unlisted authority/category pair.",
							 "宽松模式: 接受校验码错误或登记管理部门/机构类别组合未列入 GB 32100-2015 的统一社会信用代码, 并加标记 (输出末尾为 \"!\"). "
							 "Flagged values print with a trailing \"!\" and uscc_is_valid() answers false for them.",
							 &credit_uscc_lenient,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomStringVariable("credit.timezone",
							   "The time zone whose date the law counts in: deadlines, publicity periods, list terms.",
							   "法定日期所用时区 (time zone of the legal date), whatever the session's TimeZone; "
							   "set by a superuser (postgresql.conf, ALTER DATABASE or ALTER ROLE).",
							   &credit_timezone,
							   "Asia/Shanghai",
							   PGC_SUSET,
							   0,
							   credit_check_timezone, NULL, NULL);

	DefineCustomStringVariable("credit.legal_date",
							   "Fixes today's legal date (YYYY-MM-DD); empty: the clock.",
							   "固定法定日期 (for tests, and for re-running a day); set by a superuser only.",
							   &credit_legal_date_setting,
							   "",
							   PGC_SUSET,
							   0,
							   credit_check_legal_date, NULL, NULL);

	DefineCustomBoolVariable("credit.allow_drop",
							 "Lets DROP EXTENSION credit drop credit data in this session.",
							 "允许删除 (allow dropping the extension with its data); credit.drop_guard() refuses it otherwise. "
							 "Superuser only.",
							 &credit_allow_drop,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("credit.access_log_retention",
							"Years the access log (credit.access_log) is kept; credit.purge_access_log() removes older rows.",
							"查询日志保存期限(年) (retention of the access log in years, at least 5, default 5; "
							"set by a superuser: postgresql.conf, ALTER DATABASE or ALTER ROLE).",
							&credit_access_log_retention,
							5,
							1, 1000,
							PGC_SUSET,
							0,
							check_access_log_retention, NULL, NULL);

	MarkGUCPrefixReserved("credit");

	credit_disclosure_init();
	credit_transition_init();
	credit_collection_init();
}

/* The installed version of the extension in this database, or NULL. */
static char *
installed_version(void)
{
	Oid			extoid = get_extension_oid("credit", true);
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	char	   *result = NULL;

	if (!OidIsValid(extoid))
		return NULL;
	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);

		if (!isnull)
			result = text_to_cstring(DatumGetTextPP(d));
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return result;
}

/*
 * credit.version(): the version installed in this database and the version
 * of the loaded library; a warning when they differ (the library was
 * upgraded and ALTER EXTENSION credit UPDATE not yet run, or the reverse).
 */
PG_FUNCTION_INFO_V1(credit_version);
Datum
credit_version(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	char	   *installed = installed_version();

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "credit.version() must return a row");
	desc = BlessTupleDesc(desc);
	if (installed == NULL)
		nulls[0] = true;
	else
		values[0] = CStringGetTextDatum(installed);
	values[1] = CStringGetTextDatum(CREDIT_VERSION);
	if (installed != NULL && strcmp(installed, CREDIT_VERSION) != 0)
		ereport(WARNING,
				(errmsg("credit library version %s does not match the installed extension version %s",
						CREDIT_VERSION, installed),
				 errhint("Run ALTER EXTENSION credit UPDATE, or install the library of version %s and reconnect.",
						 installed)));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
