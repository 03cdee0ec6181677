/*
 * normalize_name.c: credit.normalize_name(text), the matching key of a name.
 *
 * Two spellings of one organisation's name (繁体/简体, full-width/half-width,
 * 【】/（）, stray spaces, upper/lower-case Latin) fold to the same key, so the
 * key can be stored next to the name and compared with =.
 *
 * The folding is one compound ICU transliterator, built from rules (below)
 * the first time a backend needs it and kept for the life of the backend.
 * ICU allocates with malloc, outside PostgreSQL's memory contexts, so the
 * cached object survives transaction ends and errors; it is never freed and
 * goes away with the process.  Each call allocates only palloc'd buffers and
 * no ICU objects, so an ereport(ERROR) on any path leaks nothing.
 *
 * The result depends on the Unicode and transliteration data of the ICU
 * library the server runs with (NFKC tables, the Traditional-Simplified
 * table), which can change on an ICU upgrade.  The SQL function is declared
 * IMMUTABLE all the same, as PostgreSQL treats an ICU collation: an index on
 * it stays right while ICU does not change, and credit.normalize_name_version()
 * tells the DBA when to recompute the stored keys and REINDEX (docs/identifiers.md).
 *
 * The database is UTF8 (the install script refuses anything else), so text
 * is converted with u_strFromUTF8/u_strToUTF8 directly.
 */
#include "postgres.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>
#include <unicode/utypes.h>
#include <unicode/uversion.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "normalize_name.h"

/* The transliterator's name, shown in error messages. */
#define NAME_KEY_TRANSLIT_ID "Credit-NameKey"

/*
 * The folding, in ICU transform rule syntax.  Steps, in order:
 *
 * 1. NFKC: full-width ASCII forms (ＡＢＣ （） ［］ ｛｝ ！ ， ： ； ？ ...) become
 *    ASCII, U+3000 and NBSP become U+0020, compatibility ideographs
 *    (U+F900...) and Kangxi radicals become unified ideographs, small and
 *    vertical presentation forms (﹙ ︵ ﹝ ︻ ...) become their ordinary forms,
 *    ligatures and circled/parenthesised forms are spelled out (ﬁ → fi,
 *    ① → 1, ㈱ → (株)).
 * 2. Every White_Space character (space, tab, newline, NBSP, U+3000, ...) and
 *    every Default_Ignorable_Code_Point (zero-width space, BOM, soft hyphen,
 *    variation selectors, ...) is removed.
 * 3. Latin-script letters are upper-cased (root locale, full case mapping:
 *    ß → SS).  Other scripts keep their case.
 * 4. Bracket variants become ASCII parentheses: [ { 【 〔 〖 〘 〚 ⦅ ⸨ → ( and
 *    ] } 】 〕 〗 〙 〛 ⦆ ⸩ → ).  (Their full-width, small and vertical forms
 *    were mapped to these by NFKC.)  Book-title marks 《》〈〉, angle
 *    brackets <> and quotation marks are not brackets here and are kept.
 * 5. NFC, to recompose what steps 2 and 3 may have separated.
 * 6. ICU's Traditional-Simplified (Hant-Hans) transform, twice: 華 → 华,
 *    貿易 → 贸易, 東 → 东, also 「」 → “”.  Some of its phrase rules leave a
 *    character that the single-character rules would still convert (宮商角徵羽
 *    → 宫商角徵羽, but 徵 alone → 征), so the simplified spelling of such a
 *    phrase would get another key than the traditional one; the second pass
 *    makes both 宫商角征羽.
 * 7. A fix-up for ICU's table, which maps 苎 → 苧 as well as 苧 → 苎: both
 *    end as 苎.
 *
 * The result is a fixpoint: normalize_name(normalize_name(x)) =
 * normalize_name(x) (checked for every code point alone and in context, and
 * for random mixtures of the characters these rules touch, with ICU 72).
 *
 * Two quirks of ICU's rule parser shape the text: a filtered ID such as
 * "[:Latin:] Upper" must stand alone between conversion-rule blocks (at the
 * head of a run of IDs its filter would cover the whole run, so the NFC
 * after it would see only Latin letters), and the rules are written with \u
 * escapes so that this file's encoding does not matter to ICU.
 */
static const char name_key_rules[] =
":: NFKC ;\n"
"[[:White_Space:][:Default_Ignorable_Code_Point:]] > ;\n"
":: [:Latin:] Upper ;\n"
"[\\[\\{\\u3010\\u3014\\u3016\\u3018\\u301A\\u2985\\u2E28] > '(' ;\n"
"[\\]\\}\\u3011\\u3015\\u3017\\u3019\\u301B\\u2986\\u2E29] > ')' ;\n"
":: NFC ;\n"
":: Traditional-Simplified ;\n"
":: Traditional-Simplified ;\n"
"\\u82E7 > \\u82CE ;\n";

/* Opened on first use; one per backend. */
static UTransliterator *name_key_trans = NULL;

static void icu_failure(const char *func, UErrorCode status) pg_attribute_noreturn();

PG_FUNCTION_INFO_V1(credit_normalize_name);

/*
 * Report a failed ICU call.
 */
static void
icu_failure(const char *func, UErrorCode status)
{
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("%s failed: %s", func, u_errorName(status))));
}

/*
 * Return the backend's transliterator, opening it on first use.
 *
 * If opening fails the static stays NULL and the next call tries again.
 */
static UTransliterator *
get_name_key_transliterator(void)
{
	UErrorCode	status;
	UParseError parse_error;
	UChar	   *id;
	UChar	   *rules;
	int32_t		id_len;
	int32_t		rules_len;
	UTransliterator *trans;

	if (name_key_trans != NULL)
		return name_key_trans;

	/* ASCII both; a UTF-16 unit per byte plus the terminator is enough. */
	id = palloc(sizeof(UChar) * sizeof(NAME_KEY_TRANSLIT_ID));
	rules = palloc(sizeof(UChar) * sizeof(name_key_rules));

	status = U_ZERO_ERROR;
	u_strFromUTF8(id, sizeof(NAME_KEY_TRANSLIT_ID), &id_len,
				  NAME_KEY_TRANSLIT_ID, -1, &status);
	if (U_FAILURE(status))
		icu_failure("u_strFromUTF8", status);

	status = U_ZERO_ERROR;
	u_strFromUTF8(rules, sizeof(name_key_rules), &rules_len,
				  name_key_rules, -1, &status);
	if (U_FAILURE(status))
		icu_failure("u_strFromUTF8", status);

	memset(&parse_error, 0, sizeof(parse_error));
	status = U_ZERO_ERROR;
	trans = utrans_openU(id, id_len, UTRANS_FORWARD,
						 rules, rules_len, &parse_error, &status);
	if (U_FAILURE(status))
	{
		UVersionInfo version;
		char		version_string[U_MAX_VERSION_STRING_LENGTH];

		/* trans is NULL on failure; nothing to close */
		u_getVersion(version);
		u_versionToString(version, version_string);
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU transliterator \"%s\" could not be opened: %s",
						NAME_KEY_TRANSLIT_ID, u_errorName(status)),
				 errdetail("ICU version %s.", version_string),
				 errhint("The ICU data library may lack the transliteration data (Traditional-Simplified).")));
	}

	pfree(id);
	pfree(rules);

	name_key_trans = trans;
	return name_key_trans;
}

/*
 * Make room for "units" UTF-16 code units in *buf (capacity *cap); the
 * contents are not kept.
 */
static void
reserve_uchars(UChar **buf, int32_t *cap, int64 units)
{
	int64		newcap;

	if (units <= *cap)
		return;
	if (units > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("name is too long to normalize")));
	newcap = Min(Max(units, (int64) *cap * 2), PG_INT32_MAX);
	if (*buf != NULL)
		pfree(*buf);
	*buf = (UChar *) MemoryContextAllocHuge(CurrentMemoryContext,
											(Size) newcap * sizeof(UChar));
	*cap = (int32_t) newcap;
}

/*
 * Append UTF-16 text to a StringInfo as UTF-8.
 */
static void
append_uchars_as_utf8(StringInfo out, const UChar *text, int32_t len)
{
	UErrorCode	status;
	int32_t		utf8_len;

	if (len == 0)
		return;

	status = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &utf8_len, text, len, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		icu_failure("u_strToUTF8", status);

	enlargeStringInfo(out, utf8_len);
	status = U_ZERO_ERROR;
	u_strToUTF8(out->data + out->len, out->maxlen - out->len, NULL,
				text, len, &status);
	if (U_FAILURE(status))
		icu_failure("u_strToUTF8", status);
	out->len += utf8_len;
	out->data[out->len] = '\0';
}

/*
 * Long input is transliterated in pieces.
 *
 * A transliterator works in place, so every deletion or expansion moves the
 * rest of its buffer: over one big buffer the cost grows with the square of
 * the length (six million characters with spaces took three minutes), inside
 * ICU where a cancel request cannot reach it.  (ICU's incremental mode is no
 * way out: with Traditional-Simplified it never commits a run of ideographs
 * and is quadratic itself.)  So, first, white space and default-ignorable
 * characters, the usual deletions, are dropped here before ICU sees the text;
 * the rules drop them too (after NFKC), and dropping them first gives the
 * same result (checked for every code point in several contexts).  Second,
 * input longer than NAME_KEY_MAX_PIECE bytes is cut into pieces of about
 * NAME_KEY_PIECE bytes, each transliterated on its own, with interrupts
 * checked in between.  A piece ends just before an ASCII graphic character
 * or a full-width form (U+FF01..U+FF5E): nothing in the rules reaches across
 * such a character (it starts a normalisation segment, is unchanged or
 * becomes ASCII, and no Traditional-Simplified rule contains it), so the
 * pieces give exactly the key of the whole (checked with pieces down to one
 * character).  Only a run of more than NAME_KEY_MAX_PIECE bytes without any
 * such character is cut elsewhere, before a character that starts an NFKC
 * segment; there the key may differ from the unbroken transliteration (a
 * phrase that Traditional-Simplified converts as a whole, such as 乾坤, could
 * be cut), but it is still deterministic.  Names are far shorter than a
 * piece and always go to ICU whole.
 */
#define NAME_KEY_PIECE		8192
#define NAME_KEY_MAX_PIECE	65536

/* Does a piece boundary just before src[i] keep the result exact? */
static inline bool
is_piece_boundary(const unsigned char *src, int32_t i, int32_t len)
{
	/* ASCII graphic character */
	if (src[i] >= 0x21 && src[i] <= 0x7E)
		return true;
	/* U+FF01..U+FF5E: EF BC 81..BF or EF BD 80..9E */
	if (src[i] == 0xEF && i + 2 < len)
	{
		if (src[i + 1] == 0xBC)
			return src[i + 2] >= 0x81 && src[i + 2] <= 0xBF;
		if (src[i + 1] == 0xBD)
			return src[i + 2] >= 0x80 && src[i + 2] <= 0x9E;
	}
	return false;
}

/*
 * The end (exclusive byte offset) of the piece of src starting at "start".
 */
static int32_t
next_piece_end(const unsigned char *src, int32_t start, int32_t len)
{
	int32_t		limit;
	int32_t		end;
	UErrorCode	status;
	const UNormalizer2 *nfkc;

	if (len - start <= NAME_KEY_MAX_PIECE)
		return len;

	/* just before an ASCII graphic or full-width character, if any */
	limit = start + NAME_KEY_MAX_PIECE;
	for (end = start + NAME_KEY_PIECE; end < limit; end++)
		if (is_piece_boundary(src, end, len))
			return end;

	/*
	 * None: cut at the limit, moved back to the start of a character that
	 * begins an NFKC segment if there is one near.  The normaliser is ICU's
	 * shared instance, not to be closed.
	 */
	while ((src[limit] & 0xC0) == 0x80)
		limit--;
	status = U_ZERO_ERROR;
	nfkc = unorm2_getNFKCInstance(&status);
	if (U_FAILURE(status))
		icu_failure("unorm2_getNFKCInstance", status);
	for (end = limit; end > limit - 256; end--)
	{
		int32_t		i = end;
		UChar32		c;

		if ((src[end] & 0xC0) == 0x80)
			continue;
		U8_NEXT(src, i, len, c);
		if (c >= 0 && unorm2_hasBoundaryBefore(nfkc, c))
			return end;
	}
	return limit;
}

/*
 * Drop White_Space and Default_Ignorable_Code_Point characters from buf in
 * place; returns the new length.
 */
static int32_t
drop_ignorables(UChar *buf, int32_t len)
{
	int32_t		i = 0;
	int32_t		o = 0;

	while (i < len)
	{
		int32_t		c_start = i;
		UChar32		c;

		U16_NEXT(buf, i, len, c);
		if (c < 0x80 ? (c == 0x20 || (c >= 0x09 && c <= 0x0D)) :
			(u_hasBinaryProperty(c, UCHAR_WHITE_SPACE) ||
			 u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)))
			continue;
		while (c_start < i)
			buf[o++] = buf[c_start++];
	}
	return o;
}

/*
 * The folding of the whole text through ICU, piece by piece, appended to out.
 */
static void
slow_key(UTransliterator *trans, const unsigned char *src, int32_t src_len, StringInfo out)
{
	int32_t		start = 0;
	UChar	   *piece = NULL;	/* the piece as UTF-16 */
	int32_t		piece_cap = 0;
	UChar	   *work = NULL;	/* the piece being transliterated */
	int32_t		work_cap = 0;

	while (start < src_len)
	{
		int32_t		end = next_piece_end(src, start, src_len);
		int32_t		units;
		int32_t		text_len;
		UErrorCode	status;

		/* to UTF-16 (never more code units than bytes), minus ignorables */
		reserve_uchars(&piece, &piece_cap, end - start);
		status = U_ZERO_ERROR;
		u_strFromUTF8(piece, piece_cap, &units,
					  (const char *) src + start, end - start, &status);
		if (U_FAILURE(status))
			icu_failure("u_strFromUTF8", status);
		units = drop_ignorables(piece, units);

		/*
		 * Transliterate a copy in place.  If the result outgrows the buffer
		 * (NFKC spells out ligatures, upper-casing makes ß into SS), ICU says
		 * how long it is and leaves the buffer half-done, so start again
		 * from the piece with room for it.
		 */
		reserve_uchars(&work, &work_cap, (int64) units + units / 4 + 16);
		for (int attempt = 0;; attempt++)
		{
			int32_t		limit = units;

			memcpy(work, piece, sizeof(UChar) * units);
			text_len = units;
			status = U_ZERO_ERROR;
			utrans_transUChars(trans, work, &text_len, work_cap, 0, &limit,
							   &status);
			if (status == U_BUFFER_OVERFLOW_ERROR && attempt == 0 &&
				text_len > work_cap)
			{
				reserve_uchars(&work, &work_cap, text_len);
				continue;
			}
			if (U_FAILURE(status))
				icu_failure("utrans_transUChars", status);
			break;
		}

		append_uchars_as_utf8(out, work, text_len);
		start = end;

		CHECK_FOR_INTERRUPTS();
	}
	if (piece)
		pfree(piece);
	if (work)
		pfree(work);
}

/*
 * The fast path, for the usual name: ASCII, full-width ASCII forms, the
 * ideographic space, 【】〔〕 and CJK unified ideographs (U+4E00..U+9FFF),
 * simplified or traditional.  For such text NFKC maps U+FF01..U+FF5E to
 * U+0021..U+007E and leaves ASCII and these ideographs alone; white space
 * goes; Latin letters are upper-cased; the brackets [ { 【 〔 become ( and
 * ] } 】 〕 become ); NFC leaves it as it is.  What remains is the two
 * passes of Traditional-Simplified (T) and the 苧 fix-up over the ideographs.
 *
 * T has single-character rules (華 > 华) and phrase rules (乾坤 > 乾坤,
 * 計畫 > 计划).  Call a phrase rule harmless when its result is the results
 * of its characters alone put together (于飛 > 于飞: 于 > 于, 飛 > 飞), and
 * harmful otherwise (計畫 > 计划, but 畫 alone > 画; 沈沈 > 沉沉, but 沈
 * stays).  Over a text in which no harmful phrase occurs, every rule that
 * fires gives what the characters alone give, so one pass of T is the
 * result of each character alone, put together.  For the second pass the
 * same must hold of the first pass's output: it does when each ideograph is
 * unchanged by one pass alone or becomes one character that is in no
 * harmful phrase (then a harmful phrase in the first pass's output was in
 * the text already).  An ideograph for which this holds, and whose key
 * alone is one character, has that key cached (asked of the transliterator
 * once per ideograph and backend); any other ideograph sends the whole text
 * through ICU.  The harmful phrases are read from ICU's own rules (the
 * Hant-Hans transform that Traditional-Simplified is) once per backend, and
 * a text in which one occurs also goes through ICU (沈 沈 too: white space
 * is gone before the transform).  Any other character (a combining mark, a
 * control character, an ideograph outside U+4E00..U+9FFF, ...) also sends
 * the whole text through ICU.  If ICU's rules cannot be read as expected,
 * there is no fast path.  sql/15_normalize_name.sql compares both paths
 * (normalize_name_icu) for every ideograph in several contexts, and
 * bench/normalize_name.sh over all its names.
 */
#define CJK_FIRST 0x4E00
#define CJK_LAST 0x9FFF
#define CJK_COUNT (CJK_LAST - CJK_FIRST + 1)
#define IS_CJK(c) ((c) >= CJK_FIRST && (c) <= CJK_LAST)
#define CJK_BIT(map, c) ((map)[((c) - CJK_FIRST) >> 3] & (1 << (((c) - CJK_FIRST) & 7)))
#define CJK_SET_BIT(map, c) ((map)[((c) - CJK_FIRST) >> 3] |= (uint8) (1 << (((c) - CJK_FIRST) & 7)))

/* 2 bits per ideograph */
#define CJK_UNKNOWN	0
#define CJK_KEPT	1			/* its key is itself */
#define CJK_ICU		2			/* a text with it goes through ICU */
#define CJK_CACHED	3			/* its key is cjk_key[] */
static uint8 cjk_state[(CJK_COUNT + 3) / 4];
static uint16 cjk_key[CJK_COUNT];	/* a CJK_CACHED ideograph's key, U+0800..U+FFFF */

/* Hant-Hans alone (one pass of T), kept like the transliterator */
static UTransliterator *hant_trans = NULL;

/* the harmful phrases made of these ideographs, as UTF-8, by first character */
typedef struct RiskyPhrase
{
	UChar32		first;
	int			len;			/* bytes */
	char	   *utf8;
} RiskyPhrase;
static RiskyPhrase *risky_phrases = NULL;
static int	n_risky_phrases = 0;
static uint8 risky_first[(CJK_COUNT + 7) / 8];	/* a harmful phrase starts with it */
static uint8 risky_char[(CJK_COUNT + 7) / 8];	/* a harmful phrase holds it */
static int	fast_path_state = 0;	/* 0 not set up, 1 on, -1 off */

/*
 * One BMP character through a transliterator: the length of the result
 * (written to out, at most cap units), or -1 if ICU fails or it is longer.
 */
static int32_t
translit_char(UTransliterator *trans, UChar c, UChar *out, int32_t cap)
{
	int32_t		len = 1;
	int32_t		limit = 1;
	UErrorCode	status = U_ZERO_ERROR;

	out[0] = c;
	utrans_transUChars(trans, out, &len, cap, 0, &limit, &status);
	return U_SUCCESS(status) ? len : -1;
}

/* What the fast path does with an ideograph; needs the fast path set up. */
static int
cjk_class(UTransliterator *trans, UChar32 c)
{
	int			idx = c - CJK_FIRST;
	int			shift = (idx & 3) * 2;
	int			state = (cjk_state[idx >> 2] >> shift) & 3;

	if (state == CJK_UNKNOWN)
	{
		UChar		key[8];
		UChar		once[8];
		int32_t		key_len = translit_char(trans, (UChar) c, key, lengthof(key));
		int32_t		once_len = translit_char(hant_trans, (UChar) c, once, lengthof(once));

		/* one pass of T alone: itself, or one ideograph in no harmful phrase */
		bool		alone = once_len == 1 &&
			(once[0] == (UChar) c || (IS_CJK(once[0]) && !CJK_BIT(risky_char, once[0])));

		if (alone && key_len == 1 && key[0] == (UChar) c)
			state = CJK_KEPT;
		else if (alone && key_len == 1 && key[0] >= 0x800 && !U16_IS_SURROGATE(key[0]))
		{
			/* three bytes in UTF-8, as the ideograph */
			cjk_key[idx] = key[0];
			state = CJK_CACHED;
		}
		else
			state = CJK_ICU;
		cjk_state[idx >> 2] |= (uint8) (state << shift);
	}
	return state;
}

static int
risky_phrase_cmp(const void *a, const void *b)
{
	return strcmp(((const RiskyPhrase *) a)->utf8, ((const RiskyPhrase *) b)->utf8);
}

/*
 * Reads the rules of ICU's Hant-Hans ("L > R;" each) and keeps the harmful
 * phrases: L of two or more characters whose R is not the results of its
 * characters alone put together.  Phrases with a character outside
 * U+4E00..U+9FFF cannot occur in a text the fast path takes, but their
 * ideographs still count as in a harmful phrase.  Memory: malloc, kept for
 * the life of the backend, like the transliterators.  Returns false when the
 * rules are not in that simple form.
 */
static bool
load_risky_phrases(void)
{
	UErrorCode	status = U_ZERO_ERROR;
	UChar		id[] = {'H', 'a', 'n', 't', '-', 'H', 'a', 'n', 's', 0};
	UChar	   *rules;
	int32_t		len;
	int32_t		i = 0;
	int			cap = 64;
	bool		ok = true;

	if (hant_trans == NULL)
	{
		hant_trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
		if (U_FAILURE(status))
		{
			hant_trans = NULL;
			return false;
		}
	}
	len = utrans_toRules(hant_trans, false, NULL, 0, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return false;
	rules = palloc(sizeof(UChar) * (len + 1));
	status = U_ZERO_ERROR;
	utrans_toRules(hant_trans, false, rules, len + 1, &status);
	if (U_FAILURE(status))
		return false;

	risky_phrases = malloc(sizeof(RiskyPhrase) * cap);
	if (risky_phrases == NULL)
		return false;
	while (i < len && ok)
	{
		int32_t		start = i,
					arrow = -1,
					end;
		UChar		left[64];	/* L and R without white space */
		UChar		right[64];
		UChar		alone[256];	/* L's characters alone, put together */
		int32_t		n_left = 0,
					n_right = 0,
					n_alone = 0;
		int			n_chars = 0;
		bool		all_cjk = true;

		while (i < len && rules[i] != ';')
			i++;
		end = i++;
		for (int32_t j = start; j < end; j++)
		{
			UChar		u = rules[j];

			if (u == '\\' || u == '\'' || u == '{' || u == '}' || u == '[' || u == '$' || u == '|' || u == ':' ||
				u == '<' || u == '=')
				ok = false;	/* syntax this reading does not follow */
			else if (arrow < 0 && u == '>')
				arrow = j;
			else if (u == ' ' || u == '\n' || u == '\r' || u == '\t')
				;
			else if (arrow < 0 ? n_left == lengthof(left) : n_right == lengthof(right))
				ok = false;
			else if (arrow < 0)
				left[n_left++] = u;
			else
				right[n_right++] = u;
		}
		if (!ok || arrow < 0)
			continue;
		for (int32_t j = 0; j < n_left; j++)
		{
			if (left[j] < 0x80)
				ok = false;	/* ASCII in a phrase: not the form read here */
			if (!U16_IS_TRAIL(left[j]))
				n_chars++;
			if (!IS_CJK(left[j]))
				all_cjk = false;
		}
		if (!ok || n_chars < 2)
			continue;
		if (all_cjk)
		{
			for (int32_t j = 0; j < n_left; j++)
			{
				int32_t		n = translit_char(hant_trans, left[j], alone + n_alone, lengthof(alone) - n_alone);

				if (n < 0)
				{
					ok = false;
					break;
				}
				n_alone += n;
			}
			if (!ok)
				break;
			if (n_alone == n_right && memcmp(alone, right, sizeof(UChar) * n_right) == 0)
				continue;	/* harmless */
		}
		for (int32_t j = 0; j < n_left; j++)
			if (IS_CJK(left[j]))
				CJK_SET_BIT(risky_char, left[j]);
		if (!all_cjk)
			continue;
		if (n_risky_phrases == cap)
		{
			RiskyPhrase *more = realloc(risky_phrases, sizeof(RiskyPhrase) * cap * 2);

			if (more == NULL)
			{
				ok = false;
				break;
			}
			risky_phrases = more;
			cap *= 2;
		}
		{
			char	   *utf8 = malloc(n_left * 3 + 1);
			int32_t		utf8_len;

			if (utf8 == NULL)
			{
				ok = false;
				break;
			}
			status = U_ZERO_ERROR;
			u_strToUTF8(utf8, n_left * 3 + 1, &utf8_len, left, n_left, &status);
			if (U_FAILURE(status))
			{
				free(utf8);
				ok = false;
				break;
			}
			risky_phrases[n_risky_phrases].first = left[0];
			risky_phrases[n_risky_phrases].len = utf8_len;
			risky_phrases[n_risky_phrases].utf8 = utf8;
			n_risky_phrases++;
			CJK_SET_BIT(risky_first, left[0]);
		}
	}
	pfree(rules);
	if (ok)
		qsort(risky_phrases, n_risky_phrases, sizeof(RiskyPhrase), risky_phrase_cmp);
	return ok;
}

/* Is the fast path on?  Set up once per backend. */
static bool
fast_path_on(void)
{
	if (fast_path_state == 0)
		fast_path_state = load_risky_phrases() ? 1 : -1;
	return fast_path_state == 1;
}

/* Does a harmful phrase start with ideograph c at s (len bytes left)? */
static bool
risky_phrase_at(UChar32 c, const char *s, int len)
{
	int			lo = 0,
				hi = n_risky_phrases;

	/* the first phrase starting with c (UTF-8 order is code point order) */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (risky_phrases[mid].first < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n_risky_phrases && risky_phrases[lo].first == c; lo++)
		if (risky_phrases[lo].len <= len && memcmp(s, risky_phrases[lo].utf8, risky_phrases[lo].len) == 0)
			return true;
	return false;
}

static inline char
ascii_key(unsigned char b)
{
	if (b >= 'a' && b <= 'z')
		return (char) (b - 'a' + 'A');
	if (b == '[' || b == '{')
		return '(';
	if (b == ']' || b == '}')
		return ')';
	return (char) b;
}

static bool
fast_key(UTransliterator *trans, const unsigned char *src, int32_t len, StringInfo out)
{
	int32_t		i = 0;
	int32_t		from = out->len;
	bool		maybe_phrase = false;
	bool		cached = false;

	if (!fast_path_on())
		return false;
	while (i < len)
	{
		unsigned char b = src[i];
		UChar32		c;
		int32_t		next = i;

		if (b < 0x80)
		{
			if (b == ' ' || b == '\t' || b == '\n' || b == '\r')
				;
			else if (b < 0x20 || b == 0x7F)
				return false;
			else
				appendStringInfoChar(out, ascii_key(b));
			i++;
			continue;
		}
		U8_NEXT(src, next, len, c);
		if (c < 0)
			return false;
		if (c >= 0xFF01 && c <= 0xFF5E)
			appendStringInfoChar(out, ascii_key((unsigned char) (c - 0xFF01 + 0x21)));
		else if (c == 0x3000)
			;
		else if (c == 0x3010 || c == 0x3014)
			appendStringInfoChar(out, '(');
		else if (c == 0x3011 || c == 0x3015)
			appendStringInfoChar(out, ')');
		else if (IS_CJK(c))
		{
			int			state = cjk_class(trans, c);

			if (state == CJK_ICU)
				return false;
			cached |= (state == CJK_CACHED);
			/* the ideograph itself for now: the text as the transform sees it */
			appendBinaryStringInfo(out, (const char *) src + i, next - i);
			if (CJK_BIT(risky_first, c))
				maybe_phrase = true;
		}
		else
			return false;
		i = next;
	}
	if (!maybe_phrase && !cached)
		return true;

	/*
	 * out holds the text as Traditional-Simplified sees it (white space gone:
	 * 沈 沈 is 沈沈 there too), ASCII and ideographs of three bytes: look for a
	 * harmful phrase, and put each cached ideograph's key in its place.
	 */
	for (int32_t k = from; k < out->len;)
	{
		unsigned char *p = (unsigned char *) out->data + k;
		UChar32		c;

		if (*p < 0x80)
		{
			k++;
			continue;
		}
		c = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		if (maybe_phrase && CJK_BIT(risky_first, c) &&
			risky_phrase_at(c, (const char *) p, out->len - k))
			return false;
		if (cached && ((cjk_state[(c - CJK_FIRST) >> 2] >> (((c - CJK_FIRST) & 3) * 2)) & 3) == CJK_CACHED)
		{
			uint16		key = cjk_key[c - CJK_FIRST];

			p[0] = (unsigned char) (0xE0 | (key >> 12));
			p[1] = (unsigned char) (0x80 | ((key >> 6) & 0x3F));
			p[2] = (unsigned char) (0x80 | (key & 0x3F));
		}
		k += 3;
	}
	return true;
}

/* The key of a text: the fast path when it applies and is allowed, else ICU. */
static text *
name_key(text *in, bool fast)
{
	const unsigned char *src = (const unsigned char *) VARDATA_ANY(in);
	int32_t		src_len = VARSIZE_ANY_EXHDR(in);
	UTransliterator *trans;
	StringInfoData out;
	text	   *result;

	if (src_len == 0)
		return cstring_to_text_with_len("", 0);

	trans = get_name_key_transliterator();

	/* The result is built in place behind a varlena header. */
	initStringInfo(&out);
	appendStringInfoSpaces(&out, VARHDRSZ);
	if (!(fast && fast_key(trans, src, src_len, &out)))
	{
		out.len = VARHDRSZ;
		out.data[out.len] = '\0';
		slow_key(trans, src, src_len, &out);
	}
	result = (text *) out.data;
	SET_VARSIZE(result, out.len);
	return result;
}

text *
credit_name_key(text *in)
{
	return name_key(in, true);
}

/*
 * credit.normalize_name(text) RETURNS text
 *
 * IMMUTABLE STRICT PARALLEL SAFE; see the comments at the top of this file.
 */
Datum
credit_normalize_name(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	text	   *result = name_key(in, true);

	PG_FREE_IF_COPY(in, 0);
	PG_RETURN_TEXT_P(result);
}

/*
 * credit.normalize_name_icu(text) RETURNS text: the same key, always
 * through ICU (no fast path), to check the fast path against.
 */
PG_FUNCTION_INFO_V1(credit_normalize_name_icu);
Datum
credit_normalize_name_icu(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	text	   *result = name_key(in, false);

	PG_FREE_IF_COPY(in, 0);
	PG_RETURN_TEXT_P(result);
}

/*
 * credit.normalize_name_version() RETURNS text: the ICU library and Unicode
 * versions normalize_name's keys are computed with now, e.g. "ICU 72.1,
 * Unicode 15.0".  The keys can change when this does (as an ICU collation's
 * order can): see docs/identifiers.md for what a DBA does then.
 */
PG_FUNCTION_INFO_V1(credit_normalize_name_version);
Datum
credit_normalize_name_version(PG_FUNCTION_ARGS)
{
	UVersionInfo icu;
	UVersionInfo unicode;
	char		icu_string[U_MAX_VERSION_STRING_LENGTH];
	char		unicode_string[U_MAX_VERSION_STRING_LENGTH];

	u_getVersion(icu);
	u_versionToString(icu, icu_string);
	u_getUnicodeVersion(unicode);
	u_versionToString(unicode, unicode_string);
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("ICU %s, Unicode %s", icu_string, unicode_string)));
}
