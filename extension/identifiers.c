/*
 * identifiers.c: the rules of the Chinese identifiers (see identifiers.h).
 *
 * No PostgreSQL headers here: this file is also built alone into the
 * libFuzzer harness.  The registration-authority table lives here and only
 * here; SQL sees it through credit.uscc_categories().
 */
#include "identifiers.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* normalisation                                                        */
/* ------------------------------------------------------------------ */

static int
fold_ascii(int c)
{
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '-')
		return 0;
	if (c < 0x20 || c == 0x7f)
		return -1;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 'A';
	return c;
}

int
ident_fold_char(const unsigned char *s, size_t n, int *adv)
{
	unsigned int b = s[0];
	unsigned int cp;
	int			len;
	int			i;

	*adv = 1;
	if (b < 0x80)
		return fold_ascii((int) b);

	if (b >= 0xC2 && b <= 0xDF)
	{
		len = 2;
		cp = b & 0x1F;
	}
	else if (b >= 0xE0 && b <= 0xEF)
	{
		len = 3;
		cp = b & 0x0F;
	}
	else if (b >= 0xF0 && b <= 0xF4)
	{
		len = 4;
		cp = b & 0x07;
	}
	else
		return -1;				/* stray continuation or invalid lead byte */

	if ((size_t) len > n)
		return -1;
	for (i = 1; i < len; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*adv = len;

	if (cp == 0x00A0 || cp == 0x2010 || cp == 0x2011 || cp == 0x3000)
		return 0;
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return fold_ascii((int) (cp - 0xFEE0));
	return -1;
}

static void
set_bad(ident_badchar *bad, size_t offset, int len, int c)
{
	bad->offset = offset;
	bad->len = len;
	bad->ascii = (c > 0) ? (char) c : 0;
}

/*
 * Is everything from s on separators?  Used to accept "!" only at the end.
 */
static bool
only_separators(const unsigned char *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		int			adv;

		if (ident_fold_char(s + i, n - i, &adv) != 0)
			return false;
		i += adv;
	}
	return true;
}

/*
 * Collects the symbols of an input for the parsers of fixed-alphabet codes:
 * separators are dropped, every other character must satisfy ok().  Keeps
 * at most max symbols (with their byte offsets and lengths) and counts all
 * of them in *nsym.  On a character ok() refuses, sets *pos (1-based) and
 * *bad and returns false.
 */
static bool
collect_symbols(const unsigned char *s, size_t n, bool (*ok) (int c),
				char *sym, size_t *offs, int *lens, int max,
				int *nsym, int *pos, ident_badchar *bad)
{
	size_t		i = 0;

	*nsym = 0;
	while (i < n)
	{
		int			adv;
		int			c = ident_fold_char(s + i, n - i, &adv);

		if (c == 0)
		{
			i += adv;
			continue;
		}
		if (c < 0 || !ok(c))
		{
			*pos = *nsym + 1;
			set_bad(bad, i, adv, c);
			return false;
		}
		if (*nsym < max)
		{
			sym[*nsym] = (char) c;
			offs[*nsym] = i;
			lens[*nsym] = adv;
		}
		if (*nsym < 1000000)
			(*nsym)++;
		i += adv;
	}
	return true;
}

static bool
is_digit_or_letter(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_digit_or_x(int c)
{
	return (c >= '0' && c <= '9') || c == 'X';
}

/* ------------------------------------------------------------------ */
/* 统一社会信用代码                                                     */
/* ------------------------------------------------------------------ */

const char	uscc_alphabet[32] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^(i-1) mod 31 for positions 1..17 */
static const int uscc_weights[17] =
{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/*
 * Value + 1 of each byte that is a symbol as it stands (upper- or lower-case
 * letter, digit); 0 for everything else, which takes the slow path through
 * ident_fold_char.  The hot path of input is one lookup per byte.
 */
static const uint8_t uscc_sym1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21, ['M'] = 22,
	['N'] = 23, ['P'] = 24, ['Q'] = 25, ['R'] = 26, ['T'] = 27, ['U'] = 28,
	['W'] = 29, ['X'] = 30, ['Y'] = 31,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['g'] = 17, ['h'] = 18, ['j'] = 19, ['k'] = 20, ['l'] = 21, ['m'] = 22,
	['n'] = 23, ['p'] = 24, ['q'] = 25, ['r'] = 26, ['t'] = 27, ['u'] = 28,
	['w'] = 29, ['x'] = 30, ['y'] = 31,
};

int
uscc_symbol_value(char c)
{
	/* upper case only: lower case is folded before this is asked */
	if (c >= 'a' && c <= 'z')
		return -1;
	return (int) uscc_sym1[(unsigned char) c] - 1;
}

char
uscc_check_char(const char *code17)
{
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
	{
		int			v = uscc_sym1[(unsigned char) code17[i]];

		sum += (v == 0 ? 0 : v - 1) * uscc_weights[i];
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

/*
 * GB 32100-2015 表 1 (登记管理部门码 and 机构类别码), with authority 9 also
 * allowing category 9: 外国(地区)企业常驻代表机构 hold real registered
 * "99..." codes (docs/sources.md §1.1).  Keep it sorted by authority.
 */
const uscc_category_entry uscc_category_table[] = {
	{'1', "机构编制", '1', "机关"},
	{'1', "机构编制", '2', "事业单位"},
	{'1', "机构编制", '3', "中央编办直接管理机构编制的群众团体"},
	{'1', "机构编制", '9', "其他"},
	{'2', "外交", '1', "外国常驻新闻机构"},
	{'2', "外交", '9', "其他"},
	{'3', "司法行政", '1', "律师执业机构"},
	{'3', "司法行政", '2', "公证处"},
	{'3', "司法行政", '3', "基层法律服务所"},
	{'3', "司法行政", '4', "司法鉴定机构"},
	{'3', "司法行政", '5', "仲裁委员会"},
	{'3', "司法行政", '9', "其他"},
	{'4', "文化", '1', "外国在华文化中心"},
	{'4', "文化", '9', "其他"},
	{'5', "民政", '1', "社会团体"},
	{'5', "民政", '2', "民办非企业单位"},
	{'5', "民政", '3', "基金会"},
	{'5', "民政", '9', "其他"},
	{'6', "旅游", '1', "外国旅游部门常驻代表机构"},
	{'6', "旅游", '2', "港澳台地区旅游部门常驻内地（大陆）代表机构"},
	{'6', "旅游", '9', "其他"},
	{'7', "宗教", '1', "宗教活动场所"},
	{'7', "宗教", '2', "宗教院校"},
	{'7', "宗教", '9', "其他"},
	{'8', "工会", '1', "基层工会"},
	{'8', "工会", '9', "其他"},
	{'9', "工商", '1', "企业"},
	{'9', "工商", '2', "个体工商户"},
	{'9', "工商", '3', "农民专业合作社"},
	{'9', "工商", '9', "其他 (外国(地区)企业常驻代表机构等)"},
	{'A', "中央军委改革和编制办公室", '1', "军队事业单位"},
	{'A', "中央军委改革和编制办公室", '9', "其他"},
	{'N', "农业", '1', "组级集体经济组织"},
	{'N', "农业", '2', "村级集体经济组织"},
	{'N', "农业", '3', "乡镇级集体经济组织"},
	{'N', "农业", '9', "其他"},
	{'Y', "其他", '1', "其他"},
};

const int	uscc_category_count =
	(int) (sizeof(uscc_category_table) / sizeof(uscc_category_table[0]));

/*
 * Allowed categories of each authority as a bit mask over symbol values,
 * derived once from uscc_category_table (which stays the one source).
 */
static uint32_t uscc_allowed_mask[31];
static bool uscc_allowed_ready = false;

static void
uscc_allowed_init(void)
{
	int			i;

	for (i = 0; i < uscc_category_count; i++)
	{
		int			a = uscc_symbol_value(uscc_category_table[i].authority);
		int			c = uscc_symbol_value(uscc_category_table[i].category);

		uscc_allowed_mask[a] |= UINT32_C(1) << c;
	}
	uscc_allowed_ready = true;
}

const char *
uscc_authority_name(char authority)
{
	int			i;

	for (i = 0; i < uscc_category_count; i++)
		if (uscc_category_table[i].authority == authority)
			return uscc_category_table[i].authority_name;
	return NULL;
}

const char *
uscc_category_name(char authority, char category)
{
	int			i;

	for (i = 0; i < uscc_category_count; i++)
		if (uscc_category_table[i].authority == authority &&
			uscc_category_table[i].category == category)
			return uscc_category_table[i].category_name;
	return NULL;
}

bool
uscc_categories_of(char authority, char *buf, size_t size)
{
	size_t		used = 0;
	int			i;
	bool		found = false;

	if (size == 0)
		return false;
	buf[0] = '\0';
	for (i = 0; i < uscc_category_count; i++)
	{
		if (uscc_category_table[i].authority != authority)
			continue;
		if (used + 4 >= size)
			break;
		if (found)
		{
			buf[used++] = ',';
			buf[used++] = ' ';
		}
		buf[used++] = uscc_category_table[i].category;
		buf[used] = '\0';
		found = true;
	}
	return found;
}

const char *
uscc_authority_list(void)
{
	/* derived from the table once; the table is constant */
	static char list[64];

	if (list[0] == '\0')
	{
		size_t		used = 0;
		char		prev = 0;
		int			i;

		for (i = 0; i < uscc_category_count && used + 4 < sizeof(list); i++)
		{
			char		a = uscc_category_table[i].authority;

			if (a == prev)
				continue;
			if (used > 0)
			{
				list[used++] = ',';
				list[used++] = ' ';
			}
			list[used++] = a;
			prev = a;
		}
		list[used] = '\0';
	}
	return list;
}

/*
 * The slow path: input with separators, full-width forms, a "!" marker or a
 * bad character.  Collects the symbols into p->code.  Returns false after
 * setting p->error for a character outside the alphabet.
 */
static bool
uscc_collect_slow(const unsigned char *s, size_t n, uscc_parsed *p)
{
	size_t		i = 0;
	int			nsym = 0;

	while (i < n)
	{
		int			adv;
		int			c = ident_fold_char(s + i, n - i, &adv);

		if (c == 0)
		{
			i += adv;
			continue;
		}
		if (c == '!' && only_separators(s + i + adv, n - i - adv))
		{
			p->bang = true;
			break;
		}
		if (c < 0 || uscc_sym1[c] == 0)
		{
			p->error = USCC_ERR_SYMBOL;
			p->pos = nsym + 1;
			set_bad(&p->bad, i, adv, c);
			p->len = nsym;
			p->code[nsym < USCC_LEN ? nsym : USCC_LEN] = '\0';
			return false;
		}
		if (nsym < USCC_LEN)
			p->code[nsym] = (char) c;
		if (nsym < 1000000)
			nsym++;
		i += adv;
	}
	p->len = nsym;
	p->code[nsym < USCC_LEN ? nsym : USCC_LEN] = '\0';
	return true;
}

uscc_error
uscc_parse(const char *in, size_t n, uscc_parsed *p)
{
	const unsigned char *s = (const unsigned char *) in;
	int			sum = 0;
	int			k;
	uint32_t	allowed;

	p->len = 0;
	p->bang = false;
	p->error = USCC_OK;
	p->pos = 0;
	p->expected = 0;
	p->division_pos = 0;

	/* fast path: exactly 18 bytes, each a symbol as it stands */
	if (n == USCC_LEN)
	{
		for (k = 0; k < USCC_LEN; k++)
		{
			uint8_t		v1 = uscc_sym1[s[k]];

			if (v1 == 0)
				break;
			p->values[k] = (uint8_t) (v1 - 1);
		}
		if (k == USCC_LEN)
		{
			p->len = USCC_LEN;
			goto collected;
		}
	}
	if (!uscc_collect_slow(s, n, p))
		return p->error;
	if (p->len != USCC_LEN)
	{
		p->error = USCC_ERR_LENGTH;
		return p->error;
	}
	for (k = 0; k < USCC_LEN; k++)
		p->values[k] = (uint8_t) (uscc_sym1[(unsigned char) p->code[k]] - 1);

collected:
	for (k = 0; k < USCC_LEN; k++)
		p->code[k] = uscc_alphabet[p->values[k]];
	p->code[USCC_LEN] = '\0';

	for (k = 2; k < 8; k++)
	{
		if (p->values[k] > 9)
		{
			p->error = USCC_ERR_DIVISION;
			p->pos = k + 1;
			p->division_pos = k + 1;
			return p->error;
		}
	}

	for (k = 0; k < 17; k++)
		sum += p->values[k] * uscc_weights[k];
	p->expected = uscc_alphabet[(31 - sum % 31) % 31];

	if (!uscc_allowed_ready)
		uscc_allowed_init();
	allowed = uscc_allowed_mask[p->values[0]];
	if (allowed == 0)
	{
		p->error = USCC_ERR_AUTHORITY;
		p->pos = 1;
	}
	else if ((allowed & (UINT32_C(1) << p->values[1])) == 0)
	{
		p->error = USCC_ERR_CATEGORY;
		p->pos = 2;
	}
	else if (p->code[17] != p->expected)
	{
		p->error = USCC_ERR_CHECK;
		p->pos = 18;
	}
	return p->error;
}

void
uscc_pack_values(const uint8_t *values, bool flagged, uint8_t *out)
{
	uint64_t	hi = 0;
	uint32_t	lo = 0;
	int			k;

	/* symbols 1-12 (60 bits) and 13-18 (30 bits) */
	for (k = 0; k < 12; k++)
		hi = (hi << 5) | values[k];
	for (k = 12; k < USCC_LEN; k++)
		lo = (lo << 5) | values[k];
	/* 90 bits, left-aligned in 96, then the flag in the lowest bit */
	hi <<= 4;					/* 64 bits: symbols 1-12 and the top 4 of 13-18 */
	hi |= lo >> 26;
	for (k = 0; k < 8; k++)
		out[k] = (uint8_t) (hi >> (56 - 8 * k));
	lo = (lo << 6) & UINT32_C(0xFFFFFFC0);	/* 26 remaining bits, then 6 spare */
	out[8] = (uint8_t) (lo >> 24);
	out[9] = (uint8_t) (lo >> 16);
	out[10] = (uint8_t) (lo >> 8);
	out[11] = (uint8_t) (lo | (flagged ? USCC_FLAG_NONCONFORMING : 0));
}

void
uscc_pack(const char *code18, bool flagged, uint8_t *out)
{
	uint8_t		values[USCC_LEN];
	int			k;

	for (k = 0; k < USCC_LEN; k++)
	{
		int			v = uscc_symbol_value(code18[k]);

		values[k] = (uint8_t) (v < 0 ? 0 : v);
	}
	uscc_pack_values(values, flagged, out);
}

bool
uscc_unpack(const uint8_t *in, char *code19, bool *ok)
{
	uint32_t	acc = 0;
	int			nbits = 0;
	int			byte = 0;
	int			k;

	*ok = true;
	for (k = 0; k < USCC_LEN; k++)
	{
		uint32_t	v;

		while (nbits < 5)
		{
			acc = (acc << 8) | in[byte++];
			nbits += 8;
		}
		v = (acc >> (nbits - 5)) & 0x1F;
		nbits -= 5;
		acc &= (1u << nbits) - 1;
		if (v > 30)
		{
			*ok = false;
			v = 0;
		}
		code19[k] = uscc_alphabet[v];
	}
	code19[USCC_LEN] = '\0';
	/* the 6 low bits of the last byte: only the flag may be set */
	if ((in[USCC_PACKED_LEN - 1] & 0x3F & ~USCC_FLAG_NONCONFORMING) != 0)
		*ok = false;
	return (in[USCC_PACKED_LEN - 1] & USCC_FLAG_NONCONFORMING) != 0;
}

/* ------------------------------------------------------------------ */
/* 组织机构代码                                                         */
/* ------------------------------------------------------------------ */

static int
base36_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

char
ident_org_check_char(const char *body8)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int			sum = 0;
	int			i;
	int			c;

	for (i = 0; i < 8; i++)
	{
		int			v = base36_value(body8[i]);

		if (v < 0)
			return 0;
		sum += v * w[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char) ('0' + c);
}

org_error
ident_org_parse(const char *in, size_t n, org_parsed *p)
{
	char		sym[9];
	size_t		offs[9];
	int			lens[9];
	int			nsym;
	int			k;

	memset(p, 0, sizeof(*p));
	if (!collect_symbols((const unsigned char *) in, n, is_digit_or_letter,
						 sym, offs, lens, 9, &nsym, &p->pos, &p->bad))
	{
		p->error = ORG_ERR_SYMBOL;
		return p->error;
	}
	p->len = nsym;
	if (nsym != 9)
	{
		p->error = ORG_ERR_LENGTH;
		return p->error;
	}
	if (!(sym[8] >= '0' && sym[8] <= '9') && sym[8] != 'X')
	{
		p->error = ORG_ERR_SYMBOL;
		p->pos = 9;
		set_bad(&p->bad, offs[8], lens[8], sym[8]);
		return p->error;
	}
	memcpy(p->code, sym, 8);
	p->code[8] = '-';
	p->code[9] = sym[8];
	p->code[10] = '\0';

	p->private_range = (memcmp(sym, "PDY", 3) == 0);
	for (k = 3; k < 8 && p->private_range; k++)
		if (sym[k] < '0' || sym[k] > '9')
			p->private_range = false;
	if (p->private_range && memcmp(sym + 3, "00000", 5) == 0)
		p->private_range = false;

	p->expected = ident_org_check_char(sym);
	if (sym[8] != p->expected)
	{
		p->error = ORG_ERR_CHECK;
		p->pos = 9;
	}
	return p->error;
}

/* ------------------------------------------------------------------ */
/* 工商注册号                                                           */
/* ------------------------------------------------------------------ */

char
ident_regno_check_char(const char *digits14)
{
	int			p = 10;
	int			i;

	for (i = 0; i < 14; i++)
	{
		int			s = (digits14[i] - '0' + p) % 10;

		if (s == 0)
			s = 10;
		p = (2 * s) % 11;
	}
	/* valid when (check + p) mod 10 == 1 */
	return (char) ('0' + (11 - p % 10) % 10);
}

regno_error
ident_regno_parse(const char *in, size_t n, regno_parsed *p)
{
	size_t		offs[15];
	int			lens[15];
	int			nsym;

	memset(p, 0, sizeof(*p));
	if (!collect_symbols((const unsigned char *) in, n, is_digit,
						 p->code, offs, lens, 15, &nsym, &p->pos, &p->bad))
	{
		p->error = REGNO_ERR_SYMBOL;
		return p->error;
	}
	p->len = nsym;
	p->code[nsym < 15 ? nsym : 15] = '\0';
	if (nsym != 15)
	{
		p->error = REGNO_ERR_LENGTH;
		return p->error;
	}
	p->expected = ident_regno_check_char(p->code);
	if (p->code[14] != p->expected)
	{
		p->error = REGNO_ERR_CHECK;
		p->pos = 15;
	}
	return p->error;
}

/* ------------------------------------------------------------------ */
/* 公民身份号码                                                         */
/* ------------------------------------------------------------------ */

char
ident_rid_check_char(const char *digits17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
		sum += (digits17[i] - '0') * w[i];
	return map[sum % 11];
}

bool
ident_rid_province_ok(int code)
{
	return (code >= 11 && code <= 15) ||
		(code >= 21 && code <= 23) ||
		(code >= 31 && code <= 37) ||
		(code >= 41 && code <= 46) ||
		(code >= 50 && code <= 54) ||
		(code >= 61 && code <= 65) ||
		code == 71 || code == 81 || code == 82 || code == 83;
}

bool
ident_rid_date_ok(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			last;

	if (y < 1800 || y > 2099 || m < 1 || m > 12 || d < 1)
		return false;
	last = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		last = 29;
	return d <= last;
}

static int
digits_value(const char *s, int n)
{
	int			v = 0;
	int			i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

rid_error
ident_rid_parse(const char *in, size_t n, long latest, rid_parsed *p)
{
	char		sym[RID_LEN];
	size_t		offs[RID_LEN];
	int			lens[RID_LEN];
	int			nsym;
	int			k;

	memset(p, 0, sizeof(*p));
	if (!collect_symbols((const unsigned char *) in, n, is_digit_or_x,
						 sym, offs, lens, RID_LEN, &nsym, &p->pos, &p->bad))
	{
		p->error = RID_ERR_SYMBOL;
		return p->error;
	}
	p->len = nsym;
	if (nsym != 15 && nsym != 18)
	{
		p->error = RID_ERR_LENGTH;
		return p->error;
	}
	/* X only as the check character of an 18-character number */
	for (k = 0; k < (nsym == 18 ? 17 : 15); k++)
	{
		if (sym[k] == 'X')
		{
			p->error = RID_ERR_SYMBOL;
			p->pos = k + 1;
			set_bad(&p->bad, offs[k], lens[k], 'X');
			return p->error;
		}
	}

	if (nsym == 15)
	{
		p->from15 = true;
		memcpy(p->code, sym, 6);
		p->code[6] = '1';
		p->code[7] = '9';
		memcpy(p->code + 8, sym + 6, 9);
	}
	else
		memcpy(p->code, sym, 17);
	p->code[18] = '\0';

	if (!ident_rid_province_ok(digits_value(p->code, 2)))
	{
		p->error = RID_ERR_REGION;
		p->pos = 1;
		return p->error;
	}
	if (!ident_rid_date_ok(digits_value(p->code + 6, 4),
						   digits_value(p->code + 10, 2),
						   digits_value(p->code + 12, 2)))
	{
		p->error = RID_ERR_DATE;
		p->pos = 7;
		return p->error;
	}
	if (latest > 0 && digits_value(p->code + 6, 8) > latest)
	{
		p->error = RID_ERR_FUTURE;
		p->pos = 7;
		return p->error;
	}
	p->expected = ident_rid_check_char(p->code);
	if (nsym == 15)
		p->code[17] = p->expected;
	else
	{
		p->code[17] = sym[17];
		if (sym[17] != p->expected)
		{
			p->error = RID_ERR_CHECK;
			p->pos = 18;
		}
	}
	return p->error;
}

int64_t
ident_rid_to_int(const char *code18)
{
	int64_t		v = 0;
	int			i;

	for (i = 0; i < 17; i++)
		v = v * 10 + (code18[i] - '0');
	return v;
}

bool
ident_rid_from_int(int64_t v, char *code19)
{
	int			i;

	if (v < 0 || v >= INT64_C(100000000000000000))
		return false;
	for (i = 16; i >= 0; i--)
	{
		code19[i] = (char) ('0' + v % 10);
		v /= 10;
	}
	code19[17] = ident_rid_check_char(code19);
	code19[18] = '\0';
	return true;
}

/*
 * What the canonical 18 characters say.  Positions (1-based): 1-6 the
 * region of first registration, 7-14 the date of birth YYYYMMDD, 15-17 the
 * sequence number, whose last digit (17) is odd for men and even for women,
 * 18 the check character.
 */
void
ident_rid_birth_date(const char *code18, int *year, int *month, int *day)
{
	*year = digits_value(code18 + 6, 4);
	*month = digits_value(code18 + 10, 2);
	*day = digits_value(code18 + 12, 2);
}

bool
ident_rid_is_male(const char *code18)
{
	return (code18[16] - '0') % 2 == 1;
}

void
ident_rid_region(const char *code18, char *region7)
{
	memcpy(region7, code18, RID_REGION_LEN);
	region7[RID_REGION_LEN] = '\0';
}

void
ident_rid_mask(const char *code18, char *masked19)
{
	memcpy(masked19, code18, RID_LEN);
	memset(masked19 + 6, '*', 8);
	masked19[RID_LEN] = '\0';
}
