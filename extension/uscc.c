/*
 * uscc.c: the credit.uscc type, 统一社会信用代码 (GB 32100-2015).
 *
 * Storage: 12 bytes, the 18 symbols at 5 bits each, most significant first,
 * so memcmp order is the canonical text order in "C" collation; the low bit
 * of the last byte flags a nonconforming code accepted in lenient mode
 * (printed with a trailing "!").  The rules themselves are in identifiers.c.
 */
#include "postgres.h"

#include "access/hash.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "lib/hyperloglog.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/sortsupport.h"

#include "credit.h"

typedef struct Uscc
{
	uint8		b[USCC_PACKED_LEN];
} Uscc;

#define DatumGetUsccP(X)	((Uscc *) DatumGetPointer(X))
#define PG_GETARG_USCC_P(n) DatumGetUsccP(PG_GETARG_DATUM(n))

/* ------------------------------------------------------------------ */
/* errors                                                               */
/* ------------------------------------------------------------------ */

static const char *
misread_hint(char c)
{
	switch (c)
	{
		case 'I':
			return "GB 32100-2015 never uses the letters I, O, Z, S and V; an \"I\" is usually a misread \"1\".";
		case 'O':
			return "GB 32100-2015 never uses the letters I, O, Z, S and V; an \"O\" is usually a misread \"0\".";
		case 'Z':
			return "GB 32100-2015 never uses the letters I, O, Z, S and V; a \"Z\" is usually a misread \"2\".";
		case 'S':
			return "GB 32100-2015 never uses the letters I, O, Z, S and V; an \"S\" is usually a misread \"5\".";
		case 'V':
			return "GB 32100-2015 never uses the letters I, O, Z, S and V; check the \"V\" against the source document.";
		default:
			return NULL;
	}
}

#define LENIENT_HINT "If the code is registered as printed, set credit.uscc_lenient to on to accept it flagged, or append \"!\" to the value."

/*
 * Raises the error for a parse result that is not accepted.  "input" is the
 * caller's text, echoed in the message.
 */
static void
uscc_report(const char *input, const uscc_parsed *p)
{
	char		list[64];

	switch (p->error)
	{
		case USCC_ERR_SYMBOL:
			{
				const char *hint = misread_hint(p->bad.ascii);

				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type uscc: \"%s\"", input),
						 errdetail("Character \"%s\" at position %d is not one of the 31 code symbols 0-9, A-H, J-N, P-R, T, U, W-Y.",
								   credit_bad_char_text(input, &p->bad), p->pos),
						 hint ? errhint("%s", hint) : 0));
				break;
			}
		case USCC_ERR_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type uscc: \"%s\"", input),
					 errdetail("A unified social credit code has 18 characters after removing spaces and hyphens; this one has %d.",
							   p->len)));
			break;
		case USCC_ERR_DIVISION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type uscc: \"%s\"", input),
					 errdetail("Positions 3-8 (division code) must be 6 digits; position %d is \"%c\".",
							   p->division_pos, p->code[p->division_pos - 1])));
			break;
		case USCC_ERR_AUTHORITY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("unknown registration authority in uscc: \"%s\"", input),
					 errdetail("Position 1 (registration authority) is \"%c\"; expected one of %s.",
							   p->code[0], uscc_authority_list()),
					 errhint(LENIENT_HINT)));
			break;
		case USCC_ERR_CATEGORY:
			uscc_categories_of(p->code[0], list, sizeof(list));
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("organisation category not allowed for its registration authority in uscc: \"%s\"", input),
					 errdetail("Position 2 (organisation category) is \"%c\", which registration authority \"%c\" (%s) does not use; expected one of %s.",
							   p->code[1], p->code[0], uscc_authority_name(p->code[0]), list),
					 errhint(LENIENT_HINT)));
			break;
		case USCC_ERR_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check character in uscc: \"%s\"", input),
					 errdetail("Position 18 (check character) is \"%c\"; expected \"%c\".",
							   p->code[17], p->expected),
					 errhint(LENIENT_HINT)));
			break;
		case USCC_OK:
			break;
	}
}

/*
 * Parses text into a packed value, raising on refusal.  Lenient-tolerable
 * defects are accepted, flagged, when credit.uscc_lenient is on or the
 * input carries the "!" marker (that is how dump and restore round-trip).
 */
static Uscc *
uscc_from_cstring(const char *str, size_t len)
{
	uscc_parsed p;
	Uscc	   *result;
	bool		flagged = false;

	if (uscc_parse(str, len, &p) != USCC_OK)
	{
		if (USCC_ERROR_IS_SOFT(p.error) && (p.bang || credit_uscc_lenient))
			flagged = true;
		else
			uscc_report(str, &p);
	}
	result = (Uscc *) palloc(sizeof(Uscc));
	uscc_pack_values(p.values, flagged, result->b);
	return result;
}

/* Unpacks a stored value; a corrupt value is a can't-happen error. */
static bool
uscc_decode(const Uscc *u, char *code19)
{
	bool		ok;
	bool		flagged = uscc_unpack(u->b, code19, &ok);

	if (!ok)
		elog(ERROR, "corrupt uscc value");
	return flagged;
}

/* ------------------------------------------------------------------ */
/* I/O                                                                  */
/* ------------------------------------------------------------------ */

PG_FUNCTION_INFO_V1(uscc_in);
Datum
uscc_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);

	PG_RETURN_POINTER(uscc_from_cstring(str, strlen(str)));
}

PG_FUNCTION_INFO_V1(uscc_out);
Datum
uscc_out(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);
	char	   *out = palloc(USCC_LEN + 2);

	if (uscc_decode(u, out))
	{
		out[USCC_LEN] = '!';
		out[USCC_LEN + 1] = '\0';
	}
	PG_RETURN_CSTRING(out);
}

/*
 * Binary I/O sends the text form, so a client needs no knowledge of the
 * packing; receive re-validates exactly like input.
 */
PG_FUNCTION_INFO_V1(uscc_recv);
Datum
uscc_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;
	char	   *str = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);

	PG_RETURN_POINTER(uscc_from_cstring(str, nbytes));
}

PG_FUNCTION_INFO_V1(uscc_send);
Datum
uscc_send(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);
	char		code[USCC_LEN + 2];
	StringInfoData buf;

	if (uscc_decode(u, code))
	{
		code[USCC_LEN] = '!';
		code[USCC_LEN + 1] = '\0';
	}
	pq_begintypsend(&buf);
	pq_sendtext(&buf, code, strlen(code));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------------ */
/* comparison, hashing, sorting                                         */
/* ------------------------------------------------------------------ */

/* -1, 0 or 1: memcmp's own magnitude depends on the C library's code path */
static inline int
uscc_cmp_internal(const Uscc *a, const Uscc *b)
{
	int			r = memcmp(a->b, b->b, USCC_PACKED_LEN);

	return (r > 0) - (r < 0);
}

#define USCC_CMP_FN(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(uscc_cmp_internal(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1)) op 0); \
}

USCC_CMP_FN(uscc_eq, ==)
USCC_CMP_FN(uscc_ne, !=)
USCC_CMP_FN(uscc_lt, <)
USCC_CMP_FN(uscc_le, <=)
USCC_CMP_FN(uscc_gt, >)
USCC_CMP_FN(uscc_ge, >=)

PG_FUNCTION_INFO_V1(uscc_cmp);
Datum
uscc_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(uscc_cmp_internal(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1)));
}

PG_FUNCTION_INFO_V1(uscc_hash);
Datum
uscc_hash(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);

	return hash_any(u->b, USCC_PACKED_LEN);
}

PG_FUNCTION_INFO_V1(uscc_hash_extended);
Datum
uscc_hash_extended(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);

	return hash_any_extended(u->b, USCC_PACKED_LEN, PG_GETARG_INT64(1));
}

/*
 * Sort support: a direct comparator, and abbreviated keys holding the first
 * 8 packed bytes (authority, category, division and the start of the
 * organisation code) as an unsigned integer.  As for uuid, abbreviation is
 * abandoned when a HyperLogLog estimate shows the keys do not discriminate.
 */
typedef struct uscc_sortsupport_state
{
	int64		input_count;
	bool		estimating;
	hyperLogLogState abbr_card;
} uscc_sortsupport_state;

static int
uscc_fastcmp(Datum x, Datum y, SortSupport ssup)
{
	return uscc_cmp_internal(DatumGetUsccP(x), DatumGetUsccP(y));
}

static Datum
uscc_abbrev_convert(Datum original, SortSupport ssup)
{
	uscc_sortsupport_state *st = (uscc_sortsupport_state *) ssup->ssup_extra;
	const uint8 *b = DatumGetUsccP(original)->b;
	uint64		key = 0;
	int			i;

	for (i = 0; i < (int) sizeof(Datum); i++)
		key = (key << 8) | b[i];

	st->input_count++;
	if (st->estimating)
	{
		uint32		h = (uint32) (key ^ (key >> 32));

		addHyperLogLog(&st->abbr_card, DatumGetUInt32(hash_uint32(h)));
	}
	return (Datum) key;
}

static bool
uscc_abbrev_abort(int memtupcount, SortSupport ssup)
{
	uscc_sortsupport_state *st = (uscc_sortsupport_state *) ssup->ssup_extra;
	double		card;

	if (memtupcount < 10000 || st->input_count < 10000 || !st->estimating)
		return false;

	card = estimateHyperLogLog(&st->abbr_card);

	/* plenty of distinct keys: stop paying for the estimate */
	if (card > 100000.0)
	{
		st->estimating = false;
		return false;
	}
	/* fewer than one distinct key in 2000 rows: abbreviation does not pay */
	if (card < st->input_count / 2000.0 + 0.5)
		return true;
	return false;
}

PG_FUNCTION_INFO_V1(uscc_sortsupport);
Datum
uscc_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = uscc_fastcmp;
	ssup->ssup_extra = NULL;

	if (ssup->abbreviate)
	{
		MemoryContext old = MemoryContextSwitchTo(ssup->ssup_cxt);
		uscc_sortsupport_state *st = palloc(sizeof(uscc_sortsupport_state));

		st->input_count = 0;
		st->estimating = true;
		initHyperLogLog(&st->abbr_card, 10);
		ssup->ssup_extra = st;
		ssup->abbrev_full_comparator = ssup->comparator;
		ssup->comparator = ssup_datum_unsigned_cmp;
		ssup->abbrev_converter = uscc_abbrev_convert;
		ssup->abbrev_abort = uscc_abbrev_abort;
		MemoryContextSwitchTo(old);
	}
	PG_RETURN_VOID();
}

/* ------------------------------------------------------------------ */
/* validity and completion                                              */
/* ------------------------------------------------------------------ */

PG_FUNCTION_INFO_V1(uscc_is_valid);
Datum
uscc_is_valid(PG_FUNCTION_ARGS)
{
	Uscc	   *u = PG_GETARG_USCC_P(0);

	PG_RETURN_BOOL((u->b[USCC_PACKED_LEN - 1] & USCC_FLAG_NONCONFORMING) == 0);
}

PG_FUNCTION_INFO_V1(uscc_text_is_valid);
Datum
uscc_text_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	uscc_parsed p;

	PG_RETURN_BOOL(uscc_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &p) == USCC_OK &&
				   !p.bang);
}

/*
 * uscc_complete(text): 17 characters in, the code with its check character
 * appended out.  The authority/category rule applies as for input.
 */
PG_FUNCTION_INFO_V1(uscc_complete);
Datum
uscc_complete(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *str = text_to_cstring(t);
	size_t		len = strlen(str);
	char	   *padded = palloc(len + 2);
	uscc_parsed p;
	Uscc	   *result;
	bool		flagged = false;

	/* parse "<input>0": the appended symbol stands in for the check */
	memcpy(padded, str, len);
	padded[len] = '0';
	padded[len + 1] = '\0';

	if (uscc_parse(padded, len + 1, &p) != USCC_OK)
	{
		if (p.error == USCC_ERR_LENGTH)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for uscc_complete: \"%s\"", str),
					 errdetail("uscc_complete takes the first 17 characters of a code (spaces and hyphens removed); this one has %d.",
							   p.len - 1)));
		else if (p.error == USCC_ERR_CHECK)
			 /* expected: the stand-in was not the check character */ ;
		else if (USCC_ERROR_IS_SOFT(p.error) && credit_uscc_lenient)
			flagged = true;
		else
			uscc_report(str, &p);
	}
	p.code[17] = uscc_check_char(p.code);
	result = (Uscc *) palloc(sizeof(Uscc));
	uscc_pack(p.code, flagged, result->b);
	PG_RETURN_POINTER(result);
}

/* ------------------------------------------------------------------ */
/* accessors                                                            */
/* ------------------------------------------------------------------ */

static void
uscc_code_of(FunctionCallInfo fcinfo, char *code19)
{
	uscc_decode(PG_GETARG_USCC_P(0), code19);
}

PG_FUNCTION_INFO_V1(uscc_authority);
Datum
uscc_authority(PG_FUNCTION_ARGS)
{
	char		code[USCC_LEN + 1];

	uscc_code_of(fcinfo, code);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(code, 1));
}

PG_FUNCTION_INFO_V1(uscc_authority_name_fn);
Datum
uscc_authority_name_fn(PG_FUNCTION_ARGS)
{
	char		code[USCC_LEN + 1];
	const char *name;

	uscc_code_of(fcinfo, code);
	name = uscc_authority_name(code[0]);
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

PG_FUNCTION_INFO_V1(uscc_category);
Datum
uscc_category(PG_FUNCTION_ARGS)
{
	char		code[USCC_LEN + 1];

	uscc_code_of(fcinfo, code);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(code + 1, 1));
}

PG_FUNCTION_INFO_V1(uscc_category_name_fn);
Datum
uscc_category_name_fn(PG_FUNCTION_ARGS)
{
	char		code[USCC_LEN + 1];
	const char *name;

	uscc_code_of(fcinfo, code);
	name = uscc_category_name(code[0], code[1]);
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

PG_FUNCTION_INFO_V1(uscc_division);
Datum
uscc_division(PG_FUNCTION_ARGS)
{
	char		code[USCC_LEN + 1];

	uscc_code_of(fcinfo, code);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(code + 2, 6));
}

/* "XXXXXXXX-X" from positions 9-17 */
static text *
org_code_text(const char *code)
{
	char		org[11];

	memcpy(org, code + 8, 8);
	org[8] = '-';
	org[9] = code[16];
	org[10] = '\0';
	return cstring_to_text(org);
}

PG_FUNCTION_INFO_V1(uscc_org_code);
Datum
uscc_org_code(PG_FUNCTION_ARGS)
{
	char		code[USCC_LEN + 1];

	uscc_code_of(fcinfo, code);
	PG_RETURN_TEXT_P(org_code_text(code));
}

PG_FUNCTION_INFO_V1(uscc_org_code_is_valid);
Datum
uscc_org_code_is_valid(PG_FUNCTION_ARGS)
{
	char		code[USCC_LEN + 1];

	uscc_code_of(fcinfo, code);
	PG_RETURN_BOOL(ident_org_check_char(code + 8) == code[16]);
}

/* ------------------------------------------------------------------ */
/* uscc_explain and uscc_categories                                     */
/* ------------------------------------------------------------------ */

static void
explain_row(ReturnSetInfo *rsinfo, const char *part, const char *part_name,
			const char *positions, const char *value, const char *meaning,
			bool ok, const char *problem)
{
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};

	values[0] = CStringGetTextDatum(part);
	values[1] = CStringGetTextDatum(part_name);
	values[2] = CStringGetTextDatum(positions);
	if (value)
		values[3] = CStringGetTextDatum(value);
	else
		nulls[3] = true;
	if (meaning)
		values[4] = CStringGetTextDatum(meaning);
	else
		nulls[4] = true;
	values[5] = BoolGetDatum(ok);
	if (problem)
		values[6] = CStringGetTextDatum(problem);
	else
		nulls[6] = true;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

PG_FUNCTION_INFO_V1(uscc_explain);
Datum
uscc_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *str = text_to_cstring(t);
	uscc_parsed p;
	const char *aname;
	const char *cname;
	char		list[64];
	char		buf[16];
	char		org_expected;
	bool		division_ok = true;
	int			k;

	InitMaterializedSRF(fcinfo, 0);
	uscc_parse(str, strlen(str), &p);

	if (p.error == USCC_ERR_SYMBOL)
	{
		const char *hint = misread_hint(p.bad.ascii);

		explain_row(rsinfo, "input", "输入", psprintf("%d", p.pos), credit_bad_char_text(str, &p.bad),
					NULL, false,
					psprintf("character \"%s\" at position %d is not one of the 31 code symbols%s%s",
							 credit_bad_char_text(str, &p.bad), p.pos,
							 hint ? "; " : "", hint ? hint : ""));
		PG_RETURN_NULL();
	}
	if (p.error == USCC_ERR_LENGTH)
	{
		explain_row(rsinfo, "input", "输入", psprintf("1-%d", p.len), p.code, NULL, false,
					psprintf("18 characters expected after removing spaces and hyphens, found %d", p.len));
		PG_RETURN_NULL();
	}

	/* 18 symbols: judge every part on its own */
	buf[0] = p.code[0];
	buf[1] = '\0';
	aname = uscc_authority_name(p.code[0]);
	explain_row(rsinfo, "registration_authority", "登记管理部门码", "1", buf, aname,
				aname != NULL,
				aname ? NULL : psprintf("unknown registration authority; expected one of %s",
										uscc_authority_list()));

	buf[0] = p.code[1];
	cname = uscc_category_name(p.code[0], p.code[1]);
	if (aname && !cname)
		uscc_categories_of(p.code[0], list, sizeof(list));
	explain_row(rsinfo, "category", "机构类别码", "2", buf, cname,
				cname != NULL,
				cname ? NULL :
				aname ? psprintf("category not used by registration authority \"%c\" (%s); expected one of %s",
								 p.code[0], aname, list) :
				"registration authority unknown, so the category cannot be checked");

	memcpy(buf, p.code + 2, 6);
	buf[6] = '\0';
	for (k = 2; k < 8; k++)
		if (p.code[k] < '0' || p.code[k] > '9')
			division_ok = false;
	explain_row(rsinfo, "division", "登记管理机关行政区划码", "3-8", buf,
				strcmp(buf, "100000") == 0 ? "国家 (national)" : "行政区划代码 (GB/T 2260)",
				division_ok,
				division_ok ? NULL : "the division code must be 6 digits");

	org_expected = ident_org_check_char(p.code + 8);
	explain_row(rsinfo, "organisation_code", "主体标识码 (组织机构代码)", "9-17",
				text_to_cstring(org_code_text(p.code)),
				"GB 11714 组织机构代码; its check is reported, never required",
				org_expected == p.code[16],
				org_expected == p.code[16] ? NULL :
				psprintf("GB 11714 check character should be \"%c\" (real registered codes fail this check; the code is still valid)",
						 org_expected));

	buf[0] = p.code[17];
	buf[1] = '\0';
	{
		char		expected = uscc_check_char(p.code);

		explain_row(rsinfo, "check_character", "校验码", "18", buf, "GB 32100 校验码 (mod 31)",
					expected == p.code[17],
					expected == p.code[17] ? NULL :
					psprintf("expected \"%c\"", expected));
	}
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(uscc_categories);
Datum
uscc_categories(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < uscc_category_count; i++)
	{
		const uscc_category_entry *e = &uscc_category_table[i];
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		char		a[2] = {e->authority, '\0'};
		char		c[2] = {e->category, '\0'};

		values[0] = CStringGetTextDatum(a);
		values[1] = CStringGetTextDatum(e->authority_name);
		values[2] = CStringGetTextDatum(c);
		values[3] = CStringGetTextDatum(e->category_name);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PG_RETURN_NULL();
}
