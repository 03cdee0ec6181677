/*
 * module.c: the module entry point and the extension's settings (GUCs).
 *
 * Every setting lives under the reserved prefix "credit." so a typo such as
 * SET credit.usc_lenient = on is an error instead of a silent placeholder.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "credit.h"
#include "disclosure.h"
#include "legal_date.h"
#include "transition.h"

PG_MODULE_MAGIC;

bool		credit_uscc_lenient = false;

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

	MarkGUCPrefixReserved("credit");

	credit_disclosure_init();
	credit_transition_init();
}
