/*
 * guard.c: credit.workflow_guard(), the generic guard of every workflow
 * machine.  BEFORE INSERT OR UPDATE FOR EACH ROW, argument the machine.
 *
 * On INSERT (check_insert) the object starts in an initial state and the
 * machine's columns are set here.  On UPDATE (check_update), without a
 * transition request of this machine (transition.h) none of the machine's
 * columns may change; with one, the transition must be allowed from the
 * current state for the caller (its party kind, or the engine), with a
 * reason where required.  Then the time, the deadlines of the state entered
 * (set_deadlines) and, for an UPDATE, the event (write_event).
 */
#include "postgres.h"

#include <ctype.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "content.h"
#include "legal_date.h"
#include "machines.h"
#include "party.h"
#include "restore.h"
#include "spi_query.h"
#include "transition.h"

/* One row under the guard, and the columns the guard sets in it. */
typedef struct GuardRow
{
	Machine    *m;
	TupleDesc	desc;
	HeapTuple	oldtup;			/* NULL on INSERT */
	HeapTuple	newtup;
	bool		inserting;
	int64		obj;
	char	   *old_state;
	char	   *new_state;
	const TransitionRequest *req;	/* on UPDATE: the request it moves by */
	bool		engine;
	bool		has_kind;
	Datum		kind;			/* the caller's credit.party_kind */
	int			ncols;
	int		   *cols;
	Datum	   *values;
	bool	   *nulls;
} GuardRow;

static SPIPlanPtr event_insert = NULL;

/* credit.allowed_transitions(machine, state), for messages (an error path). */
static char *
guard_allowed(const char *machine, const char *state)
{
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Oid			text_type = TEXTOID;
	Datum		values[2];
	char	   *result;
	int			ret;

	values[0] = CStringGetTextDatum(machine);
	values[1] = CStringGetTextDatum(state ? state : "");
	SPI_connect();
	ret = SPI_execute_with_args("SELECT credit.allowed_transitions($1, $2)", 2, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "credit.allowed_transitions failed: %s", SPI_result_code_string(ret));
	credit_spi_expect("credit.allowed_transitions()", 1, &text_type);
	result = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	result = result ? MemoryContextStrdup(CurTransactionContext, result) : "";
	SPI_finish();
	return result;
}

static char *
guard_label(Datum kind)
{
	return DatumGetCString(DirectFunctionCall1(enum_out, kind));
}

static bool
guard_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (!isspace((unsigned char) *s))
			return false;
	return true;
}

/* The date an object entered a state (its last event there), or today. */
static DateADT
guard_entered(const char *machine, int64 obj, const char *state)
{
	Oid			argtypes[3] = {TEXTOID, INT8OID, TEXTOID};
	Datum		values[3];
	DateADT		result = credit_legal_today();
	int			ret;

	values[0] = CStringGetTextDatum(machine);
	values[1] = Int64GetDatum(obj);
	values[2] = CStringGetTextDatum(state);
	SPI_connect();
	ret = SPI_execute_with_args("SELECT e.at FROM credit.workflow_event e"
								" WHERE e.machine OPERATOR(pg_catalog.=) $1"
								" AND e.object_id OPERATOR(pg_catalog.=) $2"
								" AND e.to_state OPERATOR(pg_catalog.=) $3"
								" ORDER BY e.event_id DESC LIMIT 1", 3, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(ret));
	if (SPI_processed == 1)
	{
		bool		isnull;
		Oid			at_type = TIMESTAMPTZOID;
		Datum		d;

		credit_spi_expect("the date a state was entered", 1, &at_type);
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			result = credit_legal_date_of(DatumGetTimestampTz(d));
	}
	SPI_finish();
	return result;
}

/* The state of a row as a C string, whether the column is text or an enum. */
static char *
guard_state_text(Machine *m, HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	Datum		d;
	Oid			typoutput;
	bool		varlena;

	if (m->state_type == TEXTOID)
		return credit_attr_text(tup, desc, m->state);
	d = heap_getattr(tup, m->state, desc, &isnull);
	if (isnull)
		return NULL;
	getTypeOutputInfo(m->state_type, &typoutput, &varlena);
	return OidOutputFunctionCall(typoutput, d);
}

/* A state as a value of the state column's type. */
static Datum
guard_state_datum(Machine *m, const char *state)
{
	Oid			typinput;
	Oid			typioparam;

	if (m->state_type == TEXTOID)
		return CStringGetTextDatum(state);
	getTypeInputInfo(m->state_type, &typinput, &typioparam);
	return OidInputFunctionCall(typinput, unconstify(char *, state), typioparam, -1);
}

/* The guard sets column att to value (replacing what it set before). */
static void
guard_set(GuardRow *row, AttrNumber att, Datum value, bool isnull)
{
	int			k;

	for (k = 0; k < row->ncols; k++)
		if (row->cols[k] == att)
			break;
	if (k == row->ncols)
		row->ncols++;
	row->cols[k] = att;
	row->values[k] = value;
	row->nulls[k] = isnull;
}

/* Refuses a change of any of the machine's columns but (optionally) one. */
static void
guard_owned_unchanged(GuardRow *row, AttrNumber except, bool with_detail)
{
	Machine    *m = row->m;
	int			i;

	for (i = 0; i < m->nowned; i++)
	{
		AttrNumber	att = m->owned[i];
		const char *col;
		const char *state = row->old_state ? row->old_state : "?";

		if (att == except || credit_attr_same(row->oldtup, row->newtup, row->desc, att))
			continue;
		col = NameStr(TupleDescAttr(row->desc, att - 1)->attname);
		if (!with_detail)
			ereport(ERROR,
					(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
					 errmsg("column \"%s\" of %s " INT64_FORMAT " belongs to the %s machine",
							col, m->name, row->obj, m->machine)));
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("column \"%s\" of %s " INT64_FORMAT " belongs to the %s machine",
						col, m->name, row->obj, m->machine),
				 errdetail("%s " INT64_FORMAT " is in state \"%s\".", m->name, row->obj, state),
				 errhint("Move it with credit.transition(%s, " INT64_FORMAT ", <state>, <reason>); from \"%s\": %s.",
						 quote_literal_cstr(m->machine), row->obj, state,
						 guard_allowed(m->machine, row->old_state))));
	}
}

/* INSERT: the object starts in an initial state, with no reason or deadline. */
static void
check_insert(GuardRow *row)
{
	Machine    *m = row->m;
	ListCell   *lc;
	bool		ok = false;

	if (row->new_state == NULL)
	{
		if (m->initial == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
					 errmsg("machine \"%s\" has no initial state", m->machine),
					 errhint("Mark a state of credit.machine_state initial.")));
		row->new_state = linitial(m->initial);
	}
	foreach(lc, m->initial)
		ok |= (strcmp(lfirst(lc), row->new_state) == 0);
	if (!ok)
	{
		StringInfoData starts;

		initStringInfo(&starts);
		foreach(lc, m->initial)
			appendStringInfo(&starts, "%s\"%s\"", foreach_current_index(lc) ? " or " : "", (char *) lfirst(lc));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s " INT64_FORMAT " cannot start in state \"%s\"", m->name, row->obj, row->new_state),
				 errhint("A new %s starts in %s.", m->name, starts.data)));
	}
	guard_set(row, m->state, guard_state_datum(m, row->new_state), false);
	guard_set(row, m->reason, (Datum) 0, true);
	/* deadline columns start empty; those of the initial state are set later */
	foreach(lc, m->deadlines)
		guard_set(row, ((MachineDeadline *) lfirst(lc))->column, (Datum) 0, true);
}

/* The transition from the old to the new state, NULL if there is none. */
static MachineTransition *
guard_transition(GuardRow *row)
{
	MachineTransition *found = NULL;
	ListCell   *lc;

	if (row->old_state == NULL)
		return NULL;
	foreach(lc, row->m->transitions)
	{
		MachineTransition *t = lfirst(lc);

		if (strcmp(t->from_state, row->old_state) == 0 && strcmp(t->to_state, row->new_state) == 0)
			found = t;
	}
	return found;
}

/* Refuses a transition the caller (a party kind, or the engine) may not make. */
static void
check_allowed(GuardRow *row, MachineTransition *t)
{
	Machine    *m = row->m;
	bool		allowed = false;
	int			i;

	if (t != NULL && row->engine)
		allowed = t->by_engine;
	else if (t != NULL && row->has_kind)
		for (i = 0; i < t->nkinds; i++)
			allowed |= (t->kinds[i] == row->kind);
	if (allowed)
		return;
	if (t == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot move %s " INT64_FORMAT " from \"%s\" to \"%s\"", m->name, row->obj,
						row->old_state ? row->old_state : "?", row->new_state),
				 errdetail("Allowed from \"%s\": %s.", row->old_state ? row->old_state : "?",
						   guard_allowed(m->machine, row->old_state))));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("cannot move %s " INT64_FORMAT " from \"%s\" to \"%s\"", m->name, row->obj,
					row->old_state, row->new_state),
			 errdetail("\"%s\" to \"%s\" is for %s, not for %s.", row->old_state, row->new_state,
					   t->nkinds > 0 ? t->kinds_text : "the engine",
					   row->engine ? "the engine"
					   : row->has_kind ? guard_label(row->kind)
					   : psprintf("%s (not a registered party)", GetUserNameFromId(GetUserId(), false)))));
}

/*
 * UPDATE.  Returns false when the row is not moved by a transition of this
 * machine: then none of its columns changed, and the row stays as it is.
 */
static bool
check_update(GuardRow *row)
{
	Machine    *m = row->m;
	const TransitionRequest *req = row->req;
	MachineTransition *t;

	row->old_state = guard_state_text(m, row->oldtup, row->desc);
	if (req == NULL || strcmp(req->machine, m->machine) != 0)
	{
		guard_owned_unchanged(row, InvalidAttrNumber, true);
		return false;
	}
	if (row->new_state == NULL || strcmp(row->new_state, req->to_state) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("column \"%s\" of %s " INT64_FORMAT " is set only by the transition",
						NameStr(TupleDescAttr(row->desc, m->state - 1)->attname), m->name, row->obj)));
	t = guard_transition(row);
	row->has_kind = credit_party_kind(&row->kind);
	check_allowed(row, t);
	if (t->reason_required && guard_blank(req->reason))
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("moving %s " INT64_FORMAT " from \"%s\" to \"%s\" needs a reason", m->name, row->obj,
						row->old_state, row->new_state),
				 errdetail("The transition \"%s\" needs a reason.", t->action),
				 errhint("Give the reason as the fourth argument of credit.transition().")));
	/* besides the state, the UPDATE of credit.transition() changes nothing */
	guard_owned_unchanged(row, m->state, false);
	guard_set(row, m->reason, req->reason ? CStringGetTextDatum(req->reason) : (Datum) 0,
			  req->reason == NULL);
	return true;
}

/* The deadlines of the state entered, in working days from their start. */
static void
set_deadlines(GuardRow *row)
{
	ListCell   *lc;

	foreach(lc, row->m->deadlines)
	{
		MachineDeadline *dl = lfirst(lc);
		DateADT		base;

		if (strcmp(dl->state, row->new_state) != 0)
			continue;
		/* a deadline of one way in only (e.g. a step that keeps the state) */
		if (dl->from_state != NULL &&
			(row->inserting || strcmp(dl->from_state, row->old_state) != 0))
			continue;
		if (dl->from_column != InvalidAttrNumber)
		{
			bool		isnull;
			Datum		d = heap_getattr(row->newtup, dl->from_column, row->desc, &isnull);

			/* counted from a date of the object: none, no deadline */
			if (isnull)
			{
				guard_set(row, dl->column, (Datum) 0, true);
				continue;
			}
			base = DatumGetDateADT(d);
		}
		else if (dl->counted_from == NULL || strcmp(dl->counted_from, row->new_state) == 0 || row->inserting)
			base = credit_legal_today();
		else
			base = guard_entered(row->m->machine, row->obj, dl->counted_from);
		guard_set(row, dl->column,
				  OidFunctionCall2(credit_machines_add_working_days(), DateADTGetDatum(base),
								   Int32GetDatum(dl->working_days)),
				  false);
	}
}

/*
 * The event of a transition, in credit.workflow_event.  When the object's
 * table has the column exchange_scope (0.2, 70_exchange.sql), the event
 * carries its value: the publications of credit.create_publication() send
 * an event where they send its object.  A table without it (a 0.1 install
 * before its update) writes the event without it.
 */
static SPIPlanPtr event_insert_scoped = NULL;

static void
write_event(GuardRow *row)
{
	const TransitionRequest *req = row->req;
	Datum		ev[8];
	char		evnulls[8] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
	int			ret;
	int			scope_att = SPI_fnumber(row->desc, "exchange_scope");
	bool		scoped = scope_att > 0 && !TupleDescAttr(row->desc, scope_att - 1)->attisdropped
		&& TupleDescAttr(row->desc, scope_att - 1)->atttypid == TEXTOID;
	SPIPlanPtr	plan;

	SPI_connect();
	if (!scoped && event_insert == NULL)
	{
		Oid			argtypes[7] = {TEXTOID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, JSONBOID};

		event_insert = SPI_prepare_cursor("INSERT INTO credit.workflow_event "
										  "(machine, object_id, from_state, to_state, party_kind, reason, details) "
										  "VALUES ($1, $2, $3, $4, $5::credit.party_kind, $6, $7)",
										  7, argtypes, CURSOR_OPT_GENERIC_PLAN);
		if (event_insert == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(event_insert);
	}
	if (scoped && event_insert_scoped == NULL)
	{
		Oid			argtypes[8] = {TEXTOID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, JSONBOID, TEXTOID};

		event_insert_scoped = SPI_prepare_cursor("INSERT INTO credit.workflow_event "
												 "(machine, object_id, from_state, to_state, party_kind, reason, details, exchange_scope) "
												 "VALUES ($1, $2, $3, $4, $5::credit.party_kind, $6, $7, $8)",
												 8, argtypes, CURSOR_OPT_GENERIC_PLAN);
		if (event_insert_scoped == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(event_insert_scoped);
	}
	plan = scoped ? event_insert_scoped : event_insert;
	ev[0] = CStringGetTextDatum(row->m->machine);
	ev[1] = Int64GetDatum(row->obj);
	ev[2] = CStringGetTextDatum(row->old_state);
	ev[3] = CStringGetTextDatum(row->new_state);
	if (!row->engine && row->has_kind)
		ev[4] = CStringGetTextDatum(guard_label(row->kind));
	else
		evnulls[4] = 'n';
	if (req->reason)
		ev[5] = CStringGetTextDatum(req->reason);
	else
		evnulls[5] = 'n';
	if (req->details)
		ev[6] = req->details;
	else
		evnulls[6] = 'n';
	if (scoped)
	{
		bool		isnull;

		ev[7] = heap_getattr(row->newtup, scope_att, row->desc, &isnull);
		if (isnull)
			ev[7] = CStringGetTextDatum("本地");
	}
	ret = SPI_execute_plan(plan, ev, evnulls, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	SPI_finish();
}

PG_FUNCTION_INFO_V1(workflow_guard);
Datum
workflow_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	GuardRow	row = {0};
	bool		isnull;
	int			natts;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.workflow_guard() was not called by the trigger manager")));
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)) ||
		td->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table %s: credit.workflow_guard() must fire BEFORE INSERT OR UPDATE FOR EACH ROW with the machine as its one argument",
						td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation))));
	row.inserting = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	/*
	 * pg_restore putting rows back: they keep the states, times and
	 * deadlines they were dumped with (a restore only inserts).  Checked
	 * here rather than in the trigger's WHEN clause, which every statement
	 * would parse and plan again.
	 */
	if (row.inserting && credit_restoring_relation(RelationGetRelid(td->tg_relation)))
		return PointerGetDatum(td->tg_trigtuple);
	row.desc = RelationGetDescr(td->tg_relation);
	if (row.inserting)
		row.newtup = td->tg_trigtuple;
	else
	{
		row.newtup = td->tg_newtuple;
		row.oldtup = td->tg_trigtuple;
	}
	row.engine = superuser();

	/* the guard runs only on its machine's own table (credit.machine.table_name) */
	row.m = credit_machine_find(td->tg_trigger->tgargs[0]);
	if (row.m == NULL || row.m->relid != RelationGetRelid(td->tg_relation))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table %s: %s", td->tg_trigger->tgname,
						RelationGetRelationName(td->tg_relation),
						row.m == NULL ? psprintf("there is no workflow machine \"%s\"", td->tg_trigger->tgargs[0])
						: psprintf("table %s is not the table of machine \"%s\"",
								   RelationGetRelationName(td->tg_relation), row.m->machine)),
				 errhint("credit.workflow_guard() guards only the table credit.machine names for its machine.")));
	credit_machine_check_desc(row.m, row.desc);

	row.new_state = guard_state_text(row.m, row.newtup, row.desc);
	row.obj = DatumGetInt64(heap_getattr(row.newtup, row.m->key, row.desc, &isnull));
	row.req = credit_transition_current();
	natts = row.desc->natts;
	row.cols = palloc(sizeof(int) * natts);
	row.values = palloc(sizeof(Datum) * natts);
	row.nulls = palloc(sizeof(bool) * natts);

	if (row.inserting)
		check_insert(&row);
	else if (!check_update(&row))
		return PointerGetDatum(row.newtup);
	guard_set(&row, row.m->since, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);
	set_deadlines(&row);
	if (!row.inserting)
		write_event(&row);
	return PointerGetDatum(heap_modify_tuple_by_cols(row.newtup, row.desc, row.ncols, row.cols,
													 row.values, row.nulls));
}
