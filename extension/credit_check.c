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
 * No search_path is set: every SQL text here qualifies every relation,
 * function and operator (spi_query.h), and the type of every result column
 * is checked (credit_spi_expect) before it is read.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "legal_date.h"
#include "party.h"
#include "spi_query.h"

PG_FUNCTION_INFO_V1(credit_check);
PG_FUNCTION_INFO_V1(credit_check_hits);
PG_FUNCTION_INFO_V1(credit_check_before_insert);

static SPIPlanPtr valid_plan = NULL;
static SPIPlanPtr hits_plan = NULL;
static SPIPlanPtr persons_plan = NULL;
static SPIPlanPtr insert_plan = NULL;

/* the hits credit.check() hands to the trigger of its own INSERT */
static struct
{
	bool		armed;
	Oid			role;
	int64		subject;
	const char *matter;
	Datum		hits;
}			token;

/* the columns of the hits query */
#define H_KIND		0
#define H_ID		1
#define H_TRIGGER	2
#define H_RULE		3
#define H_MEASURE	4
#define H_POLARITY	5
#define H_CONTENT	6
#define H_BASIS		7
#define H_MANDATORY	8
#define H_PERSONS	9
#define H_NATTS		10

static const Oid hits_types[H_NATTS] = {TEXTOID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
TEXTOID, TEXTOID, BOOLOID, BOOLOID};

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

/* the value of column col (0-based) of a hits row, as a jsonb value */
static void
push_column(JsonbParseState **state, const char *key, HeapTuple tup, TupleDesc desc, int col)
{
	JsonbValue	v;
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col + 1, &isnull);

	push_key(state, key);
	if (isnull)
		v.type = jbvNull;
	else if (hits_types[col] == TEXTOID)
	{
		text	   *t = DatumGetTextPP(d);

		v.type = jbvString;
		v.val.string.len = VARSIZE_ANY_EXHDR(t);
		v.val.string.val = VARDATA_ANY(t);
	}
	else if (hits_types[col] == INT8OID)
	{
		v.type = jbvNumeric;
		v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric, d));
	}
	else
	{
		v.type = jbvBool;
		v.val.boolean = DatumGetBool(d);
	}
	pushJsonbValue(state, WJB_VALUE, &v);
}

/*
 * Inside SPI: the hits of subject for matter as the caller sees them; the
 * rows stay in SPI_tuptable's copy *rows (the order of the snapshot), the
 * snapshot is returned (jsonb, in the SPI context).  *seen: a hit is a
 * record or a list entry of the subject, so the matter is in force (the
 * rules are those of a matter in force) and the caller sees the subject
 * (through that row): check_visible would find both and need not run.
 */
static Datum
compute_hits(int64 subject, text *matter, bool read_only, SPITupleTable **rows, bool *seen)
{
	Oid			argtypes[2] = {INT8OID, TEXTOID};
	Datum		args[2] = {Int64GetDatum(subject), PointerGetDatum(matter)};
	JsonbParseState *state = NULL;
	SPITupleTable *tt;
	bool		persons = false;
	Datum		hits;
	int			ret;
	uint64		i;

	kept_plan(&hits_plan,
			  "SELECT h.hit_kind, h.hit_id, h.trigger, h.rule, h.measure, h.polarity, h.content,"
			  "       h.basis, h.mandatory, h.names_persons"
			  "  FROM credit.check_hit_rows($1, $2) AS h",
			  2, argtypes);
	ret = SPI_execute_plan(hits_plan, args, NULL, read_only, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "credit check: the hits query failed: %s", SPI_result_code_string(ret));
	credit_spi_expect("credit.check_hit_rows", H_NATTS, hits_types);
	tt = SPI_tuptable;
	*rows = tt;
	*seen = false;

	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < tt->numvals; i++)
	{
		HeapTuple	tup = tt->vals[i];
		TupleDesc	desc = tt->tupdesc;
		bool		isnull;
		Datum		d;

		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		push_column(&state, "hit_kind", tup, desc, H_KIND);
		push_column(&state, "hit_id", tup, desc, H_ID);
		push_column(&state, "trigger", tup, desc, H_TRIGGER);
		push_column(&state, "rule", tup, desc, H_RULE);
		push_column(&state, "measure", tup, desc, H_MEASURE);
		push_column(&state, "polarity", tup, desc, H_POLARITY);
		push_column(&state, "content", tup, desc, H_CONTENT);
		push_column(&state, "basis", tup, desc, H_BASIS);
		push_column(&state, "mandatory", tup, desc, H_MANDATORY);
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
		d = SPI_getbinval(tup, desc, H_PERSONS + 1, &isnull);
		if (!isnull && DatumGetBool(d))
			persons = true;
		/* a record or an entry the caller sees: the subject is visible */
		d = SPI_getbinval(tup, desc, H_KIND + 1, &isnull);
		if (!isnull && (strcmp(TextDatumGetCString(d), "信用记录") == 0 ||
						strcmp(TextDatumGetCString(d), "名单条目") == 0))
			*seen = true;
	}
	hits = JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_ARRAY, NULL)));

	/* a rule that names the responsible persons: credit.check_hit_persons */
	if (persons)
	{
		Oid			jtype = JSONBOID;
		static const Oid rtype[1] = {JSONBOID};
		bool		isnull;

		kept_plan(&persons_plan, "SELECT credit.check_hit_persons($1)", 1, &jtype);
		ret = SPI_execute_plan(persons_plan, &hits, NULL, read_only, 1);
		if (ret != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "credit check: credit.check_hit_persons failed: %s", SPI_result_code_string(ret));
		credit_spi_expect("credit.check_hit_persons", 1, rtype);
		hits = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (isnull)
			elog(ERROR, "credit check: credit.check_hit_persons returned null");
	}
	return hits;
}

/* credit.check_hits(subject_id bigint, matter_code text) RETURNS jsonb */
Datum
credit_check_hits(PG_FUNCTION_ARGS)
{
	MemoryContext outer = CurrentMemoryContext;
	SPITupleTable *rows;
	Datum		hits;
	bool		seen;

	/* no subject or no matter: nothing hits (as the query would say) */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum("[]")));
	SPI_connect();
	hits = compute_hits(PG_GETARG_INT64(0), PG_GETARG_TEXT_PP(1), true, &rows, &seen);
	MemoryContextSwitchTo(outer);
	hits = PointerGetDatum(PG_DETOAST_DATUM_COPY(hits));
	SPI_finish();
	PG_RETURN_DATUM(hits);
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
	Datum		hits;
	SPITupleTable *rows;
	bool		seen;
	Oid			argtypes[3] = {INT8OID, TEXTOID, TEXTOID};
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};
	static const Oid idtype[1] = {INT8OID};
	Datum		check_id;
	bool		isnull;
	int			ret;
	uint64		i;

	InitMaterializedSRF(fcinfo, 0);
	check_refusals(subject_null, matter_null);
	subject = PG_GETARG_INT64(0);
	matter = PG_GETARG_TEXT_PP(1);

	SPI_connect();
	hits = compute_hits(subject, matter, false, &rows, &seen);
	if (!seen)
		check_visible(subject, matter, credit_legal_today(), false);

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
	check_id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

	if (rows->numvals == 0)
	{
		Datum		values[9] = {check_id, BoolGetDatum(false)};
		bool		vnulls[9] = {false, false, true, true, true, true, true, true, true};

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, vnulls);
	}
	for (i = 0; i < rows->numvals; i++)
	{
		static const int cols[7] = {H_KIND, H_ID, H_MEASURE, H_POLARITY, H_CONTENT, H_BASIS, H_MANDATORY};
		Datum		values[9];
		bool		vnulls[9] = {false, false};
		int			c;

		values[0] = check_id;
		values[1] = BoolGetDatum(true);
		for (c = 0; c < 7; c++)
			values[c + 2] = SPI_getbinval(rows->vals[i], rows->tupdesc, cols[c] + 1, &vnulls[c + 2]);
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
		SPITupleTable *rows;
		bool		seen;

		token.armed = false;
		SPI_connect();
		hits = compute_hits(subject, matter, false, &rows, &seen);
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
