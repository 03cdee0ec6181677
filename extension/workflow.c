/*
 * workflow.c: the transition request behind credit.transition().
 *
 * A workflow machine's state column changes only through
 * credit.transition(machine, object_ids, to_state, reason, details).  This
 * function notes the request in backend memory, runs
 *     UPDATE <table> SET <state column> = to_state WHERE <key> = ANY (object_ids)
 * as the calling role (row security and privileges apply), and forgets the
 * request.  The generic guard trigger (credit.workflow_guard, in SQL) asks
 * credit.transition_request() for the request: a row whose state changes
 * without a matching request is refused, so a plain UPDATE of the state
 * column never moves a machine.  The guard does every other check (allowed
 * transition, party kind, reason) and writes the event.
 *
 * Requests nest (a side effect moves another machine inside an AFTER
 * trigger), so they form a stack; entries pushed in a subtransaction that
 * aborts, or in a transaction that ends, are dropped.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/datum.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include <ctype.h>
#include "miscadmin.h"
#include "utils/memutils.h"

#include "credit.h"

#define MAX_REQUEST_DEPTH 32

static int
compare_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

typedef struct TransitionRequest
{
	char	   *machine;
	char	   *to_state;
	char	   *reason;			/* NULL: none given */
	Datum		details;		/* jsonb, or 0 */
	SubTransactionId subid;
} TransitionRequest;

static TransitionRequest requests[MAX_REQUEST_DEPTH];

/* the machines' definitions, cached (below, with the guard) */
static const char *machine_update_sql(const char *machine);
static int	n_requests = 0;
static bool callbacks_registered = false;

/* One cached plan per distinct UPDATE statement (machine). */
typedef struct CachedUpdate
{
	char	   *sql;
	SPIPlanPtr	plan;
} CachedUpdate;

static CachedUpdate *updates = NULL;
static int	n_updates = 0;

static void
workflow_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			n_requests = 0;		/* their memory goes with the transaction */
			break;
		default:
			break;
	}
}

static void
workflow_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						  SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	while (n_requests > 0 && requests[n_requests - 1].subid >= mySubid)
		n_requests--;
}

void
credit_workflow_init(void)
{
	if (!callbacks_registered)
	{
		RegisterXactCallback(workflow_xact_callback, NULL);
		RegisterSubXactCallback(workflow_subxact_callback, NULL);
		callbacks_registered = true;
	}
}

/* How many distinct, non-null ids the array holds. */
static int
distinct_ids(ArrayType *ids)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				k = 0,
				distinct = 0;
	int64	   *v;

	deconstruct_array(ids, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	v = palloc(sizeof(int64) * (n + 1));
	for (i = 0; i < n; i++)
		if (!nulls[i])
			v[k++] = DatumGetInt64(elems[i]);
	qsort(v, k, sizeof(int64), compare_int64);
	for (i = 0; i < k; i++)
		if (i == 0 || v[i] != v[i - 1])
			distinct++;
	pfree(v);
	return distinct;
}

static SPIPlanPtr
update_plan(const char *sql)
{
	int			i;
	Oid			argtypes[2] = {TEXTOID, INT8ARRAYOID};
	SPIPlanPtr	plan;
	MemoryContext old;

	for (i = 0; i < n_updates; i++)
		if (strcmp(updates[i].sql, sql) == 0)
			return updates[i].plan;

	/*
	 * A generic plan, kept: with "key = ANY ($2)" the plan cache would
	 * otherwise plan again for every call (and row security with it).
	 */
	plan = SPI_prepare_cursor(sql, 2, argtypes, CURSOR_OPT_GENERIC_PLAN);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
	SPI_keepplan(plan);
	old = MemoryContextSwitchTo(TopMemoryContext);
	updates = updates ? repalloc(updates, sizeof(CachedUpdate) * (n_updates + 1))
		: palloc(sizeof(CachedUpdate));
	updates[n_updates].sql = pstrdup(sql);
	updates[n_updates].plan = plan;
	n_updates++;
	MemoryContextSwitchTo(old);
	return plan;
}

/*
 * credit.transition(machine text, object_ids bigint[], to_state text,
 *                   reason text, details jsonb) RETURNS bigint
 * Moves the objects to to_state; returns how many moved.  Objects that do not
 * exist or that the caller cannot see are an error, naming them.
 */
PG_FUNCTION_INFO_V1(workflow_transition);
Datum
workflow_transition(PG_FUNCTION_ARGS)
{
	text	   *machine_t;
	ArrayType  *ids;
	text	   *to_t;
	char	   *machine;
	char	   *sql;
	Datum		values[2];
	int			ret;
	int			nids;
	uint64		moved;
	MemoryContext xact_cxt = TopTransactionContext;
	TransitionRequest *req;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a transition needs a machine, the objects and the state to move them to")));
	machine_t = PG_GETARG_TEXT_PP(0);
	ids = PG_GETARG_ARRAYTYPE_P(1);
	to_t = PG_GETARG_TEXT_PP(2);
	machine = text_to_cstring(machine_t);
	if (ARR_NDIM(ids) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the objects to move are a one-dimensional array of ids")));
	nids = distinct_ids(ids);
	if (nids == 0)
		PG_RETURN_INT64(0);
	if (n_requests >= MAX_REQUEST_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("workflow transitions nested more than %d deep", MAX_REQUEST_DEPTH),
				 errhint("A side effect of a transition is moving machines in a cycle.")));

	credit_workflow_init();
	SPI_connect();
	sql = pstrdup(machine_update_sql(machine));

	req = &requests[n_requests];
	req->machine = MemoryContextStrdup(xact_cxt, machine);
	req->to_state = MemoryContextStrdup(xact_cxt, text_to_cstring(to_t));
	req->reason = PG_ARGISNULL(3) ? NULL
		: MemoryContextStrdup(xact_cxt, text_to_cstring(PG_GETARG_TEXT_PP(3)));
	if (PG_ARGISNULL(4))
		req->details = (Datum) 0;
	else
	{
		Jsonb	   *j = PG_GETARG_JSONB_P(4);
		Jsonb	   *copy = MemoryContextAlloc(xact_cxt, VARSIZE(j));

		memcpy(copy, j, VARSIZE(j));
		req->details = JsonbPGetDatum(copy);
	}
	req->subid = GetCurrentSubTransactionId();
	n_requests++;

	values[0] = PointerGetDatum(to_t);
	values[1] = PointerGetDatum(ids);
	PG_TRY();
	{
		ret = SPI_execute_plan(update_plan(sql), values, NULL, false, 0);
	}
	PG_FINALLY();
	{
		n_requests--;
	}
	PG_END_TRY();
	if (ret != SPI_OK_UPDATE)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	moved = SPI_processed;
	SPI_finish();

	if (moved < (uint64) nids)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("%s: %d of the %d objects to move to %s do not exist or are not yours to move",
						machine, nids - (int) moved, nids, text_to_cstring(to_t)),
				 errhint("Check the ids; row security hides what your role may not see.")));
	PG_RETURN_INT64((int64) moved);
}

/*
 * credit.transition_request() RETURNS TABLE (machine text, to_state text,
 * reason text, details jsonb, engine boolean): the innermost request in
 * progress (all fields NULL but engine when there is none); engine is true when the role running
 * it is a superuser, which inside the extension's SECURITY DEFINER functions
 * (the sweep, the side effects) means the engine itself.  For the guard.
 */
PG_FUNCTION_INFO_V1(workflow_transition_request);
Datum
workflow_transition_request(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	TransitionRequest *req;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "transition_request: return type must be a row type");
	values[4] = BoolGetDatum(superuser());
	if (n_requests == 0)
	{
		/* a row of nulls: PL/pgSQL can read its fields */
		nulls[0] = nulls[1] = nulls[2] = nulls[3] = true;
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
	}
	req = &requests[n_requests - 1];
	values[0] = CStringGetTextDatum(req->machine);
	values[1] = CStringGetTextDatum(req->to_state);
	if (req->reason)
		values[2] = CStringGetTextDatum(req->reason);
	else
		nulls[2] = true;
	if (req->details)
		values[3] = req->details;
	else
		nulls[3] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * credit.in_transition(machine text, to_state text) RETURNS boolean: is
 * credit.transition() making a transition of this machine to this state
 * right now?  A row predicate for the insert policy of credit.workflow_event
 * (the innermost request, as credit.transition_request() shows it).
 */
PG_FUNCTION_INFO_V1(workflow_in_transition);
Datum
workflow_in_transition(PG_FUNCTION_ARGS)
{
	TransitionRequest *req;
	char	   *machine;
	char	   *to_state;

	if (n_requests == 0)
		PG_RETURN_BOOL(false);
	req = &requests[n_requests - 1];
	machine = text_to_cstring(PG_GETARG_TEXT_PP(0));
	to_state = text_to_cstring(PG_GETARG_TEXT_PP(1));
	PG_RETURN_BOOL(strcmp(machine, req->machine) == 0 && strcmp(to_state, req->to_state) == 0);
}

/* ------------------------------------------------------------------
 * The generic guard, credit.workflow_guard(): BEFORE INSERT OR UPDATE FOR
 * EACH ROW, argument the machine.  The machines' definitions (credit.machine,
 * machine_state, machine_transition, machine_deadline) are cached per
 * session and dropped when any of those tables changes (a statement trigger
 * sends a relcache invalidation, as for credit.party).
 * ------------------------------------------------------------------
 */
typedef struct GuardTransition
{
	char	   *from_state;
	char	   *to_state;
	char	   *action;
	Datum	   *kinds;			/* credit.party_kind values */
	int			nkinds;
	char	   *kinds_text;		/* "部门/信用中心" */
	bool		by_engine;
	bool		reason_required;
} GuardTransition;

typedef struct GuardDeadline
{
	char	   *state;
	AttrNumber	column;
	int			working_days;
	char	   *counted_from;	/* NULL: the day of the transition */
} GuardDeadline;

typedef struct GuardMachine
{
	char	   *machine;
	char	   *name;
	Oid			relid;
	AttrNumber	key;
	AttrNumber	state;
	AttrNumber	reason;
	AttrNumber	since;
	AttrNumber *owned;
	int			nowned;
	char	   *update_sql;		/* what credit.transition() runs */
	char	  **initial;		/* in state order */
	int			ninitial;
	GuardTransition *transitions;
	int			ntransitions;
	GuardDeadline *deadlines;
	int			ndeadlines;
} GuardMachine;

static MemoryContext guard_cxt = NULL;
static GuardMachine *guard_machines = NULL;
static int	n_guard_machines = 0;
static bool guard_valid = false;
static Oid	guard_relids[4];
static bool guard_callback_registered = false;
static SPIPlanPtr event_insert = NULL;
static Oid	add_working_days_oid = InvalidOid;

static void
guard_relcache_callback(Datum arg, Oid relid)
{
	int			i;

	if (relid == InvalidOid)
		guard_valid = false;
	for (i = 0; i < 4; i++)
		if (relid == guard_relids[i] || guard_relids[i] == InvalidOid)
			guard_valid = false;
}

static GuardMachine *
guard_find(const char *machine)
{
	int			i;

	for (i = 0; i < n_guard_machines; i++)
		if (strcmp(guard_machines[i].machine, machine) == 0)
			return &guard_machines[i];
	return NULL;
}

static AttrNumber
guard_attnum(Oid relid, const char *column, const char *machine)
{
	AttrNumber	a = get_attnum(relid, column);

	if (a == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("machine \"%s\": table %s has no column \"%s\"", machine, get_rel_name(relid), column)));
	return a;
}

static char *
spi_text(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

static void
guard_query(const char *sql)
{
	int			ret = SPI_execute(sql, true, 0);

	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(ret));
}

/* Loads every machine's definition into guard_cxt (inside SPI). */
static void
guard_load(void)
{
	MemoryContext old;
	uint64		i;
	int			j;
	Oid			nsp = get_namespace_oid("credit", false);

	if (guard_cxt == NULL)
		guard_cxt = AllocSetContextCreate(TopMemoryContext, "credit workflow machines", ALLOCSET_SMALL_SIZES);
	MemoryContextReset(guard_cxt);
	add_working_days_oid = InvalidOid;	/* the extension may have been recreated */
	guard_machines = NULL;
	n_guard_machines = 0;
	if (!guard_callback_registered)
	{
		CacheRegisterRelcacheCallback(guard_relcache_callback, (Datum) 0);
		guard_callback_registered = true;
	}
	guard_relids[0] = get_relname_relid("machine", nsp);
	guard_relids[1] = get_relname_relid("machine_state", nsp);
	guard_relids[2] = get_relname_relid("machine_transition", nsp);
	guard_relids[3] = get_relname_relid("machine_deadline", nsp);

	guard_query("SELECT machine, name, table_name::oid, key_column::text, state_column::text, "
					  "reason_column::text, since_column::text, owned_columns::text[] "
					  "FROM credit.machine ORDER BY machine");
	old = MemoryContextSwitchTo(guard_cxt);
	n_guard_machines = (int) SPI_processed;
	guard_machines = palloc0(sizeof(GuardMachine) * Max(n_guard_machines, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		GuardMachine *m = &guard_machines[i];
		bool		isnull;
		Datum	   *elems;
		int			nelems;

		m->machine = spi_text(tup, desc, 1);
		m->name = spi_text(tup, desc, 2);
		m->relid = DatumGetObjectId(SPI_getbinval(tup, desc, 3, &isnull));
		m->key = guard_attnum(m->relid, spi_text(tup, desc, 4), m->machine);
		m->state = guard_attnum(m->relid, spi_text(tup, desc, 5), m->machine);
		m->reason = guard_attnum(m->relid, spi_text(tup, desc, 6), m->machine);
		m->since = guard_attnum(m->relid, spi_text(tup, desc, 7), m->machine);
		deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, 8, &isnull)),
						  TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &nelems);
		m->owned = palloc(sizeof(AttrNumber) * Max(nelems, 1));
		m->nowned = nelems;
		for (j = 0; j < nelems; j++)
			m->owned[j] = guard_attnum(m->relid, TextDatumGetCString(elems[j]), m->machine);
		m->update_sql = psprintf("UPDATE %s SET %s = $1 WHERE %s = ANY ($2)",
								 quote_qualified_identifier(get_namespace_name(get_rel_namespace(m->relid)),
															get_rel_name(m->relid)),
								 quote_identifier(get_attname(m->relid, m->state, false)),
								 quote_identifier(get_attname(m->relid, m->key, false)));
	}
	MemoryContextSwitchTo(old);

	guard_query("SELECT machine, state FROM credit.machine_state WHERE initial ORDER BY machine, state");
	old = MemoryContextSwitchTo(guard_cxt);
	for (i = 0; i < SPI_processed; i++)
	{
		GuardMachine *m = guard_find(spi_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));

		if (m == NULL)
			continue;
		m->initial = m->initial ? repalloc(m->initial, sizeof(char *) * (m->ninitial + 1)) : palloc(sizeof(char *));
		m->initial[m->ninitial++] = spi_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
	}
	MemoryContextSwitchTo(old);

	guard_query("SELECT machine, from_state, to_state, action, party_kinds, array_to_string(party_kinds, '/'), "
					  "by_engine, reason_required FROM credit.machine_transition");
	old = MemoryContextSwitchTo(guard_cxt);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		GuardMachine *m = guard_find(spi_text(tup, desc, 1));
		GuardTransition *t;
		bool		isnull;
		ArrayType  *kinds;
		int16		typlen;
		bool		typbyval;
		char		typalign;

		if (m == NULL)
			continue;
		m->transitions = m->transitions
			? repalloc(m->transitions, sizeof(GuardTransition) * (m->ntransitions + 1))
			: palloc(sizeof(GuardTransition));
		t = &m->transitions[m->ntransitions++];
		t->from_state = spi_text(tup, desc, 2);
		t->to_state = spi_text(tup, desc, 3);
		t->action = spi_text(tup, desc, 4);
		kinds = DatumGetArrayTypePCopy(SPI_getbinval(tup, desc, 5, &isnull));
		get_typlenbyvalalign(ARR_ELEMTYPE(kinds), &typlen, &typbyval, &typalign);
		deconstruct_array(kinds, ARR_ELEMTYPE(kinds), typlen, typbyval, typalign, &t->kinds, NULL, &t->nkinds);
		t->kinds_text = spi_text(tup, desc, 6);
		t->by_engine = DatumGetBool(SPI_getbinval(tup, desc, 7, &isnull));
		t->reason_required = DatumGetBool(SPI_getbinval(tup, desc, 8, &isnull));
	}
	MemoryContextSwitchTo(old);

	guard_query("SELECT machine, state, deadline_column::text, working_days, counted_from "
					  "FROM credit.machine_deadline ORDER BY machine, state, deadline_column");
	old = MemoryContextSwitchTo(guard_cxt);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		GuardMachine *m = guard_find(spi_text(tup, desc, 1));
		GuardDeadline *d;
		bool		isnull;

		if (m == NULL)
			continue;
		m->deadlines = m->deadlines
			? repalloc(m->deadlines, sizeof(GuardDeadline) * (m->ndeadlines + 1))
			: palloc(sizeof(GuardDeadline));
		d = &m->deadlines[m->ndeadlines++];
		d->state = spi_text(tup, desc, 2);
		d->column = guard_attnum(m->relid, spi_text(tup, desc, 3), m->machine);
		d->working_days = DatumGetInt32(SPI_getbinval(tup, desc, 4, &isnull));
		d->counted_from = spi_text(tup, desc, 5);
	}
	MemoryContextSwitchTo(old);
	guard_valid = true;
}

/* credit.allowed_transitions(machine, state), for messages (an error path). */
static char *
guard_allowed(const char *machine, const char *state)
{
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	char	   *result;
	int			ret;

	values[0] = CStringGetTextDatum(machine);
	values[1] = CStringGetTextDatum(state);
	SPI_connect();
	ret = SPI_execute_with_args("SELECT credit.allowed_transitions($1, $2)", 2, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "credit.allowed_transitions failed");
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
	DateADT		result = GetSQLCurrentDate();
	int			ret;

	values[0] = CStringGetTextDatum(machine);
	values[1] = Int64GetDatum(obj);
	values[2] = CStringGetTextDatum(state);
	ret = SPI_execute_with_args("SELECT e.at::date FROM credit.workflow_event e "
								"WHERE e.machine = $1 AND e.object_id = $2 AND e.to_state = $3 "
								"ORDER BY e.event_id DESC LIMIT 1", 3, argtypes, values, NULL, true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(ret));
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			result = DatumGetDateADT(d);
	}
	return result;
}

static bool
guard_same(HeapTuple a, HeapTuple b, TupleDesc desc, AttrNumber att)
{
	bool		na,
				nb;
	Datum		va = heap_getattr(a, att, desc, &na);
	Datum		vb = heap_getattr(b, att, desc, &nb);
	Form_pg_attribute attr = TupleDescAttr(desc, att - 1);

	if (na || nb)
		return na == nb;
	return datum_image_eq(va, vb, attr->attbyval, attr->attlen);
}

PG_FUNCTION_INFO_V1(workflow_guard);
Datum
workflow_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	newtup,
				oldtup = NULL;
	GuardMachine *m;
	TransitionRequest *req;
	GuardTransition *t = NULL;
	bool		inserting,
				isnull,
				engine = superuser(),
				has_kind = false;
	Datum		kind = (Datum) 0;
	char	   *new_state,
			   *old_state = NULL;
	int64		obj;
	int			i,
				ncols = 0;
	int		   *cols;
	Datum	   *values;
	bool	   *nulls;
	Datum		d;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event)
		|| td->tg_trigger->tgnargs != 1)
		elog(ERROR, "credit.workflow_guard: must be a BEFORE ... FOR EACH ROW trigger with the machine as argument");
	inserting = TRIGGER_FIRED_BY_INSERT(td->tg_event);
	if (!inserting && !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		elog(ERROR, "credit.workflow_guard: fires on INSERT or UPDATE");
	desc = RelationGetDescr(td->tg_relation);
	if (inserting)
		newtup = td->tg_trigtuple;
	else
	{
		newtup = td->tg_newtuple;
		oldtup = td->tg_trigtuple;
	}

	if (!guard_valid)
	{
		SPI_connect();
		guard_load();
		SPI_finish();
	}
	m = guard_find(td->tg_trigger->tgargs[0]);
	if (m == NULL || m->relid != RelationGetRelid(td->tg_relation))
		elog(ERROR, "credit.workflow_guard: no machine \"%s\" on table %s", td->tg_trigger->tgargs[0],
			 RelationGetRelationName(td->tg_relation));

	d = heap_getattr(newtup, m->state, desc, &isnull);
	new_state = isnull ? NULL : TextDatumGetCString(d);
	obj = DatumGetInt64(heap_getattr(newtup, m->key, desc, &isnull));
	req = n_requests > 0 ? &requests[n_requests - 1] : NULL;

	cols = palloc(sizeof(int) * (m->nowned + 4));
	values = palloc(sizeof(Datum) * (m->nowned + 4));
	nulls = palloc(sizeof(bool) * (m->nowned + 4));

	if (inserting)
	{
		if (new_state == NULL)
		{
			if (m->ninitial == 0)
				elog(ERROR, "machine \"%s\" has no initial state", m->machine);
			new_state = m->initial[0];
		}
		else
		{
			bool		ok = false;

			for (i = 0; i < m->ninitial; i++)
				ok |= (strcmp(m->initial[i], new_state) == 0);
			if (!ok)
			{
				StringInfoData starts;

				initStringInfo(&starts);
				for (i = 0; i < m->ninitial; i++)
					appendStringInfo(&starts, "%s%s", i ? " or " : "", m->initial[i]);
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s " INT64_FORMAT " cannot start in state %s", m->name, obj, new_state),
						 errhint("A new %s starts in %s.", m->name, starts.data)));
			}
		}
		cols[ncols] = m->state;
		values[ncols] = CStringGetTextDatum(new_state);
		nulls[ncols++] = false;
		cols[ncols] = m->reason;
		values[ncols] = (Datum) 0;
		nulls[ncols++] = true;
		/* deadline columns start empty; those of the initial state are set below */
		for (i = 0; i < m->ndeadlines; i++)
		{
			int			k;
			bool		seen = false;

			for (k = 0; k < ncols; k++)
				seen |= (cols[k] == m->deadlines[i].column);
			if (!seen)
			{
				cols[ncols] = m->deadlines[i].column;
				values[ncols] = (Datum) 0;
				nulls[ncols++] = true;
			}
		}
	}
	else
	{
		d = heap_getattr(oldtup, m->state, desc, &isnull);
		old_state = isnull ? NULL : TextDatumGetCString(d);
		if (req == NULL || strcmp(req->machine, m->machine) != 0)
		{
			/* not a transition of this machine: its columns stay as they are */
			for (i = 0; i < m->nowned; i++)
				if (!guard_same(oldtup, newtup, desc, m->owned[i]))
					ereport(ERROR,
							(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
							 errmsg("column \"%s\" of %s " INT64_FORMAT " belongs to the %s machine",
									NameStr(TupleDescAttr(desc, m->owned[i] - 1)->attname), m->name, obj, m->machine),
							 errdetail("%s " INT64_FORMAT " is %s; nothing was changed.", m->name, obj,
									   old_state ? old_state : "?"),
							 errhint("Move it with credit.transition(%s, " INT64_FORMAT ", <state>, <reason>); from %s: %s.",
									 quote_literal_cstr(m->machine), obj, old_state ? old_state : "?",
									 guard_allowed(m->machine, old_state ? old_state : ""))));
			return PointerGetDatum(newtup);
		}
		if (new_state == NULL || strcmp(new_state, req->to_state) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
					 errmsg("column \"%s\" of %s " INT64_FORMAT " is set only by the transition",
							NameStr(TupleDescAttr(desc, m->state - 1)->attname), m->name, obj)));
		for (i = 0; i < m->ntransitions; i++)
			if (old_state && strcmp(m->transitions[i].from_state, old_state) == 0
				&& strcmp(m->transitions[i].to_state, new_state) == 0)
				t = &m->transitions[i];
		has_kind = credit_party_kind(&kind);
		{
			bool		allowed = false;

			if (t != NULL && engine)
				allowed = t->by_engine;
			else if (t != NULL && has_kind)
				for (i = 0; i < t->nkinds; i++)
					allowed |= (t->kinds[i] == kind);
			if (!allowed)
			{
				if (t == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
							 errmsg("%s " INT64_FORMAT ": cannot move from %s to %s", m->name, obj,
									old_state ? old_state : "?", new_state),
							 errdetail("Allowed from %s: %s.", old_state ? old_state : "?",
									   guard_allowed(m->machine, old_state ? old_state : "")),
							 errhint("Nothing was changed.")));
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("%s " INT64_FORMAT ": cannot move from %s to %s", m->name, obj, old_state, new_state),
						 errdetail("%s to %s is for %s, not for %s.", old_state, new_state,
								   t->nkinds > 0 ? t->kinds_text : "the engine",
								   engine ? "the engine"
								   : has_kind ? guard_label(kind)
								   : psprintf("%s (not a registered party)", GetUserNameFromId(GetUserId(), false))),
						 errhint("Nothing was changed.")));
			}
		}
		if (t->reason_required && guard_blank(req->reason))
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("%s " INT64_FORMAT ": %s (%s to %s) needs a reason", m->name, obj, t->action,
							old_state, new_state),
					 errhint("Give the reason as the fourth argument of credit.transition().")));
		/* besides the state, the UPDATE of credit.transition() changes nothing */
		for (i = 0; i < m->nowned; i++)
			if (m->owned[i] != m->state && !guard_same(oldtup, newtup, desc, m->owned[i]))
				ereport(ERROR,
						(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
						 errmsg("column \"%s\" of %s " INT64_FORMAT " belongs to the %s machine",
								NameStr(TupleDescAttr(desc, m->owned[i] - 1)->attname), m->name, obj, m->machine)));
		cols[ncols] = m->reason;
		values[ncols] = req->reason ? CStringGetTextDatum(req->reason) : (Datum) 0;
		nulls[ncols++] = (req->reason == NULL);
	}
	cols[ncols] = m->since;
	values[ncols] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	nulls[ncols++] = false;

	/* deadlines of the state entered, and the event */
	{
		bool		connected = false;

		for (i = 0; i < m->ndeadlines; i++)
		{
			GuardDeadline *dl = &m->deadlines[i];
			DateADT		base;
			int			k,
						slot = -1;

			if (strcmp(dl->state, new_state) != 0)
				continue;
			if (dl->counted_from == NULL || strcmp(dl->counted_from, new_state) == 0 || inserting)
				base = GetSQLCurrentDate();
			else
			{
				if (!connected)
					SPI_connect();
				connected = true;
				base = guard_entered(m->machine, obj, dl->counted_from);
			}
			if (add_working_days_oid == InvalidOid)
			{
				List	   *name = list_make2(makeString("credit"), makeString("add_working_days"));
				Oid			argtypes[2] = {DATEOID, INT4OID};

				add_working_days_oid = LookupFuncName(name, 2, argtypes, false);
			}
			for (k = 0; k < ncols; k++)
				if (cols[k] == dl->column)
					slot = k;
			if (slot < 0)
				slot = ncols++;
			cols[slot] = dl->column;
			values[slot] = OidFunctionCall2(add_working_days_oid, DateADTGetDatum(base),
											Int32GetDatum(dl->working_days));
			nulls[slot] = false;
		}
		if (!inserting)
		{
			Datum		ev[7];
			char		evnulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};
			int			ret;

			if (!connected)
				SPI_connect();
			connected = true;
			if (event_insert == NULL)
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
			ev[0] = CStringGetTextDatum(m->machine);
			ev[1] = Int64GetDatum(obj);
			ev[2] = CStringGetTextDatum(old_state);
			ev[3] = CStringGetTextDatum(new_state);
			if (!engine && has_kind)
				ev[4] = CStringGetTextDatum(guard_label(kind));
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
			ret = SPI_execute_plan(event_insert, ev, evnulls, false, 0);
			if (ret != SPI_OK_INSERT)
				elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
		}
		if (connected)
			SPI_finish();
	}
	return PointerGetDatum(heap_modify_tuple_by_cols(newtup, desc, ncols, cols, values, nulls));
}

/* Statement trigger on the machine tables: every session drops its cache. */
PG_FUNCTION_INFO_V1(workflow_machines_changed);
Datum
workflow_machines_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "workflow_machines_changed: not called as a trigger");
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	guard_valid = false;
	return PointerGetDatum(NULL);
}

/* The UPDATE credit.transition() runs for a machine (inside SPI). */
static const char *
machine_update_sql(const char *machine)
{
	GuardMachine *m;

	if (!guard_valid)
		guard_load();
	m = guard_find(machine);
	if (m == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("unknown workflow machine \"%s\"", machine),
				 errhint("The machines are the rows of credit.machine.")));
	return m->update_sql;
}
