/*
 * legal_date.c: the date the law counts in.
 *
 * Deadlines, publicity periods and list terms are counted in days of the
 * place whose law applies, not of the client: a session with TimeZone = UTC
 * (as pgjdbc sets it) must not see a record whose publicity ended today in
 * Beijing as public, nor get a deadline one working day early.  The date of
 * an instant is its date in credit.timezone (default Asia/Shanghai; set by
 * the DBA only); "today" is the date of the transaction's start there, the
 * same instant current_date uses.  credit.legal_date, also for superusers
 * only, fixes today to a given date: for tests and for re-running a day.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "legal_date.h"

char	   *credit_timezone = NULL;
char	   *credit_legal_date_setting = NULL;

/* "YYYY-MM-DD" to a date; false if it is not one */
static bool
parse_iso_date(const char *s, DateADT *result)
{
	int			y,
				m,
				d;
	char		tail;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(s) != 10)
		return false;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > day_tab[isleap(y)][m - 1])
		return false;
	*result = date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
	return true;
}

bool
credit_check_timezone(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || **newval == '\0' || pg_tzset(*newval) == NULL)
	{
		GUC_check_errdetail("\"%s\" is not a time zone PostgreSQL knows.", *newval ? *newval : "");
		GUC_check_errhint("Use a name from pg_timezone_names, such as Asia/Shanghai.");
		return false;
	}
	return true;
}

bool
credit_check_legal_date(char **newval, void **extra, GucSource source)
{
	DateADT		d;

	if (*newval == NULL || **newval == '\0' || parse_iso_date(*newval, &d))
		return true;
	GUC_check_errdetail("The legal date is written YYYY-MM-DD, or empty for the clock.");
	return false;
}

/* the zone of credit.timezone, looked up again when the setting changes */
static pg_tz *
legal_zone(void)
{
	static char cached_name[TZ_STRLEN_MAX + 1] = "";
	static pg_tz *cached_zone = NULL;

	if (cached_zone == NULL || strcmp(cached_name, credit_timezone) != 0)
	{
		cached_zone = pg_tzset(credit_timezone);
		if (cached_zone == NULL)
			elog(ERROR, "time zone \"%s\" not found", credit_timezone);
		strlcpy(cached_name, credit_timezone, sizeof(cached_name));
	}
	return cached_zone;
}

DateADT
credit_legal_date_of(TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;

	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("an infinite time has no legal date")));
	if (timestamp2tm(t, &tzoff, &tm, &fsec, NULL, legal_zone()) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

DateADT
credit_legal_today(void)
{
	static TimestampTz cached_start = 0;
	static pg_tz *cached_zone = NULL;
	static DateADT cached_date = 0;
	TimestampTz start;
	DateADT		fixed;

	if (credit_legal_date_setting != NULL && *credit_legal_date_setting != '\0'
		&& parse_iso_date(credit_legal_date_setting, &fixed))
		return fixed;
	start = GetCurrentTransactionStartTimestamp();
	if (start != cached_start || cached_zone != legal_zone())
	{
		cached_date = credit_legal_date_of(start);
		cached_start = start;
		cached_zone = legal_zone();
	}
	return cached_date;
}

PG_FUNCTION_INFO_V1(credit_legal_date);
Datum
credit_legal_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(credit_legal_today());
}

PG_FUNCTION_INFO_V1(credit_legal_date_at);
Datum
credit_legal_date_at(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(credit_legal_date_of(PG_GETARG_TIMESTAMPTZ(0)));
}
