/*
 * transition.c: credit.transition() and the request it makes.
 *
 * A workflow machine's state column changes only through
 * credit.transition(machine, object_ids, to_state, reason, details).  This
 * function notes the request in backend memory, runs
 *     UPDATE <table> SET <state column> = to_state WHERE <key> = ANY (object_ids)
 * as the calling role (row security and privileges apply), and forgets the
 * request.  The generic guard trigger (credit.workflow_guard, guard.c) reads
 * the innermost request: a row whose state changes without a matching
 * request is refused, so a plain UPDATE of the state column never moves a
 * machine.  The guard does every other check (allowed transition, party
 * kind, reason) and writes the event.
 *
 * Requests nest (a side effect moves another machine inside an AFTER
 * trigger), so they form a stack; entries pushed in a subtransaction that
 * aborts, or in a transaction that ends, are dropped.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "machines.h"
#include "transition.h"

#define MAX_REQUEST_DEPTH 32

/* requests[0 .. n_requests - 1], innermost last; memory of the transaction */
static TransitionRequest requests[MAX_REQUEST_DEPTH];
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

static int
compare_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

static void
transition_xact_callback(XactEvent event, void *arg)
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
transition_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						  SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	while (n_requests > 0 && requests[n_requests - 1].subid >= mySubid)
		n_requests--;
}

void
credit_transition_init(void)
{
	if (!callbacks_registered)
	{
		RegisterXactCallback(transition_xact_callback, NULL);
		RegisterSubXactCallback(transition_subxact_callback, NULL);
		callbacks_registered = true;
	}
}

/*
 * The distinct ids of the array, sorted, into *out (palloc'd); how many.
 * A null element is an error naming its position.
 */
static int
distinct_ids(ArrayType *ids, const char *machine, const char *to_state, int64 **out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				k = 0,
				distinct = 0;
	int64	   *v;

	deconstruct_array(ids, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	v = palloc(sizeof(int64) * (n + 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the objects of machine \"%s\" to move to \"%s\" include a null id", machine, to_state),
					 errdetail("Element %d of the %d ids is null; nothing moved.", i + 1, n),
					 errhint("Remove the null from the array of ids.")));
		v[k++] = DatumGetInt64(elems[i]);
	}
	qsort(v, k, sizeof(int64), compare_int64);
	for (i = 0; i < k; i++)
		if (i == 0 || v[i] != v[distinct - 1])
			v[distinct++] = v[i];
	*out = v;
	return distinct;
}

/* "1, 5, 9" (at most the first 20, then "…"), for messages */
static char *
id_list(const int64 *v, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n && i < 20; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i ? ", " : "", v[i]);
	if (n > 20)
		appendStringInfo(&buf, ", … (%d in all)", n);
	return buf.data;
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

/* Runs the UPDATE of the innermost request, and pops the request. */
static int
run_request(SPIPlanPtr plan, Datum *values)
{
	int			ret;

	PG_TRY();
	{
		ret = SPI_execute_plan(plan, values, NULL, false, 0);
	}
	PG_FINALLY();
	{
		n_requests--;
	}
	PG_END_TRY();
	return ret;
}

/*
 * The core of credit.transition() and credit.transition_ids(): moves the
 * objects to to_state; returns the sorted ids moved (*nmoved of them).
 * The objects are ids when it is not NULL (the one-id form), else the
 * function's second argument, bigint[].
 * Objects that do not exist or that the caller cannot see are an error,
 * naming them, and nothing moves.
 */
static int64 *
transition_core(FunctionCallInfo fcinfo, ArrayType *ids, int *nmoved)
{
	text	   *machine_t;
	text	   *to_t;
	char	   *machine;
	char	   *to_state;
	char	   *sql;
	Datum		values[2];
	int			ret;
	int			nids;
	int64	   *wanted;
	int64	   *moved_ids;
	uint64		moved,
				i;
	MemoryContext caller_cxt = CurrentMemoryContext;
	MemoryContext xact_cxt = TopTransactionContext;
	TransitionRequest *req;

	if (PG_ARGISNULL(0) || (ids == NULL && PG_ARGISNULL(1)) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("machine, object_ids and to_state must not be null")));
	machine_t = PG_GETARG_TEXT_PP(0);
	if (ids == NULL)
		ids = PG_GETARG_ARRAYTYPE_P(1);
	to_t = PG_GETARG_TEXT_PP(2);
	machine = text_to_cstring(machine_t);
	to_state = text_to_cstring(to_t);
	if (ARR_NDIM(ids) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the objects to move are a one-dimensional array of ids")));
	nids = distinct_ids(ids, machine, to_state, &wanted);
	*nmoved = 0;
	if (nids == 0)
		return wanted;
	if (n_requests >= MAX_REQUEST_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("workflow transitions nested more than %d deep", MAX_REQUEST_DEPTH),
				 errhint("A side effect of a transition is moving machines in a cycle.")));

	credit_transition_init();
	SPI_connect();
	sql = pstrdup(credit_machine_update_sql(machine));

	req = &requests[n_requests];
	req->machine = MemoryContextStrdup(xact_cxt, machine);
	req->to_state = MemoryContextStrdup(xact_cxt, to_state);
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
	{
		ArrayType  *copy = MemoryContextAlloc(xact_cxt, VARSIZE(ids));

		memcpy(copy, ids, VARSIZE(ids));
		req->ids = PointerGetDatum(copy);
	}
	req->subid = GetCurrentSubTransactionId();
	n_requests++;

	values[0] = PointerGetDatum(to_t);
	values[1] = PointerGetDatum(ids);
	ret = run_request(update_plan(sql), values);
	if (ret != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(ret));
	moved = SPI_processed;
	moved_ids = MemoryContextAlloc(caller_cxt, sizeof(int64) * (moved + 1));
	for (i = 0; i < moved; i++)
	{
		bool		isnull;

		moved_ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();
	qsort(moved_ids, moved, sizeof(int64), compare_int64);

	if (moved < (uint64) nids)
	{
		/* the ids asked for and not moved, both lists sorted */
		int64	   *missing = palloc(sizeof(int64) * nids);
		int			nmissing = 0,
					k;
		uint64		j = 0;

		for (k = 0; k < nids; k++)
		{
			while (j < moved && moved_ids[j] < wanted[k])
				j++;
			if (j >= moved || moved_ids[j] != wanted[k])
				missing[nmissing++] = wanted[k];
		}
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("%d of the %d objects of machine \"%s\" to move to \"%s\" do not exist or are not yours to move",
						nids - (int) moved, nids, machine, to_state),
				 errdetail("Not found: %s; nothing moved.", id_list(missing, nmissing)),
				 errhint("Check the ids; row security hides what your role may not see.")));
	}
	*nmoved = (int) moved;
	return moved_ids;
}

/*
 * credit.transition(machine text, object_ids bigint[], to_state text,
 *                   reason text, details jsonb) RETURNS bigint
 * Moves the objects to to_state; returns how many moved.
 */
PG_FUNCTION_INFO_V1(workflow_transition);
Datum
workflow_transition(PG_FUNCTION_ARGS)
{
	int			moved;

	(void) transition_core(fcinfo, NULL, &moved);
	PG_RETURN_INT64((int64) moved);
}

/*
 * credit.transition(machine text, object_id bigint, to_state text,
 *                   reason text, details jsonb) RETURNS bigint
 * One object: the same as the array form with ARRAY[object_id] (a null id
 * is the array form's error).  In C rather than an SQL function that the
 * planner inlines: a statement calling it is planned again at every
 * execution while its plan stays custom, and inlining the SQL body is most
 * of that planning.
 */
PG_FUNCTION_INFO_V1(workflow_transition_one);
Datum
workflow_transition_one(PG_FUNCTION_ARGS)
{
	int			moved;
	Datum		id = PG_ARGISNULL(1) ? (Datum) 0 : PG_GETARG_DATUM(1);
	bool		isnull = PG_ARGISNULL(1);
	int			dims[1] = {1};
	int			lbs[1] = {1};
	ArrayType  *ids = construct_md_array(&id, &isnull, 1, dims, lbs,
										 INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);

	(void) transition_core(fcinfo, ids, &moved);
	PG_RETURN_INT64((int64) moved);
}

/*
 * credit.transition_ids(machine text, object_ids bigint[], to_state text,
 *                       reason text, details jsonb) RETURNS bigint[]
 * The same; returns the ids moved, sorted.
 */
PG_FUNCTION_INFO_V1(workflow_transition_ids);
Datum
workflow_transition_ids(PG_FUNCTION_ARGS)
{
	int			moved,
				i;
	int64	   *ids = transition_core(fcinfo, NULL, &moved);
	Datum	   *elems = palloc(sizeof(Datum) * (moved + 1));

	for (i = 0; i < moved; i++)
		elems[i] = Int64GetDatum(ids[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, moved, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * credit.transition_request() RETURNS TABLE (machine text, to_state text,
 * reason text, details jsonb, engine boolean, object_ids bigint[]): the innermost request in
 * progress (all fields NULL but engine when there is none); engine is true
 * when the role running it is a superuser, which inside the extension's SECURITY DEFINER functions
 * (the sweep, the side effects) means the engine itself.  For the guard.
 */
PG_FUNCTION_INFO_V1(workflow_transition_request);
Datum
workflow_transition_request(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	TransitionRequest *req;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "transition_request: return type must be a row type");
	values[4] = BoolGetDatum(superuser());
	if (n_requests == 0)
	{
		/* a row of nulls: PL/pgSQL can read its fields */
		nulls[0] = nulls[1] = nulls[2] = nulls[3] = nulls[5] = true;
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
	values[5] = req->ids;
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

const TransitionRequest *
credit_transition_current(void)
{
	return n_requests > 0 ? &requests[n_requests - 1] : NULL;
}
