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
 * table), which can change on an ICU upgrade.  The SQL function is therefore
 * declared STABLE, not IMMUTABLE: keys are stored in a column maintained by a
 * trigger (and recomputed after an ICU upgrade), never in an expression index.
 *
 * The database is UTF8 (the install script refuses anything else), so text
 * is converted with u_strFromUTF8/u_strToUTF8 directly.
 */
#include "postgres.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/utypes.h>
#include <unicode/uversion.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "varatt.h"

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
 * 6. ICU's Traditional-Simplified (Hant-Hans) transform: 華 → 华, 貿易 → 贸易,
 *    東 → 东, also 「」 → “”.
 * 7. A fix-up for ICU's table, which maps 苎 → 苧 as well as 苧 → 苎: both
 *    end as 苎 so that the key is a fixpoint.
 *
 * The result is idempotent: normalize_name(normalize_name(x)) =
 * normalize_name(x).
 *
 * Two quirks of ICU's rule parser shape the order: a filtered ID such as
 * "[:Latin:] Upper" must stand alone between conversion-rule blocks (at the
 * head of a run of IDs its filter would cover the whole run), and the rules
 * are written with \u escapes so that this file's bytes do not matter to
 * ICU.
 */
static const char name_key_rules[] =
":: NFKC ;\n"
"[[:White_Space:][:Default_Ignorable_Code_Point:]] > ;\n"
":: [:Latin:] Upper ;\n"
"[\\[\\{\\u3010\\u3014\\u3016\\u3018\\u301A\\u2985\\u2E28] > '(' ;\n"
"[\\]\\}\\u3011\\u3015\\u3017\\u3019\\u301B\\u2986\\u2E29] > ')' ;\n"
":: NFC ;\n"
":: Traditional-Simplified ;\n"
"\\u82E7 > \\u82CE ;\n";

/* Opened on first use; one per backend. */
static UTransliterator *name_key_trans = NULL;

PG_FUNCTION_INFO_V1(normalize_name);

/*
 * Report a failed ICU call.
 */
static void
pg_attribute_noreturn()
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
				 errdetail("ICU version %s, rule line %d, offset %d.",
						   version_string,
						   (int) parse_error.line,
						   (int) parse_error.offset),
				 errhint("The ICU data library may lack the transliteration data (Traditional-Simplified).")));
	}

	pfree(id);
	pfree(rules);

	name_key_trans = trans;
	return name_key_trans;
}

/*
 * Allocate room for "units" UTF-16 code units.  Inputs near the 1 GB limit of
 * a text value need more than MaxAllocSize as UTF-16, hence the huge
 * allocation.
 */
static UChar *
alloc_uchars(int64 units)
{
	if (units > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("name is too long to normalize")));
	return (UChar *) MemoryContextAllocHuge(CurrentMemoryContext,
											(Size) units * sizeof(UChar));
}

/*
 * Convert "len" bytes of UTF-8 into buf (capacity "capacity" units).
 */
static void
utf8_to_uchars(const char *src, int32_t len, UChar *buf, int32_t capacity)
{
	UErrorCode	status = U_ZERO_ERROR;

	u_strFromUTF8(buf, capacity, NULL, src, len, &status);
	if (U_FAILURE(status))
		icu_failure("u_strFromUTF8", status);
}

/*
 * credit.normalize_name(text) RETURNS text
 *
 * STABLE STRICT PARALLEL SAFE; see the comments at the top of this file.
 */
Datum
normalize_name(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	const char *src = VARDATA_ANY(in);
	int32_t		src_len = VARSIZE_ANY_EXHDR(in);
	UTransliterator *trans;
	UErrorCode	status;
	int32_t		ulen;
	int32_t		capacity;
	int32_t		text_len;
	int32_t		limit;
	UChar	   *buf;
	int32_t		out_len;
	text	   *result;

	if (src_len == 0)
		PG_RETURN_TEXT_P(cstring_to_text_with_len("", 0));

	trans = get_name_key_transliterator();

	/* Preflight: length of the input in UTF-16 code units. */
	status = U_ZERO_ERROR;
	u_strFromUTF8(NULL, 0, &ulen, src, src_len, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		icu_failure("u_strFromUTF8", status);

	/*
	 * The transliteration works in place and may lengthen the text (NFKC
	 * spells out ligatures and ㈱, upper-casing makes ß into SS).  Names
	 * rarely grow, so start with some slack; if ICU still needs more it says
	 * how much, and the conversion is redone into a buffer of that size.
	 */
	capacity = (int32_t) Min((int64) ulen + ulen / 4 + 16, PG_INT32_MAX);
	buf = alloc_uchars(capacity);
	for (int attempt = 0;; attempt++)
	{
		utf8_to_uchars(src, src_len, buf, capacity);

		text_len = ulen;
		limit = ulen;
		status = U_ZERO_ERROR;
		utrans_transUChars(trans, buf, &text_len, capacity, 0, &limit,
						   &status);
		if (status == U_BUFFER_OVERFLOW_ERROR && attempt == 0 &&
			text_len > capacity)
		{
			/* text_len is the length the result needs */
			pfree(buf);
			capacity = text_len;
			buf = alloc_uchars(capacity);
			continue;
		}
		if (U_FAILURE(status))
			icu_failure("utrans_transUChars", status);
		break;
	}

	/* Back to UTF-8: preflight, then convert into the result directly. */
	status = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &out_len, buf, text_len, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		icu_failure("u_strToUTF8", status);
	if ((Size) out_len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("normalized name exceeds the maximum length of a text value")));

	result = (text *) palloc(VARHDRSZ + out_len);
	SET_VARSIZE(result, VARHDRSZ + out_len);
	status = U_ZERO_ERROR;
	u_strToUTF8(VARDATA(result), out_len, NULL, buf, text_len, &status);
	/* an exact fit gives U_STRING_NOT_TERMINATED_WARNING, which is fine */
	if (U_FAILURE(status))
		icu_failure("u_strToUTF8", status);

	pfree(buf);
	PG_FREE_IF_COPY(in, 0);
	PG_RETURN_TEXT_P(result);
}
