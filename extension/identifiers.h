/*
 * identifiers.h: parsing and check-character rules of the Chinese
 * identifiers, in plain C with no PostgreSQL headers, so the same code is
 * fuzzed (fuzz/fuzz_identifiers.c) and linked into the extension.
 *
 *   统一社会信用代码  GB 32100-2015   uscc_*
 *   公民身份号码      GB 11643-1999   rid_*
 *   组织机构代码      GB 11714-1997   org_*
 *   工商注册号        GS15-2006       regno_*
 *
 * Every parser takes arbitrary bytes (not NUL-terminated), never reads past
 * the given length, never allocates, and reports the first problem with its
 * 1-based position counted in symbols after normalisation (spaces and
 * hyphens dropped, full-width forms folded, letters upper-cased).
 */
#ifndef CREDIT_IDENTIFIERS_H
#define CREDIT_IDENTIFIERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------- normalisation shared by all parsers ---------- */

/*
 * Reads one character of UTF-8 input at s (n bytes left).  Sets *adv to the
 * number of bytes it used (at least 1).  Returns the ASCII character it
 * stands for after folding full-width forms (U+FF01..U+FF5E) and upper-casing
 * letters; 0 for a separator that is dropped (space, tab, CR, LF, hyphen,
 * U+00A0, U+2010, U+2011, U+3000); -1 for anything else.
 */
extern int	ident_fold_char(const unsigned char *s, size_t n, int *adv);

/* Where an offending character sits in the caller's input. */
typedef struct ident_badchar
{
	size_t		offset;			/* byte offset into the input */
	int			len;			/* its length in bytes (UTF-8 sequence) */
	char		ascii;			/* folded ASCII value, or 0 if none */
} ident_badchar;

/* ---------- 统一社会信用代码, GB 32100-2015 ---------- */

#define USCC_LEN		18
#define USCC_PACKED_LEN	12		/* 18 symbols x 5 bits + flag bits */
#define USCC_FLAG_NONCONFORMING 0x01	/* in the last packed byte */

typedef enum uscc_error
{
	USCC_OK = 0,
	/* refused in every mode */
	USCC_ERR_SYMBOL,			/* a character outside the 31-symbol alphabet */
	USCC_ERR_LENGTH,			/* not 18 symbols */
	USCC_ERR_DIVISION,			/* positions 3-8 not all digits */
	/* accepted and flagged in lenient mode */
	USCC_ERR_AUTHORITY,			/* position 1 not a registration authority */
	USCC_ERR_CATEGORY,			/* position 2 not a category of that authority */
	USCC_ERR_CHECK				/* position 18 wrong */
} uscc_error;

typedef struct uscc_parsed
{
	char		code[USCC_LEN + 1]; /* canonical symbols, NUL-terminated */
	uint8_t		values[USCC_LEN];	/* their values 0..30, when len == 18 */
	int			len;			/* symbols found (may exceed 18) */
	bool		bang;			/* input ended with "!" (flagged value) */
	uscc_error	error;			/* first hard error, else first soft error */
	int			pos;			/* 1-based position of that error */
	ident_badchar bad;			/* USCC_ERR_SYMBOL: the character */
	char		expected;		/* USCC_ERR_CHECK: the right check character */
	int			division_pos;	/* USCC_ERR_DIVISION: first non-digit */
} uscc_parsed;

/* true for the errors lenient mode accepts (and flags) */
#define USCC_ERROR_IS_SOFT(e) ((e) >= USCC_ERR_AUTHORITY)

/*
 * Parses and checks a code.  A trailing "!" (after optional separators) sets
 * bang; it is the output marker of a flagged value.
 */
extern uscc_error uscc_parse(const char *in, size_t n, uscc_parsed *p);

/* Value (0..30) of an alphabet symbol, -1 if not in the alphabet. */
extern int	uscc_symbol_value(char c);

/* The check character for 17 canonical symbols (no validation: symbols
 * outside the alphabet count as 0). */
extern char uscc_check_char(const char *code17);

/* The 31 symbols in value order, "0123456789ABCDEFGHJKLMNPQRTUWXY". */
extern const char uscc_alphabet[32];

/* Registration authority and category table (GB 32100-2015 表 1, plus
 * authority 9 with category 9, see docs/sources.md §1.1). */
typedef struct uscc_category_entry
{
	char		authority;
	const char *authority_name;
	char		category;
	const char *category_name;
} uscc_category_entry;

extern const uscc_category_entry uscc_category_table[];
extern const int uscc_category_count;

/* Name of a registration authority, NULL if unknown. */
extern const char *uscc_authority_name(char authority);

/* Name of a category of an authority, NULL if that pair is not listed. */
extern const char *uscc_category_name(char authority, char category);

/* The allowed categories of an authority as a string such as "1, 2, 3, 9";
 * writes at most size bytes; returns false for an unknown authority. */
extern bool uscc_categories_of(char authority, char *buf, size_t size);

/* The authorities as a string such as "1-9, A, N, Y". */
extern const char *uscc_authority_list(void);

/*
 * Packs 18 canonical symbols into 12 bytes, 5 bits each, most significant
 * first, so memcmp order equals the canonical text's order in "C" collation;
 * the flag sits in the low bit of the last byte.  Symbols must be valid.
 */
extern void uscc_pack(const char *code18, bool flagged, uint8_t *out);

/* The same from symbol values (uscc_parsed.values): the input hot path. */
extern void uscc_pack_values(const uint8_t *values, bool flagged, uint8_t *out);

/* Unpacks into 18 symbols + NUL; returns the flag.  Returns false in *ok
 * when a 5-bit group is not a symbol value (corrupt input). */
extern bool uscc_unpack(const uint8_t *in, char *code19, bool *ok);

/* ---------- 组织机构代码, GB 11714-1997 ---------- */

/* Check character ('0'..'9' or 'X') of an 8-symbol body of digits and
 * upper-case letters; 0 if the body has another character. */
extern char ident_org_check_char(const char *body8);

typedef enum org_error
{
	ORG_OK = 0,
	ORG_ERR_SYMBOL,				/* not a digit or letter (body) / digit or X (check) */
	ORG_ERR_LENGTH,				/* not 9 symbols */
	ORG_ERR_CHECK				/* wrong check character */
} org_error;

typedef struct org_parsed
{
	char		code[11];		/* "XXXXXXXX-X" */
	int			len;
	org_error	error;
	int			pos;
	ident_badchar bad;
	char		expected;
	bool		private_range;	/* PDY00001..PDY99999: not for exchange */
} org_parsed;

extern org_error ident_org_parse(const char *in, size_t n, org_parsed *p);

/* ---------- 工商注册号, GS15-2006 (15 digits, ISO 7064 MOD 11,10) ---------- */

typedef enum regno_error
{
	REGNO_OK = 0,
	REGNO_ERR_SYMBOL,
	REGNO_ERR_LENGTH,
	REGNO_ERR_CHECK
} regno_error;

typedef struct regno_parsed
{
	char		code[16];
	int			len;
	regno_error error;
	int			pos;
	ident_badchar bad;
	char		expected;
} regno_parsed;

extern regno_error ident_regno_parse(const char *in, size_t n, regno_parsed *p);

/* The MOD 11,10 check digit for 14 digits. */
extern char ident_regno_check_char(const char *digits14);

/* ---------- 公民身份号码, GB 11643-1999 ---------- */

#define RID_LEN 18
#define RID_REGION_LEN 6

typedef enum rid_error
{
	RID_OK = 0,
	RID_ERR_SYMBOL,				/* not a digit (or X at position 18) */
	RID_ERR_LENGTH,				/* not 15 or 18 symbols */
	RID_ERR_REGION,				/* positions 1-2 not a province-level code */
	RID_ERR_DATE,				/* positions 7-14 not a date 1800-2099 */
	RID_ERR_FUTURE,				/* positions 7-14 a date after "latest" */
	RID_ERR_CHECK				/* position 18 wrong */
} rid_error;

typedef struct rid_parsed
{
	char		code[RID_LEN + 1];	/* canonical 18 characters */
	int			len;			/* symbols in the input (15 or 18 if ok) */
	bool		from15;			/* converted from a 15-digit number */
	rid_error	error;
	int			pos;
	ident_badchar bad;
	char		expected;
} rid_parsed;

/*
 * latest: the last acceptable date of birth as YYYYMMDD (the caller's
 * today), or 0 for no limit beyond 2099-12-31.
 */
extern rid_error ident_rid_parse(const char *in, size_t n, long latest, rid_parsed *p);

/* The MOD 11-2 check character for 17 digits. */
extern char ident_rid_check_char(const char *digits17);

/* Is a two-digit province-level code (11..83) assigned? */
extern bool ident_rid_province_ok(int code);

/* Is y-m-d a real date between 1800-01-01 and 2099-12-31? */
extern bool ident_rid_date_ok(int y, int m, int d);

/* 17 digits as an integer (what the resident_id type stores) and back. */
extern int64_t ident_rid_to_int(const char *code18);
extern bool ident_rid_from_int(int64_t v, char *code19);

/* The date of birth of a canonical number (positions 7-14). */
extern void ident_rid_birth_date(const char *code18, int *year, int *month, int *day);

/* Position 17: odd for men, even for women. */
extern bool ident_rid_is_male(const char *code18);

/* The region code of first registration (positions 1-6), NUL-terminated. */
extern void ident_rid_region(const char *code18, char *region7);

/*
 * For public display: the region (positions 1-6) and the last four
 * characters (positions 15-18) shown, the date of birth masked:
 * 110105********002X.  NUL-terminated.
 */
extern void ident_rid_mask(const char *code18, char *masked19);

#endif							/* CREDIT_IDENTIFIERS_H */
