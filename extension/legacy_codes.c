/*
 * legacy_codes.c: the codes a subject carried before the unified social
 * credit code: 组织机构代码 (GB 11714-1997) and the 15-digit 工商注册号
 * (GS15-2006).  Rules in identifiers.c.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "credit.h"

PG_FUNCTION_INFO_V1(credit_org_code_is_valid);
Datum
credit_org_code_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	org_parsed	p;

	PG_RETURN_BOOL(ident_org_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &p) == ORG_OK &&
				   !p.private_range);
}

/* org_code(text): the canonical XXXXXXXX-X form, or an error saying why not */
PG_FUNCTION_INFO_V1(credit_org_code_canonical);
Datum
credit_org_code_canonical(PG_FUNCTION_ARGS)
{
	char	   *str = text_to_cstring(PG_GETARG_TEXT_PP(0));
	org_parsed	p;

	switch (ident_org_parse(str, strlen(str), &p))
	{
		case ORG_ERR_SYMBOL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid organisation code: \"%s\"", str),
					 errdetail("Character \"%s\" at position %d is not allowed: positions 1-8 are digits or letters, position 9 is a digit or \"X\".",
							   credit_bad_char_text(str, &p.bad), p.pos)));
			break;
		case ORG_ERR_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid organisation code: \"%s\"", str),
					 errdetail("An organisation code has 9 characters (8 and a check character, written XXXXXXXX-X); this one has %d.",
							   p.len)));
			break;
		case ORG_ERR_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check character in organisation code: \"%s\"", str),
					 errdetail("Position 9 (check character) is \"%c\"; expected \"%c\".",
							   p.code[9], p.expected)));
			break;
		case ORG_OK:
			if (p.private_range)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("organisation code in the private range: \"%s\"", str),
						 errdetail("Codes PDY00001 to PDY99999 are reserved for internal use by GB 11714 and are not exchanged.")));
			break;
	}
	PG_RETURN_TEXT_P(cstring_to_text(p.code));
}

PG_FUNCTION_INFO_V1(credit_registration_no_is_valid);
Datum
credit_registration_no_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	regno_parsed p;

	PG_RETURN_BOOL(ident_regno_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &p) == REGNO_OK);
}

PG_FUNCTION_INFO_V1(credit_registration_no_canonical);
Datum
credit_registration_no_canonical(PG_FUNCTION_ARGS)
{
	char	   *str = text_to_cstring(PG_GETARG_TEXT_PP(0));
	regno_parsed p;

	switch (ident_regno_parse(str, strlen(str), &p))
	{
		case REGNO_ERR_SYMBOL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid registration number: \"%s\"", str),
					 errdetail("Character \"%s\" at position %d is not a digit.",
							   credit_bad_char_text(str, &p.bad), p.pos)));
			break;
		case REGNO_ERR_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid registration number: \"%s\"", str),
					 errdetail("A registration number (工商注册号) has 15 digits; this one has %d.",
							   p.len)));
			break;
		case REGNO_ERR_CHECK:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid check digit in registration number: \"%s\"", str),
					 errdetail("Position 15 (check digit, ISO 7064 MOD 11,10) is \"%c\"; expected \"%c\".",
							   p.code[14], p.expected)));
			break;
		case REGNO_OK:
			break;
	}
	PG_RETURN_TEXT_P(cstring_to_text(p.code));
}
