/*
 * credit_check.c: the credit check (联合奖惩, 60_measures.sql) in C:
 * credit.check(subject_id, matter, purpose), credit.check_hits() and the
 * BEFORE INSERT trigger of credit.credit_check.
 *
 * The hits are the rows of credit.check_hit_rows() (a SQL function the
 * planner inlines: the one place of the query), read through a kept plan
 * with the caller's rights and row security, and made here into the
 * snapshot (jsonb, the keys credit.check_hits always had; the responsible
 * persons added by credit.check_hit_persons() when a rule names them).
 *
 * credit.check() computes the hits once, then inserts the check row; its
 * trigger takes those hits from a backend-local token (static memory of
 * this file, unreachable from SQL) armed only for the duration of that one
 * INSERT and for that subject, matter and role, and consumed by the first
 * row that matches.  Any other INSERT (a department writing the row by
 * hand) finds no token and the trigger computes the hits itself, so the
 * snapshot is never the writer's choice.
 *
 * The check row itself: while credit.credit_check is as the extension
 * made it (check_table_as_made: its columns, its two CHECK constraints,
 * its triggers, its three foreign keys, its four policies) and the caller
 * may write it as the INSERT would let it, credit.check writes the row
 * without the executor (direct_insert.h) and does what the INSERT would
 * have done: the values the trigger sets, the parent rows locked FOR KEY
 * SHARE as the foreign keys lock them (one query, as the table's owner),
 * the identity's next value, the row and its index entries, and its
 * change log entry (chain.h).  Every row it writes meets the CHECK
 * constraints and the insert policy by construction.  A row that would
 * not (a blank purpose), a parent row not found, a trigger, constraint or
 * policy a DBA added, a restore, or session_replication_role not origin:
 * the INSERT through SPI, with its trigger, so that whatever applies
 * applies and every refusal is the executor's own.  (bench/measures.sh:
 * the INSERT was about half of a check, most of it the executor's set-up,
 * the foreign keys' three queries and the CHECK constraints.)
 *
 * No search_path is set: every SQL text here qualifies every relation,
 * function and operator (spi_query.h), and the type of every result column
 * is checked (credit_spi_expect) before it is read.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "rewrite/rowsecurity.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "chain.h"
#include "check_rules.h"
#include "direct_insert.h"
#include "legal_date.h"
#include "party.h"
#include "restore.h"
#include "spi_query.h"

PG_FUNCTION_INFO_V1(credit_check);
PG_FUNCTION_INFO_V1(credit_check_hits);
PG_FUNCTION_INFO_V1(credit_check_before_insert);

static SPIPlanPtr valid_plan = NULL;
static SPIPlanPtr triggers_plan = NULL;
static SPIPlanPtr persons_plan = NULL;
static SPIPlanPtr insert_plan = NULL;
static SPIPlanPtr parents_plan = NULL;

/* the hits credit.check() hands to the trigger of its own INSERT */
static struct
{
	bool		armed;
	Oid			role;
	int64		subject;
	const char *matter;
	Datum		hits;
}			token;

/* the columns of the triggers query (credit.check_triggers) */
#define T_KIND		0
#define T_ID		1
#define T_VALUE		2
#define T_SERIOUS	3
#define T_COLOUR	4
#define T_NATTS		5

static const Oid triggers_types[T_NATTS] = {TEXTOID, INT8OID, TEXTOID, BOOLOID, TEXTOID};

/* a hit: a trigger of the subject matched to a rule of the matter */
typedef struct CheckHit
{
	const char *hit_kind;		/* 信用记录, 名单条目, 信用承诺, 评价结果 */
	int64		hit_id;
	const char *kind;			/* the trigger's kind (check_triggers) */
	const CreditCheckRule *rule;	/* until the hits are copied */
	/* the rule's and the measure's, copied */
	char	   *trigger;
	char	   *rule_code;
	char	   *measure;
	char	   *polarity;
	char	   *content;
	char	   *basis;
	bool		mandatory;
} CheckHit;

static SPIPlanPtr
kept_plan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, argtypes);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		*plan = p;
	}
	return *plan;
}

/*
 * The refusals of a check, in the order the trigger always gave them: not
 * a department, no subject or matter, a matter not in force today, a
 * subject the caller sees neither as a row nor through a record or a list
 * entry (refused as a missing one).  Returns the department.
 */
static int32
check_refusals(bool subject_null, bool matter_null)
{
	int32		dept;

	if (!credit_party_department(&dept))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a department checks credit"),
				 errhint("Check as a role registered with credit.register_department_role.")));
	if (subject_null || matter_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a credit check needs a subject and a matter")));
	return dept;
}

/*
 * Inside SPI: the matter in force today and the subject visible, or
 * errors.  Asked after the hits (read-only, no error), unless a hit
 * answers both (compute_hits, *seen): the refusals are the same.
 */
static void
check_visible(int64 subject, text *matter, DateADT today, bool read_only)
{
	static const Oid types[2] = {BOOLOID, BOOLOID};
	Oid			argtypes[3] = {INT8OID, TEXTOID, DATEOID};
	Datum		args[3] = {Int64GetDatum(subject), PointerGetDatum(matter), DateADTGetDatum(today)};
	bool		isnull;
	int			ret;

	/* one statement for both questions (each statement is an executor run) */
	kept_plan(&valid_plan,
			  "SELECT EXISTS (SELECT FROM credit.matter m"
			  "                WHERE m.matter_code OPERATOR(pg_catalog.=) $2"
			  "                  AND m.valid_from OPERATOR(pg_catalog.<=) $3"
			  "                  AND (m.valid_until IS NULL OR m.valid_until OPERATOR(pg_catalog.>=) $3)),"
			  "       EXISTS (SELECT FROM credit.subject s WHERE s.subject_id OPERATOR(pg_catalog.=) $1)"
			  "       OR EXISTS (SELECT FROM credit.record r WHERE r.subject_id OPERATOR(pg_catalog.=) $1)"
			  "       OR EXISTS (SELECT FROM credit.list_entry e WHERE e.subject_id OPERATOR(pg_catalog.=) $1)",
			  3, argtypes);
	ret = SPI_execute_plan(valid_plan, args, NULL, read_only, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "credit check: the visibility query failed: %s", SPI_result_code_string(ret));
	credit_spi_expect("credit check", 2, types);
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("unknown matter \"%s\"", text_to_cstring(matter)),
				 errhint("Check for a matter of credit.matter in force today.")));
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("subject " INT64_FORMAT " is not a subject you can check", subject),
				 errhint("Check by the subject's code (credit.uscc or credit.resident_id).")));
}

static void
push_key(JsonbParseState **state, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.len = strlen(key);
	k.val.string.val = (char *) key;
	pushJsonbValue(state, WJB_KEY, &k);
}

static void
push_string(JsonbParseState **state, const char *key, const char *value)
{
	JsonbValue	v;

	push_key(state, key);
	if (value == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.len = strlen(value);
		v.val.string.val = (char *) value;
	}
	pushJsonbValue(state, WJB_VALUE, &v);
}

/*
 * Does the rule call for a measure on this trigger of the subject (a row
 * of credit.check_triggers: kind, value, serious, colour; NULLs as NULL
 * pointers, serious as *serious or NULL)?  The trigger kinds of
 * credit.measure_rule.trigger_kind: the three kinds of list by the list
 * kind's colour (and seriousness), the others by the trigger's own kind;
 * the value, when the rule names one, must be the trigger's.
 */
static bool
rule_matches(const CreditCheckRule *r, const char *kind, const char *value, const bool *serious,
			 const char *colour)
{
	bool		list = strcmp(kind, "名单") == 0;

	if (r->trigger_value != NULL && (value == NULL || strcmp(r->trigger_value, value) != 0))
		return false;
	if (strcmp(r->trigger_kind, "严重失信名单") == 0)
		return list && serious != NULL && *serious && colour != NULL && strcmp(colour, "黑") == 0;
	if (strcmp(r->trigger_kind, "红名单") == 0)
		return list && colour != NULL && strcmp(colour, "红") == 0;
	if (strcmp(r->trigger_kind, "重点关注名单") == 0)
		return list && colour != NULL && strcmp(colour, "重点关注") == 0;
	return strcmp(kind, r->trigger_kind) == 0;
}

/* what the snapshot calls a hit of a trigger of this kind */
static const char *
hit_kind_of(const char *kind)
{
	if (strcmp(kind, "名单") == 0)
		return "名单条目";
	if (strcmp(kind, "违诺") == 0)
		return "信用承诺";
	if (strcmp(kind, "评价等级") == 0)
		return "评价结果";
	return "信用记录";
}

static int
text_order(const char *a, const char *b)
{
	return varstr_cmp(a, strlen(a), b, strlen(b), DEFAULT_COLLATION_OID);
}

/* the snapshot's order: by measure, the trigger's kind and id, the rule */
static int
hit_order(const void *pa, const void *pb)
{
	const CheckHit *a = pa;
	const CheckHit *b = pb;
	int			c = text_order(a->rule->measure_code, b->rule->measure_code);

	if (c == 0)
		c = text_order(a->kind, b->kind);
	if (c == 0 && a->hit_id != b->hit_id)
		c = a->hit_id < b->hit_id ? -1 : 1;
	if (c == 0)
		c = text_order(a->rule->rule_code, b->rule->rule_code);
	return c;
}

static char *
column_string(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col + 1, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/*
 * Inside SPI: the hits of subject for matter on day (the legal date) as
 * the caller sees them, in the snapshot's order, into *hits (*nhits, in
 * the SPI context); the snapshot is returned (jsonb, in the SPI context).
 * The subject's triggers come from the kept plan of credit.check_triggers
 * (the caller's rights and row security), matched here to the matter's
 * rules in force (check_rules.c); no rule in force, no query.  *seen: a
 * hit is a record or a list entry of the subject, so the matter is in
 * force (the rules are those of a matter in force) and the caller sees
 * the subject (through that row): check_visible would find both and need
 * not run.
 */
static Datum
compute_hits(int64 subject, text *matter, DateADT day, bool read_only, CheckHit **hits_out, int *nhits,
			 bool *seen)
{
	Oid			argtype = INT8OID;
	Datum		arg = Int64GetDatum(subject);
	JsonbParseState *state = NULL;
	const CreditCheckRule **rules;
	CheckHit   *hits = NULL;
	int			nrules;
	int			n = 0;
	bool		persons = false;
	Datum		snapshot;
	int			ret;
	uint64		i;
	int			j;

	*seen = false;
	rules = credit_check_rules(matter, day, &nrules);
	if (nrules > 0)
	{
		SPITupleTable *tt;
		int			room = 8;

		kept_plan(&triggers_plan,
				  "SELECT t.kind, t.id, t.value, t.serious, t.colour FROM credit.check_triggers($1) AS t",
				  1, &argtype);
		ret = SPI_execute_plan(triggers_plan, &arg, NULL, read_only, 0);
		if (ret != SPI_OK_SELECT)
			elog(ERROR, "credit check: the triggers query failed: %s", SPI_result_code_string(ret));
		credit_spi_expect("credit.check_triggers", T_NATTS, triggers_types);
		tt = SPI_tuptable;
		hits = palloc(sizeof(CheckHit) * room);
		for (i = 0; i < tt->numvals; i++)
		{
			HeapTuple	tup = tt->vals[i];
			TupleDesc	desc = tt->tupdesc;
			char	   *kind = column_string(tup, desc, T_KIND);
			char	   *value = column_string(tup, desc, T_VALUE);
			char	   *colour = column_string(tup, desc, T_COLOUR);
			bool		isnull;
			bool		serious;
			Datum		id = SPI_getbinval(tup, desc, T_ID + 1, &isnull);

			if (kind == NULL || isnull)
				elog(ERROR, "credit check: credit.check_triggers returned a trigger without a kind or an id");
			serious = DatumGetBool(SPI_getbinval(tup, desc, T_SERIOUS + 1, &isnull));
			for (j = 0; j < nrules; j++)
			{
				if (!rule_matches(rules[j], kind, value, isnull ? NULL : &serious, colour))
					continue;
				if (n == room)
				{
					room *= 2;
					hits = repalloc(hits, sizeof(CheckHit) * room);
				}
				hits[n].hit_kind = hit_kind_of(kind);
				hits[n].hit_id = DatumGetInt64(id);
				hits[n].kind = kind;
				hits[n].rule = rules[j];
				n++;
			}
		}
		qsort(hits, n, sizeof(CheckHit), hit_order);
	}

	/* copied: the rules are the cache's, and a later check may refill it */
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (j = 0; j < n; j++)
	{
		CheckHit   *h = &hits[j];
		const CreditCheckRule *r = h->rule;
		JsonbValue	v;

		h->trigger = pstrdup(r->trigger_kind);
		h->rule_code = pstrdup(r->rule_code);
		h->measure = pstrdup(r->measure_code);
		h->polarity = pstrdup(r->polarity);
		h->content = pstrdup(r->content);
		h->basis = pstrdup(r->basis);
		h->mandatory = r->mandatory;
		if (r->names_persons)
			persons = true;
		h->rule = NULL;
		/* a record or an entry the caller sees: the subject is visible */
		if (strcmp(h->hit_kind, "信用记录") == 0 || strcmp(h->hit_kind, "名单条目") == 0)
			*seen = true;

		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		push_string(&state, "hit_kind", h->hit_kind);
		push_key(&state, "hit_id");
		v.type = jbvNumeric;
		v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(h->hit_id)));
		pushJsonbValue(&state, WJB_VALUE, &v);
		push_string(&state, "trigger", h->trigger);
		push_string(&state, "rule", h->rule_code);
		push_string(&state, "measure", h->measure);
		push_string(&state, "polarity", h->polarity);
		push_string(&state, "content", h->content);
		push_string(&state, "basis", h->basis);
		push_key(&state, "mandatory");
		v.type = jbvBool;
		v.val.boolean = h->mandatory;
		pushJsonbValue(&state, WJB_VALUE, &v);
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	snapshot = JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_ARRAY, NULL)));
	*hits_out = hits;
	*nhits = n;

	/* a rule that names the responsible persons: credit.check_hit_persons */
	if (persons)
	{
		Oid			jtype = JSONBOID;
		static const Oid rtype[1] = {JSONBOID};
		bool		isnull;

		kept_plan(&persons_plan, "SELECT credit.check_hit_persons($1)", 1, &jtype);
		ret = SPI_execute_plan(persons_plan, &snapshot, NULL, read_only, 1);
		if (ret != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "credit check: credit.check_hit_persons failed: %s", SPI_result_code_string(ret));
		credit_spi_expect("credit.check_hit_persons", 1, rtype);
		snapshot = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (isnull)
			elog(ERROR, "credit check: credit.check_hit_persons returned null");
	}
	return snapshot;
}

/* credit.check_hits(subject_id bigint, matter_code text) RETURNS jsonb */
Datum
credit_check_hits(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	CheckHit   *hits;
	int			nhits;
	Datum		snapshot;
	bool		seen;

	/* no subject or no matter: nothing hits (as the query would say) */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum("[]")));
	SPI_connect();
	snapshot = compute_hits(PG_GETARG_INT64(0), PG_GETARG_TEXT_PP(1), credit_legal_today(), true, &hits, &nhits,
							&seen);
	MemoryContextSwitchTo(outer);
	snapshot = PointerGetDatum(PG_DETOAST_DATUM_COPY(snapshot));
	SPI_finish();
	PG_RETURN_DATUM(snapshot);
}

/* ---------------------------------------------------------------------
 * The check row written without the executor
 * --------------------------------------------------------------------- */

/* credit.credit_check as 60_measures.sql makes it */
#define CC_NATTS	9
#define CC_ID		1			/* attribute numbers */
#define CC_MATTER	6
#define CC_SUBJECT	7
#define CC_PURPOSE	8
static const char *const cc_columns[CC_NATTS] = {
	"check_id", "checked_at", "checked_on", "checked_by", "department_id", "matter_code", "subject_id",
	"purpose", "hits"
};
static const Oid cc_types[CC_NATTS] = {
	INT8OID, TIMESTAMPTZOID, DATEOID, REGROLEOID, INT4OID, TEXTOID, INT8OID, TEXTOID, JSONBOID
};
static const char *const cc_checks[2] = {"credit_check_purpose_check", "credit_check_hits_check"};
static const char *const cc_policies[4] = {
	"credit_check_centre", "credit_check_department", "credit_check_insert", "credit_check_acting"
};

/* its foreign keys: the column, the table of schema credit it references */
static const struct
{
	AttrNumber	att;
	const char *table;
}			cc_fkeys[3] = {{5, "department"}, {CC_MATTER, "matter"}, {CC_SUBJECT, "subject"}};

/* what check_table_as_made found, until a relcache invalidation of the table */
static struct
{
	bool		valid;
	bool		callback;
	Oid			relid;
	bool		as_made;
	Oid			seqid;			/* the identity's sequence */
}			cc_table;

static void
cc_invalidate(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == cc_table.relid)
		cc_table.valid = false;
}

static bool
name_in(const char *name, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Is function fn credit.<name>()? */
static bool
function_is(Oid fn, const char *name)
{
	char	   *fname = get_func_name(fn);

	return fname != NULL && strcmp(fname, name) == 0
		&& get_func_namespace(fn) == get_namespace_oid("credit", false);
}

/* Is the INSERT trigger t the check of one of the foreign keys?  Marks it found. */
static bool
cc_fkey_trigger(Relation rel, Trigger *t, bool *found)
{
	HeapTuple	tup;
	Form_pg_constraint con;
	bool		ok = false;
	Oid			nsp = get_namespace_oid("credit", false);

	if (t->tgfoid != F_RI_FKEY_CHECK_INS || !OidIsValid(t->tgconstraint))
		return false;
	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(t->tgconstraint));
	if (!HeapTupleIsValid(tup))
		return false;
	con = (Form_pg_constraint) GETSTRUCT(tup);
	if (con->contype == CONSTRAINT_FOREIGN && con->conrelid == RelationGetRelid(rel))
	{
		bool		isnull;
		Datum		d = SysCacheGetAttr(CONSTROID, tup, Anum_pg_constraint_conkey, &isnull);
		ArrayType  *keys = isnull ? NULL : DatumGetArrayTypeP(d);

		for (int i = 0; i < 3 && keys != NULL && !ok; i++)
			if (ARR_NDIM(keys) == 1 && ARR_DIMS(keys)[0] == 1 && ARR_ELEMTYPE(keys) == INT2OID
				&& ((int16 *) ARR_DATA_PTR(keys))[0] == cc_fkeys[i].att
				&& con->confrelid == get_relname_relid(cc_fkeys[i].table, nsp) && !found[i])
			{
				found[i] = true;
				ok = true;
			}
	}
	ReleaseSysCache(tup);
	return ok;
}

/*
 * Is credit.credit_check as the extension made it?  Its columns; its two
 * CHECK constraints; as INSERT triggers credit_check_before_insert (BEFORE
 * ROW, enabled), chain_log (AFTER ROW, ENABLE ALWAYS) and the checks of
 * its three foreign keys, and no other; its four policies, permissive, row
 * security forced.  Then check_write_direct may write the row itself.
 */
static bool
check_table_as_made(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		fkeys[3] = {false, false, false};
	bool		before = false,
				chain = false;
	ListCell   *lc;

	if (rel->rd_rel->relkind != RELKIND_RELATION || desc->natts != CC_NATTS || desc->constr == NULL
		|| desc->constr->num_check != 2 || desc->constr->has_generated_stored
		|| !rel->rd_rel->relrowsecurity || !rel->rd_rel->relforcerowsecurity
		|| rel->rd_rsdesc == NULL || list_length(rel->rd_rsdesc->policies) != 4 || rel->trigdesc == NULL)
		return false;
	for (int i = 0; i < CC_NATTS; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || att->atttypid != cc_types[i] || strcmp(NameStr(att->attname), cc_columns[i]) != 0)
			return false;
	}
	for (int i = 0; i < 2; i++)
		if (!name_in(desc->constr->check[i].ccname, cc_checks, 2))
			return false;
	foreach(lc, rel->rd_rsdesc->policies)
	{
		RowSecurityPolicy *p = (RowSecurityPolicy *) lfirst(lc);

		if (!p->permissive || !name_in(p->policy_name, cc_policies, 4))
			return false;
	}
	for (int i = 0; i < rel->trigdesc->numtriggers; i++)
	{
		Trigger    *t = &rel->trigdesc->triggers[i];

		if (!TRIGGER_FOR_INSERT(t->tgtype))
			continue;
		if (t->tgisinternal)
		{
			if (!cc_fkey_trigger(rel, t, fkeys))
				return false;
		}
		else if (strcmp(t->tgname, "credit_check_before_insert") == 0 && !before
				 && t->tgenabled == TRIGGER_FIRES_ON_ORIGIN && TRIGGER_FOR_BEFORE(t->tgtype)
				 && TRIGGER_FOR_ROW(t->tgtype) && function_is(t->tgfoid, "credit_check_before_insert"))
			before = true;
		else if (strcmp(t->tgname, "chain_log") == 0 && !chain && t->tgenabled == TRIGGER_FIRES_ALWAYS
				 && TRIGGER_FOR_AFTER(t->tgtype) && TRIGGER_FOR_ROW(t->tgtype)
				 && function_is(t->tgfoid, "chain_log_change"))
			chain = true;
		else
			return false;
	}
	return before && chain && fkeys[0] && fkeys[1] && fkeys[2];
}

/* may the caller do mode on column col (attribute number) of the table? */
static bool
may(Oid relid, AttrNumber col, Oid user, AclMode mode)
{
	return pg_class_aclcheck(relid, user, mode) == ACLCHECK_OK
		|| pg_attribute_aclcheck(relid, col, user, mode) == ACLCHECK_OK;
}

/* only spaces (all that the CHECK's btrim takes away): the CHECK refuses it */
static bool
blank(text *t)
{
	const char *p = VARDATA_ANY(t);

	for (int i = 0; i < VARSIZE_ANY_EXHDR(t); i++)
		if (p[i] != ' ')
			return false;
	return true;
}

/*
 * Inside SPI: credit.check's row written without the executor, its id into
 * *check_id; false, nothing done, when the SPI INSERT must write it (the
 * file's comment).  dept: the caller's department (check_refusals).
 */
static bool
check_write_direct(int64 subject, text *matter, text *purpose, int32 dept, DateADT today, Datum hits,
				   Datum *check_id)
{
	Oid			user = GetUserId();
	Oid			relid = get_relname_relid("credit_check", get_namespace_oid("credit", false));
	Oid			parties = get_role_oid("credit_department_parties", true);
	Relation	rel;
	Datum		values[CC_NATTS];
	bool		nulls[CC_NATTS] = {false};
	Oid			argtypes[3] = {INT4OID, TEXTOID, INT8OID};
	Datum		args[3] = {Int32GetDatum(dept), PointerGetDatum(matter), Int64GetDatum(subject)};
	Oid			save_userid;
	int			save_sec;
	int			ret;
	CreditDirectInsert di;

	if (!OidIsValid(relid) || !OidIsValid(parties) || SessionReplicationRole != SESSION_REPLICATION_ROLE_ORIGIN
		|| credit_restoring_relation(relid) || (purpose != NULL && blank(purpose))
	/* the INSERT's privileges, and those of its RETURNING check_id */
		|| !may(relid, CC_SUBJECT, user, ACL_INSERT) || !may(relid, CC_MATTER, user, ACL_INSERT)
		|| !may(relid, CC_PURPOSE, user, ACL_INSERT) || !may(relid, CC_ID, user, ACL_SELECT)
	/* the role of the insert policy and of the department's read policy */
		|| !has_privs_of_role(user, parties))
		return false;

	rel = table_open(relid, RowExclusiveLock);
	if (!cc_table.callback)
	{
		CacheRegisterRelcacheCallback(cc_invalidate, (Datum) 0);
		cc_table.callback = true;
	}
	if (!cc_table.valid || cc_table.relid != relid)
	{
		cc_table.relid = relid;
		cc_table.as_made = check_table_as_made(rel);
		cc_table.seqid = getIdentitySequence(relid, CC_ID, true);
		cc_table.valid = true;
	}
	if (!cc_table.as_made || !OidIsValid(cc_table.seqid))
	{
		table_close(rel, NoLock);
		return false;
	}

	/* the foreign keys' locks on the parent rows, as the owner (as ri_triggers.c) */
	kept_plan(&parents_plan,
			  "SELECT 1 FROM ONLY credit.department d, ONLY credit.matter m, ONLY credit.subject s"
			  " WHERE d.department_id OPERATOR(pg_catalog.=) $1"
			  "   AND m.matter_code OPERATOR(pg_catalog.=) $2"
			  "   AND s.subject_id OPERATOR(pg_catalog.=) $3"
			  " FOR KEY SHARE OF d, m, s",
			  3, argtypes);
	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(rel->rd_rel->relowner,
						   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	ret = SPI_execute_plan(parents_plan, args, NULL, false, 0);
	SetUserIdAndSecContext(save_userid, save_sec);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "credit check: the parent rows' query failed: %s", SPI_result_code_string(ret));
	if (SPI_processed != 1)
	{
		/* a parent missing: the INSERT's foreign key says which */
		table_close(rel, NoLock);
		return false;
	}

	/* the identity's next value, what the trigger sets, the rest as given */
	values[0] = Int64GetDatum(nextval_internal(cc_table.seqid, false));
	values[1] = TimestampTzGetDatum(GetCurrentTimestamp());
	values[2] = DateADTGetDatum(today);
	values[3] = ObjectIdGetDatum(user);
	values[4] = Int32GetDatum(dept);
	values[CC_MATTER - 1] = PointerGetDatum(matter);
	values[CC_SUBJECT - 1] = Int64GetDatum(subject);
	if (purpose != NULL)
		values[CC_PURPOSE - 1] = PointerGetDatum(purpose);
	else
		nulls[CC_PURPOSE - 1] = true;
	values[8] = hits;

	credit_direct_begin(&di, rel);
	credit_direct_insert(&di, values, nulls);
	credit_direct_end(&di);
	credit_chain_note_insert(rel, values, nulls);
	table_close(rel, NoLock);
	CommandCounterIncrement();
	*check_id = values[0];
	return true;
}

/*
 * Inside SPI: credit.check's row written by an INSERT, its trigger handed
 * the hits (the token); the row's id.
 */
static Datum
check_write_spi(FunctionCallInfo fcinfo, int64 subject, text *matter, Datum hits)
{
	Oid			argtypes[3] = {INT8OID, TEXTOID, TEXTOID};
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};
	static const Oid idtype[1] = {INT8OID};
	bool		isnull;
	int			ret;

	args[0] = Int64GetDatum(subject);
	args[1] = PointerGetDatum(matter);
	if (PG_ARGISNULL(2))
		nulls[2] = 'n';
	else
		args[2] = PG_GETARG_DATUM(2);
	kept_plan(&insert_plan,
			  "INSERT INTO credit.credit_check AS c (subject_id, matter_code, purpose)"
			  " VALUES ($1, $2, $3) RETURNING c.check_id",
			  3, argtypes);
	token.role = GetUserId();
	token.subject = subject;
	token.matter = text_to_cstring(matter);
	token.hits = hits;
	token.armed = true;
	PG_TRY();
	{
		ret = SPI_execute_plan(insert_plan, args, nulls, false, 0);
	}
	PG_FINALLY();
	{
		token.armed = false;
	}
	PG_END_TRY();
	if (ret != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
		elog(ERROR, "credit check: the check row was not written: %s", SPI_result_code_string(ret));
	credit_spi_expect("credit check", 1, idtype);
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
}

/*
 * credit.check(subject_id bigint, matter text, purpose text) RETURNS TABLE
 * (check_id, hit, hit_kind, hit_id, measure, polarity, content, basis,
 * mandatory): the refusals, the hits, the check row (its trigger takes the
 * hits from the token), then one row per hit or one clean row.
 */
Datum
credit_check(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		subject_null = PG_ARGISNULL(0);
	bool		matter_null = PG_ARGISNULL(1);
	int64		subject;
	text	   *matter;
	Datum		snapshot;
	CheckHit   *hits;
	int			nhits;
	bool		seen;
	Datum		check_id;
	int			i;
	int32		dept;
	DateADT		today;

	InitMaterializedSRF(fcinfo, 0);
	dept = check_refusals(subject_null, matter_null);
	subject = PG_GETARG_INT64(0);
	matter = PG_GETARG_TEXT_PP(1);

	SPI_connect();
	today = credit_legal_today();
	snapshot = compute_hits(subject, matter, today, false, &hits, &nhits, &seen);
	if (!seen)
		check_visible(subject, matter, today, false);

	if (!check_write_direct(subject, matter, PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2), dept, today, snapshot,
							&check_id))
		check_id = check_write_spi(fcinfo, subject, matter, snapshot);

	if (nhits == 0)
	{
		Datum		values[9] = {check_id, BoolGetDatum(false)};
		bool		vnulls[9] = {false, false, true, true, true, true, true, true, true};

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, vnulls);
	}
	for (i = 0; i < nhits; i++)
	{
		Datum		values[9];
		bool		vnulls[9] = {false};

		values[0] = check_id;
		values[1] = BoolGetDatum(true);
		values[2] = CStringGetTextDatum(hits[i].hit_kind);
		values[3] = Int64GetDatum(hits[i].hit_id);
		values[4] = CStringGetTextDatum(hits[i].measure);
		values[5] = CStringGetTextDatum(hits[i].polarity);
		values[6] = CStringGetTextDatum(hits[i].content);
		values[7] = CStringGetTextDatum(hits[i].basis);
		values[8] = BoolGetDatum(hits[i].mandatory);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, vnulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * BEFORE INSERT FOR EACH ROW on credit.credit_check (caller's rights): the
 * time is the clock's, the role and department the writer's, the hits those
 * the writer's row security shows; an unknown matter or a subject the
 * writer cannot see is refused.
 */
Datum
credit_check_before_insert(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	HeapTuple	tuple;
	int			subject_att,
				matter_att,
				cols[5];
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	bool		subject_null,
				matter_null;
	int64		subject = 0;
	text	   *matter = NULL;
	int32		dept;
	DateADT		today;
	Datum		hits;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "credit_check_before_insert: not called as a BEFORE INSERT FOR EACH ROW trigger");
	rel = trigdata->tg_relation;
	desc = RelationGetDescr(rel);
	tuple = trigdata->tg_trigtuple;

	subject_att = SPI_fnumber(desc, "subject_id");
	matter_att = SPI_fnumber(desc, "matter_code");
	cols[0] = SPI_fnumber(desc, "checked_at");
	cols[1] = SPI_fnumber(desc, "checked_on");
	cols[2] = SPI_fnumber(desc, "checked_by");
	cols[3] = SPI_fnumber(desc, "department_id");
	cols[4] = SPI_fnumber(desc, "hits");
	if (subject_att <= 0 || matter_att <= 0 || cols[0] <= 0 || cols[1] <= 0 || cols[2] <= 0 || cols[3] <= 0 ||
		cols[4] <= 0 ||
		SPI_gettypeid(desc, subject_att) != INT8OID || SPI_gettypeid(desc, matter_att) != TEXTOID ||
		SPI_gettypeid(desc, cols[0]) != TIMESTAMPTZOID || SPI_gettypeid(desc, cols[1]) != DATEOID ||
		SPI_gettypeid(desc, cols[2]) != REGROLEOID || SPI_gettypeid(desc, cols[3]) != INT4OID ||
		SPI_gettypeid(desc, cols[4]) != JSONBOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("credit_check_before_insert: table \"%s\" is not credit.credit_check",
						RelationGetRelationName(rel)),
				 errhint("Reinstall the extension if its objects were changed.")));

	values[0] = SPI_getbinval(tuple, desc, subject_att, &subject_null);
	if (!subject_null)
		subject = DatumGetInt64(values[0]);
	values[0] = SPI_getbinval(tuple, desc, matter_att, &matter_null);
	if (!matter_null)
		matter = DatumGetTextPP(values[0]);
	dept = check_refusals(subject_null, matter_null);
	today = credit_legal_today();

	if (token.armed && token.role == GetUserId() && token.subject == subject &&
		strcmp(token.matter, text_to_cstring(matter)) == 0)
	{
		/* credit.check's own row: it refused what it had to and has the hits */
		token.armed = false;
		hits = token.hits;
	}
	else
	{
		MemoryContext outer = CurrentMemoryContext;
		CheckHit   *rows;
		int			nrows;
		bool		seen;

		token.armed = false;
		SPI_connect();
		hits = compute_hits(subject, matter, today, false, &rows, &nrows, &seen);
		if (!seen)
			check_visible(subject, matter, today, false);
		MemoryContextSwitchTo(outer);
		hits = PointerGetDatum(PG_DETOAST_DATUM_COPY(hits));
		SPI_finish();
	}

	values[0] = TimestampTzGetDatum(GetCurrentTimestamp());
	values[1] = DateADTGetDatum(today);
	values[2] = ObjectIdGetDatum(GetUserId());
	values[3] = Int32GetDatum(dept);
	values[4] = hits;
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 5, cols, values, nulls));
}
