/*
 * check_rules.c: the rules of the matters where credit is checked, for the
 * credit check (check_rules.h, credit_check.c).
 *
 * A matter's rules are read once per session, the first time a check of
 * that matter needs them, and kept until credit.matter, credit.measure_rule
 * or credit.measure changes (a table cache, table_cache.h: the statement
 * triggers of 60_measures.sql).  They are read as the calling role, in a
 * fresh snapshot (spi_query.c), whatever the transaction's isolation: the
 * latest committed rules and this transaction's own changes, as the other
 * caches of the extension read theirs.  The three tables are public
 * reference data (their read policies are USING (true)), so what one role
 * of the session read is what any other would; whether the calling role
 * may read them at all (SELECT) is asked again at every check, as the
 * executor would ask it.  Every rule is kept with its days in force and
 * its measure's, and a check takes those in force on its legal date.
 *
 * At most MAX_MATTERS matters are kept (the codes of the matters found;
 * an unknown code is asked again each time and never kept): past that,
 * the cache starts again empty.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "check_rules.h"
#include "spi_query.h"
#include "table_cache.h"

#define MATTER_CODE_MAX	64		/* matter_code's CHECK: ^[A-Za-z0-9_.-]{1,64}$ */
#define MAX_MATTERS		1024

typedef struct MatterRules
{
	char		code[MATTER_CODE_MAX + 1];	/* the hash key */
	bool		filled;
	DateADT		from;			/* the matter in force from, until (inclusive) */
	DateADT		until;
	int			nrules;
	CreditCheckRule *rules;
} MatterRules;

static CreditTableCache rules_tables = {.ntables = 3, .tables = {"matter", "measure_rule", "measure"}};
static MemoryContext rules_context = NULL;
static HTAB *matters = NULL;

/* the columns of the lookup */
#define R_NATTS	13
static const Oid rules_types[R_NATTS] = {
	DATEOID, DATEOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID,
	DATEOID, DATEOID
};

static void
rules_reset(void)
{
	HASHCTL		ctl;

	if (rules_context == NULL)
		rules_context = AllocSetContextCreate(TopMemoryContext, "credit check rules", ALLOCSET_DEFAULT_SIZES);
	matters = NULL;
	MemoryContextReset(rules_context);
	ctl.keysize = MATTER_CODE_MAX + 1;
	ctl.entrysize = sizeof(MatterRules);
	ctl.hcxt = rules_context;
	matters = hash_create("credit check rules", 64, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	/* valid first: a change committed during a lookup clears it again */
	credit_table_cache_set_valid(&rules_tables);
}

static char *
text_column(HeapTuple tup, TupleDesc desc, int col, bool keep_null)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	if (isnull)
	{
		if (!keep_null)
			elog(ERROR, "credit check: the rules lookup returned a null in column %d", col);
		return NULL;
	}
	return MemoryContextStrdup(rules_context, TextDatumGetCString(d));
}

static DateADT
date_column(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	if (isnull)
		elog(ERROR, "credit check: the rules lookup returned a null in column %d", col);
	return DatumGetDateADT(d);
}

/* Reads the rules of the matter code (found: in entry). */
static bool
matter_fill(MatterRules *entry, text *matter)
{
	Oid			argtype = TEXTOID;
	Datum		arg = PointerGetDatum(matter);
	uint64		i;

	SPI_connect();
	credit_spi_select("the rules lookup",
					  "SELECT m.valid_from, COALESCE(m.valid_until, 'infinity'::pg_catalog.date),"
					  "       r.rule_code, r.trigger_kind, r.trigger_value, r.names_persons,"
					  "       s.measure_code, s.polarity, s.content, s.basis, s.mandatory,"
					  "       GREATEST(r.valid_from, s.valid_from),"
					  "       LEAST(COALESCE(r.valid_until, 'infinity'::pg_catalog.date),"
					  "             COALESCE(s.valid_until, 'infinity'::pg_catalog.date))"
					  "  FROM credit.matter m"
					  "  LEFT JOIN (credit.measure_rule r"
					  "             JOIN credit.measure s ON s.measure_code OPERATOR(pg_catalog.=) r.measure_code)"
					  "    ON r.matter_code OPERATOR(pg_catalog.=) m.matter_code OR r.matter_kind OPERATOR(pg_catalog.=) m.kind"
					  " WHERE m.matter_code OPERATOR(pg_catalog.=) $1",
					  1, &argtype, &arg, InvalidSnapshot, 0, R_NATTS, rules_types);
	if (SPI_processed == 0)
	{
		SPI_finish();
		return false;
	}
	entry->from = date_column(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	entry->until = date_column(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	entry->rules = MemoryContextAlloc(rules_context, sizeof(CreditCheckRule) * SPI_processed);
	entry->nrules = 0;
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		CreditCheckRule *r = &entry->rules[entry->nrules];
		bool		isnull;

		/* the matter without a rule: its one row of the LEFT JOIN */
		(void) SPI_getbinval(tup, desc, 3, &isnull);
		if (isnull)
			continue;
		r->rule_code = text_column(tup, desc, 3, false);
		r->trigger_kind = text_column(tup, desc, 4, false);
		r->trigger_value = text_column(tup, desc, 5, true);
		r->names_persons = DatumGetBool(SPI_getbinval(tup, desc, 6, &isnull));
		r->measure_code = text_column(tup, desc, 7, false);
		r->polarity = text_column(tup, desc, 8, false);
		r->content = text_column(tup, desc, 9, false);
		r->basis = text_column(tup, desc, 10, false);
		r->mandatory = DatumGetBool(SPI_getbinval(tup, desc, 11, &isnull));
		r->from = date_column(tup, desc, 12);
		r->until = date_column(tup, desc, 13);
		entry->nrules++;
	}
	SPI_finish();
	return true;
}

/* Errors out unless the calling role may read the table (SELECT). */
static void
may_read(Oid relid)
{
	if (!OidIsValid(relid))
		elog(ERROR, "credit check: a table of the rules is missing");
	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(relid));
}

const CreditCheckRule **
credit_check_rules(text *matter, DateADT day, int *n)
{
	char	   *code = text_to_cstring(matter);
	MatterRules *entry;
	MatterRules found;
	const CreditCheckRule **rules;
	bool		present;
	int			i;

	*n = 0;
	if (!credit_table_cache_is_valid(&rules_tables) || matters == NULL)
		rules_reset();
	for (i = 0; i < rules_tables.ntables; i++)
		may_read(rules_tables.relids[i]);
	/* no matter has a longer code */
	if (strlen(code) > MATTER_CODE_MAX)
		return NULL;

	entry = hash_search(matters, code, HASH_FIND, NULL);
	if (entry == NULL || !entry->filled)
	{
		if (!matter_fill(&found, matter))
			return NULL;
		/* a change seen during the lookup emptied the cache: start again */
		if (!credit_table_cache_is_valid(&rules_tables) || matters == NULL ||
			hash_get_num_entries(matters) >= MAX_MATTERS)
		{
			rules_reset();
			if (!matter_fill(&found, matter))
				return NULL;
		}
		entry = hash_search(matters, code, HASH_ENTER, &present);
		entry->filled = false;
		entry->from = found.from;
		entry->until = found.until;
		entry->nrules = found.nrules;
		entry->rules = found.rules;
		entry->filled = true;
	}
	if (day < entry->from || day > entry->until)
		return NULL;

	rules = palloc(sizeof(CreditCheckRule *) * Max(entry->nrules, 1));
	for (i = 0; i < entry->nrules; i++)
		if (entry->rules[i].from <= day && day <= entry->rules[i].until)
			rules[(*n)++] = &entry->rules[i];
	return rules;
}
