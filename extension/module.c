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

	MarkGUCPrefixReserved("credit");

	credit_disclosure_init();
	credit_transition_init();
}
