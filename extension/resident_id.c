/*
 * resident_id.c: the credit.resident_id type, 公民身份号码 (GB 11643-1999).
 *
 * Storage: the first 17 digits as an int8, passed by value; the check
 * character is recomputed on output.  Numeric order of the 17 digits is the
 * order of the canonical text, so the type reuses int8's comparison, hash
 * and sort support functions (see 12_resident_id.sql).
 *
 * A resident identity number is personal data: no message of this file
 * contains the number, only the position and digit that is wrong.
 */
#include "postgres.h"

#include "access/xact.h"
#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "credit.h"

static void
rid_report(const char *input, const rid_parsed *p)
{
	switch (p->error)
	{
		case RID_ERR_SYMBOL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type resident_id"),
					 errdetail("Character \"%s\" at position %d is not allowed: positions 1-17 are digits and position 18 is a digit or \"X\".",
							   credit_bad_char_text(input, &p->bad), p->pos)));
			break;
		case RID_ERR_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type resident_id"),
					 errdetail("A resident identity number has 18 characters, or 15 digits for a first-generation number, after removing spaces and hyphens; this one has %d.",
							   p->len)));
			break;
		case RID_ERR_REGION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid province code in resident identity number"),
					 errdetail("Positions 1-2 are \"%.2s\", which is not a province-level code (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81-83).",
							   p->code)));
			break;
		case RID_ERR_DATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid date of birth in resident identity number"),
					 errdetail("Positions 7-14 are not a date between 1800-01-01 and 2099-12-31%s.",
							   p->from15 ? " (a 15-digit number gets \"19\" before its 2-digit year)" : "")));
			break;
		case RID_ERR_FUTURE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid date of birth in resident identity number"),
					 errdetail("Positions 7-14 are a date in the future; a date of birth cannot be later than today.")));
			break;
		case RID_ERR_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check character in resident identity number"),
					 errdetail("Position 18 (check character) is \"%c\"; expected \"%c\".",
							   p->code[17], p->expected)));
			break;
		case RID_OK:
			break;
	}
}

/*
 * The latest acceptable date of birth, YYYYMMDD: the current transaction's
 * date in UTC+14, the easternmost time zone, so a number issued today
 * anywhere is never refused.  This makes input STABLE, not IMMUTABLE.
 */
static long
rid_latest_birth_date(void)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp() + 14 * USECS_PER_HOUR;
	int			year,
				month,
				day;

	j2date(now / USECS_PER_DAY + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	return (long) year * 10000 + month * 100 + day;
}

static int64
rid_from_cstring(const char *str, size_t len)
{
	rid_parsed	p;

	if (ident_rid_parse(str, len, rid_latest_birth_date(), &p) != RID_OK)
		rid_report(str, &p);
	return ident_rid_to_int(p.code);
}

/* The canonical 18 characters of a stored value. */
static void
rid_decode(int64 v, char *code19)
{
	if (!ident_rid_from_int(v, code19))
		elog(ERROR, "corrupt resident_id value");
}

PG_FUNCTION_INFO_V1(resident_id_in);
Datum
resident_id_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);

	PG_RETURN_INT64(rid_from_cstring(str, strlen(str)));
}

PG_FUNCTION_INFO_V1(resident_id_out);
Datum
resident_id_out(PG_FUNCTION_ARGS)
{
	char	   *out = palloc(RID_LEN + 1);

	rid_decode(PG_GETARG_INT64(0), out);
	PG_RETURN_CSTRING(out);
}

PG_FUNCTION_INFO_V1(resident_id_recv);
Datum
resident_id_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *str = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);

	PG_RETURN_INT64(rid_from_cstring(str, nbytes));
}

PG_FUNCTION_INFO_V1(resident_id_send);
Datum
resident_id_send(PG_FUNCTION_ARGS)
{
	char		code[RID_LEN + 1];
	StringInfoData buf;

	rid_decode(PG_GETARG_INT64(0), code);
	pq_begintypsend(&buf);
	pq_sendtext(&buf, code, RID_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(resident_id_text_is_valid);
Datum
resident_id_text_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	rid_parsed	p;

	PG_RETURN_BOOL(ident_rid_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
							 rid_latest_birth_date(), &p) == RID_OK);
}

PG_FUNCTION_INFO_V1(resident_id_birth_date);
Datum
resident_id_birth_date(PG_FUNCTION_ARGS)
{
	char		code[RID_LEN + 1];
	int			year,
				month,
				day;

	rid_decode(PG_GETARG_INT64(0), code);
	ident_rid_birth_date(code, &year, &month, &day);
	PG_RETURN_DATEADT(date2j(year, month, day) - POSTGRES_EPOCH_JDATE);
}

PG_FUNCTION_INFO_V1(resident_id_sex);
Datum
resident_id_sex(PG_FUNCTION_ARGS)
{
	char		code[RID_LEN + 1];

	rid_decode(PG_GETARG_INT64(0), code);
	PG_RETURN_TEXT_P(cstring_to_text(ident_rid_is_male(code) ? "男" : "女"));
}

PG_FUNCTION_INFO_V1(resident_id_region);
Datum
resident_id_region(PG_FUNCTION_ARGS)
{
	char		code[RID_LEN + 1];
	char		region[RID_REGION_LEN + 1];

	rid_decode(PG_GETARG_INT64(0), code);
	ident_rid_region(code, region);
	PG_RETURN_TEXT_P(cstring_to_text(region));
}

/* Masked for public display (ident_rid_mask): 110105********002X. */
PG_FUNCTION_INFO_V1(resident_id_mask);
Datum
resident_id_mask(PG_FUNCTION_ARGS)
{
	char		code[RID_LEN + 1];
	char		masked[RID_LEN + 1];

	rid_decode(PG_GETARG_INT64(0), code);
	ident_rid_mask(code, masked);
	PG_RETURN_TEXT_P(cstring_to_text(masked));
}
