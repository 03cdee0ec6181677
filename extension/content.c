/*
 * content.c: what a row may change.
 *
 *   credit_attr_same()        the attribute comparison of the workflow guard
 *                             (guard.c) and of keep_content
 *   credit_attr_text()        a text attribute as a C string
 *   credit.keep_content()     a generic BEFORE UPDATE OR DELETE FOR EACH ROW
 *                             trigger: rows are never deleted, and only the
 *                             columns named in its arguments change
 *
 * keep_content's arguments: what the rows are, plural, for messages
 * ('credit records'); the hint for a refused DELETE; the hint for a refused
 * change ('' for none); then the columns that may change.  A column written
 * 'once:name' may change only while its old value is NULL (set once).
 * Generated and dropped columns are never compared.
 */
#include "postgres.h"

#include "access/detoast.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "content.h"

bool
credit_datum_same(Datum a, bool a_null, Datum b, bool b_null, Form_pg_attribute attr)
{
	if (a_null || b_null)
		return a_null == b_null;
	/*
	 * An unchanged toasted value keeps its toast pointer: equal without
	 * fetching it.
	 */
	if (attr->attlen == -1 &&
		VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(a)) &&
		VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(b)) &&
		memcmp(DatumGetPointer(a), DatumGetPointer(b), VARSIZE_EXTERNAL(DatumGetPointer(a))) == 0)
		return true;
	return datum_image_eq(a, b, attr->attbyval, attr->attlen);
}

char *
credit_attr_text(HeapTuple tup, TupleDesc desc, AttrNumber att)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, att, desc, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

bool
credit_attr_same(HeapTuple a, HeapTuple b, TupleDesc desc, AttrNumber att)
{
	bool		na,
				nb;
	Datum		va = heap_getattr(a, att, desc, &na);
	Datum		vb = heap_getattr(b, att, desc, &nb);

	return credit_datum_same(va, na, vb, nb, TupleDescAttr(desc, att - 1));
}

/* ------------------------------------------------------------------
 * credit.keep_content()
 * ------------------------------------------------------------------
 */
typedef enum KeepRule
{
	KEEP_SAME = 0,				/* not listed: never changes */
	KEEP_FREE,					/* listed: may change */
	KEEP_ONCE,					/* once: may change while NULL */
	KEEP_SKIP					/* dropped or generated: not compared */
} KeepRule;

/*
 * The parsed arguments of one trigger, in fn_extra: valid for the trigger
 * tgoid on the relation relid with natts attributes.
 */
typedef struct KeepContent
{
	Oid			tgoid;
	Oid			relid;
	int			natts;
	const char *what;
	const char *delete_hint;	/* NULL: none */
	const char *change_hint;	/* NULL: none */
	AttrNumber	last;			/* the last attribute compared */
	KeepRule	rules[FLEXIBLE_ARRAY_MEMBER];	/* by attribute number - 1 */
} KeepContent;

static char *
keep_table_name(Relation rel)
{
	return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
									  RelationGetRelationName(rel));
}

static KeepContent *
keep_parse(FunctionCallInfo fcinfo, TriggerData *td)
{
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	KeepContent *kc;
	int			i;

	if (tg->tgnargs < 3)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table %s: credit.keep_content() needs at least 3 arguments",
						tg->tgname, keep_table_name(rel)),
				 errhint("The arguments are what the rows are, the hint for a refused DELETE, the hint for a refused change, and then the columns that may change.")));

	kc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
								offsetof(KeepContent, rules) + sizeof(KeepRule) * Max(desc->natts, 1));
	kc->tgoid = tg->tgoid;
	kc->relid = RelationGetRelid(rel);
	kc->natts = desc->natts;
	kc->what = MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, tg->tgargs[0]);
	kc->delete_hint = tg->tgargs[1][0] ? MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, tg->tgargs[1]) : NULL;
	kc->change_hint = tg->tgargs[2][0] ? MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, tg->tgargs[2]) : NULL;

	for (i = 3; i < tg->tgnargs; i++)
	{
		const char *arg = tg->tgargs[i];
		bool		once = strncmp(arg, "once:", 5) == 0;
		const char *column = once ? arg + 5 : arg;
		int			a;

		for (a = 0; a < desc->natts; a++)
		{
			Form_pg_attribute attr = TupleDescAttr(desc, a);

			if (!attr->attisdropped && strcmp(NameStr(attr->attname), column) == 0)
				break;
		}
		if (a == desc->natts)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("trigger \"%s\" on table %s: column \"%s\" does not exist",
							tg->tgname, keep_table_name(rel), column),
					 errdetail("Argument %d of credit.keep_content() names a column that may change.", i + 1)));
		kc->rules[a] = once ? KEEP_ONCE : KEEP_FREE;
	}
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, i);

		if (attr->attisdropped || attr->attgenerated)
			kc->rules[i] = KEEP_SKIP;
		if (kc->rules[i] == KEEP_SAME || kc->rules[i] == KEEP_ONCE)
			kc->last = i + 1;
	}
	return kc;
}

/* "Column "a" cannot change." or "Columns "a", "b" cannot change." */
static void
keep_append_columns(StringInfo detail, List *columns, const char *one, const char *many)
{
	ListCell   *lc;

	if (columns == NIL)
		return;
	if (detail->len > 0)
		appendStringInfoChar(detail, ' ');
	appendStringInfoString(detail, list_length(columns) == 1 ? "Column " : "Columns ");
	foreach(lc, columns)
		appendStringInfo(detail, "%s\"%s\"", foreach_current_index(lc) ? ", " : "", (char *) lfirst(lc));
	appendStringInfo(detail, " %s.", list_length(columns) == 1 ? one : many);
}

/* The error for a refused change: the columns that changed, by rule. */
static void
keep_refuse_change(KeepContent *kc, TupleDesc desc, TupleTableSlot *oldslot, TupleTableSlot *newslot)
{
	List	   *changed = NIL;
	List	   *set_once = NIL;
	StringInfoData detail;
	int			i;

	for (i = 0; i < kc->last; i++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, i);

		if (kc->rules[i] == KEEP_FREE || kc->rules[i] == KEEP_SKIP ||
			(kc->rules[i] == KEEP_ONCE && oldslot->tts_isnull[i]) ||
			credit_datum_same(oldslot->tts_values[i], oldslot->tts_isnull[i],
							  newslot->tts_values[i], newslot->tts_isnull[i], attr))
			continue;
		if (kc->rules[i] == KEEP_ONCE)
			set_once = lappend(set_once, NameStr(attr->attname));
		else
			changed = lappend(changed, NameStr(attr->attname));
	}
	initStringInfo(&detail);
	keep_append_columns(&detail, changed, "cannot change", "cannot change");
	keep_append_columns(&detail, set_once, "is set only once", "are set only once");
	ereport(ERROR,
			(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
			 errmsg("%s are not changed in place", kc->what),
			 errdetail_internal("%s", detail.data),
			 kc->change_hint ? errhint("%s", kc->change_hint) : 0));
}

PG_FUNCTION_INFO_V1(credit_keep_content);
Datum
credit_keep_content(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	KeepContent *kc;
	TupleTableSlot *oldslot;
	TupleTableSlot *newslot;
	TupleDesc	desc;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.keep_content() was not called by the trigger manager")));
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_UPDATE(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table %s: credit.keep_content() must fire BEFORE UPDATE OR DELETE FOR EACH ROW",
						td->tg_trigger->tgname, keep_table_name(td->tg_relation))));

	desc = RelationGetDescr(td->tg_relation);
	kc = (KeepContent *) fcinfo->flinfo->fn_extra;
	if (kc == NULL || kc->tgoid != td->tg_trigger->tgoid ||
		kc->relid != RelationGetRelid(td->tg_relation) || kc->natts != desc->natts)
	{
		kc = keep_parse(fcinfo, td);
		fcinfo->flinfo->fn_extra = kc;
	}

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("%s are never deleted", kc->what),
				 kc->delete_hint ? errhint("%s", kc->delete_hint) : 0));

	oldslot = td->tg_trigslot;
	newslot = td->tg_newslot;
	slot_getsomeattrs(oldslot, kc->last);
	slot_getsomeattrs(newslot, kc->last);
	for (i = 0; i < kc->last; i++)
	{
		switch (kc->rules[i])
		{
			case KEEP_FREE:
			case KEEP_SKIP:
				continue;
			case KEEP_ONCE:
				if (oldslot->tts_isnull[i])
					continue;
				break;
			case KEEP_SAME:
				break;
		}
		if (!credit_datum_same(oldslot->tts_values[i], oldslot->tts_isnull[i],
							   newslot->tts_values[i], newslot->tts_isnull[i],
							   TupleDescAttr(desc, i)))
			keep_refuse_change(kc, desc, oldslot, newslot);
	}
	return PointerGetDatum(td->tg_newtuple);
}
