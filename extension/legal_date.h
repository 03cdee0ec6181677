/*
 * legal_date.h: the date the law counts in (legal_date.c).
 */
#ifndef CREDIT_LEGAL_DATE_H
#define CREDIT_LEGAL_DATE_H

#include "datatype/timestamp.h"
#include "utils/date.h"

/* credit.timezone and credit.legal_date (module.c defines them) */
extern char *credit_timezone;
extern char *credit_legal_date_setting;

extern bool credit_check_timezone(char **newval, void **extra, GucSource source);
extern bool credit_check_legal_date(char **newval, void **extra, GucSource source);

/* today's legal date: credit.legal_date if set, else the transaction's date in credit.timezone */
extern DateADT credit_legal_today(void);

/* the legal date of an instant, in credit.timezone */
extern DateADT credit_legal_date_of(TimestampTz t);

#endif							/* CREDIT_LEGAL_DATE_H */
