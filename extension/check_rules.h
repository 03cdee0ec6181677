/*
 * check_rules.h: the rules of a matter where credit is checked (联合奖惩,
 * 60_measures.sql), for the credit check (credit_check.c): a session cache
 * (table_cache.h) of credit.matter, credit.measure_rule and credit.measure.
 */
#ifndef CREDIT_CHECK_RULES_H
#define CREDIT_CHECK_RULES_H

#include "utils/date.h"

/* a rule of the matter and its measure */
typedef struct CreditCheckRule
{
	const char *rule_code;
	const char *trigger_kind;
	const char *trigger_value;	/* NULL: any value */
	bool		names_persons;
	const char *measure_code;
	const char *polarity;
	const char *content;
	const char *basis;
	bool		mandatory;
	DateADT		from;			/* in force from (the rule's and the measure's) */
	DateADT		until;			/* in force until, inclusive (DATEVAL_NOEND: open) */
} CreditCheckRule;

/*
 * The rules for matter (the matter's own by code and those of its kind)
 * in force on day, the matter in force on day too, their measures in force
 * as well: an array of *n pointers, palloc'd in the current memory
 * context, to rules valid until the next call.  None when there is no such
 * matter.  Errors out as the executor would unless the calling role may
 * read the three tables (SELECT).
 */
extern const CreditCheckRule **credit_check_rules(text *matter, DateADT day, int *n);

#endif							/* CREDIT_CHECK_RULES_H */
