/*
 * find_subject.c: credit.subject_ids_containing(part), the search by a part
 * of a name behind credit.find_subject(name, partial => true)
 * (40_disclosure.sql).
 *
 * The ids of the organisations whose name key (credit.subject.
 * name_key_public) contains the key of the part, the part's LIKE
 * metacharacters escaped.  Under row security a LIKE runs after the
 * policies, row by row (it is not LEAKPROOF), so no trigram index could
 * answer it; this function runs the LIKE as the owner of credit.subject (a
 * superuser, whom row security does not restrict), and the optional GIN
 * trigram index subject_name_key_trgm (docs/disclosure.md) answers it.
 *
 * It shows the caller exactly what public_subject would: name_key_public is
 * NULL for natural persons, so only organisations match, and public_subject
 * shows the organisations to a caller registered in credit.party (policy
 * subject_organisation), to nobody else.  So a caller that is not
 * registered (whatever it was granted by hand) gets no id, and is told
 * nothing else: the check is made, as the caller, before anything is read,
 * and the refusal of a short part depends on the part alone.
 * find_subject then reads the rows through public_subject under the
 * caller's own row security.
 *
 * A part whose key has fewer than 3 characters is refused: pg_trgm indexes
 * trigrams, and without one its index would be read whole.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "normalize_name.h"
#include "party.h"
#include "spi_query.h"

#define PART_MIN_CHARS 3

/* kept for the backend's life; always run as the owner of credit.subject */
static SPIPlanPtr containing_plan = NULL;

/*
 * credit.subject_ids_containing(part text) RETURNS bigint[]
 *
 * STABLE STRICT PARALLEL RESTRICTED (the party lookup uses SPI).
 */
PG_FUNCTION_INFO_V1(credit_subject_ids_containing);
Datum
credit_subject_ids_containing(PG_FUNCTION_ARGS)
{
	text	   *part = PG_GETARG_TEXT_PP(0);
	text	   *key = credit_name_key(part);
	const char *k = VARDATA_ANY(key);
	int			klen = VARSIZE_ANY_EXHDR(key);
	int			nchars = pg_mbstrlen_with_len(k, klen);
	Datum		kind;
	StringInfoData pattern;
	Oid			argtypes[1] = {TEXTOID};
	Oid			types[1] = {INT8ARRAYOID};
	Datum		values[1];
	Datum		result = (Datum) 0;
	bool		isnull = true;
	Oid			save_user;
	int			save_sec;

	if (nchars < PART_MIN_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a partial name must have at least %d characters", PART_MIN_CHARS),
				 errdetail("Its normalised form \"%s\" has %d.", text_to_cstring(key), nchars),
				 errhint("Give %d characters or more, or search by the start of the name: credit.find_subject(name, true).",
						 PART_MIN_CHARS)));

	/* what public_subject shows the caller: organisations iff registered */
	if (!credit_party_kind(&kind))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));

	/* %key%, with \ % _ of the key taken literally (LIKE's escape is \) */
	initStringInfo(&pattern);
	appendStringInfoChar(&pattern, '%');
	for (int i = 0; i < klen; i++)
	{
		if (k[i] == '\\' || k[i] == '%' || k[i] == '_')
			appendStringInfoChar(&pattern, '\\');
		appendStringInfoChar(&pattern, k[i]);
	}
	appendStringInfoChar(&pattern, '%');
	values[0] = PointerGetDatum(cstring_to_text_with_len(pattern.data, pattern.len));

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(credit_subject_owner(),
						   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		int			ret;

		SPI_connect();
		if (containing_plan == NULL)
		{
			/*
			 * Planned for each part (a custom plan): whether the trigram
			 * index pays depends on the part, which a generic plan cannot
			 * see (on a small table it takes a sequential scan for good).
			 */
			SPIPlanPtr	plan = SPI_prepare_cursor("SELECT pg_catalog.array_agg(s.subject_id) FROM credit.subject s"
												  " WHERE s.name_key_public OPERATOR(pg_catalog.~~) $1",
												  1, argtypes, CURSOR_OPT_CUSTOM_PLAN);

			if (plan == NULL)
				elog(ERROR, "the partial name search: SPI_prepare_cursor failed: %s",
					 SPI_result_code_string(SPI_result));
			if (SPI_keepplan(plan) != 0)
				elog(ERROR, "the partial name search: SPI_keepplan failed");
			containing_plan = plan;
		}
		ret = SPI_execute_plan(containing_plan, values, NULL, true, 1);
		if (ret != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "the partial name search: SPI_execute_plan returned %d", ret);
		credit_spi_expect("the partial name search", 1, types);
		result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			result = SPI_datumTransfer(result, false, -1);
		SPI_finish();
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();

	if (isnull)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	PG_RETURN_DATUM(result);
}
