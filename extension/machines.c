/*
 * machines.c: the workflow machines' definitions, cached per session.
 *
 * The four machine tables (credit.machine, machine_state,
 * machine_transition, machine_deadline) are read into machines_cxt on first
 * use; their statement trigger credit.workflow_machines_changed() drops the
 * cache in every session (a table cache, table_cache.h).  The columns they
 * name are resolved to attribute numbers here, once.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "content.h"
#include "machines.h"
#include "table_cache.h"

static CreditTableCache machine_tables = {
	.ntables = 4,
	.tables = {"machine", "machine_state", "machine_transition", "machine_deadline"}
};

/* valid while machine_tables is valid */
static MemoryContext machines_cxt = NULL;
static Machine *machines = NULL;
static int	n_machines = 0;
static Oid	add_working_days_oid = InvalidOid;

static Machine *
machine_lookup(const char *machine)
{
	int			i;

	for (i = 0; i < n_machines; i++)
		if (strcmp(machines[i].machine, machine) == 0)
			return &machines[i];
	return NULL;
}

static AttrNumber
machine_attnum(Oid relid, const char *column, const char *machine)
{
	AttrNumber	a = get_attnum(relid, column);

	if (a == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("machine \"%s\": table %s has no column \"%s\"", machine, get_rel_name(relid), column)));
	return a;
}

static bool
spi_bool(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;

	return DatumGetBool(SPI_getbinval(tup, desc, col, &isnull));
}

/*
 * Runs a catalogue query (inside SPI); its rows are in SPI_tuptable, and
 * what the caller allocates next goes to machines_cxt.
 */
static void
machines_query(const char *sql)
{
	int			ret = SPI_execute(sql, true, 0);

	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(ret));
	MemoryContextSwitchTo(machines_cxt);
}

/* The machine row i of the last query names in its first column, or NULL. */
static Machine *
row_machine(uint64 i)
{
	return machine_lookup(credit_attr_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
}

static void
load_machines(void)
{
	uint64		i;
	int			j;

	machines_query("SELECT machine, name, table_name::pg_catalog.oid, key_column::pg_catalog.text,"
				   " state_column::pg_catalog.text, reason_column::pg_catalog.text,"
				   " since_column::pg_catalog.text, owned_columns::pg_catalog.text[]"
				   " FROM credit.machine ORDER BY machine");
	n_machines = (int) SPI_processed;
	machines = palloc0(sizeof(Machine) * Max(n_machines, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Machine    *m = &machines[i];
		bool		isnull;
		Datum	   *elems;
		int			nelems;

		m->machine = credit_attr_text(tup, desc, 1);
		m->name = credit_attr_text(tup, desc, 2);
		m->relid = DatumGetObjectId(SPI_getbinval(tup, desc, 3, &isnull));
		m->key = machine_attnum(m->relid, credit_attr_text(tup, desc, 4), m->machine);
		m->state = machine_attnum(m->relid, credit_attr_text(tup, desc, 5), m->machine);
		m->reason = machine_attnum(m->relid, credit_attr_text(tup, desc, 6), m->machine);
		m->since = machine_attnum(m->relid, credit_attr_text(tup, desc, 7), m->machine);
		deconstruct_array(DatumGetArrayTypeP(SPI_getbinval(tup, desc, 8, &isnull)),
						  TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &nelems);
		m->owned = palloc(sizeof(AttrNumber) * Max(nelems, 1));
		m->nowned = nelems;
		for (j = 0; j < nelems; j++)
			m->owned[j] = machine_attnum(m->relid, TextDatumGetCString(elems[j]), m->machine);
		m->state_type = get_atttype(m->relid, m->state);
		/* the state column may be text or an enum (credit.record.state) */
		m->update_sql = psprintf("UPDATE %s SET %s = $1::%s WHERE %s OPERATOR(pg_catalog.=) ANY ($2) RETURNING %s",
								 quote_qualified_identifier(get_namespace_name(get_rel_namespace(m->relid)),
															get_rel_name(m->relid)),
								 quote_identifier(get_attname(m->relid, m->state, false)),
								 format_type_be_qualified(m->state_type),
								 quote_identifier(get_attname(m->relid, m->key, false)),
								 quote_identifier(get_attname(m->relid, m->key, false)));
	}
}

static void
load_initial_states(void)
{
	uint64		i;

	machines_query("SELECT machine, state FROM credit.machine_state WHERE initial ORDER BY machine, state");
	for (i = 0; i < SPI_processed; i++)
	{
		Machine    *m = row_machine(i);

		if (m != NULL)
			m->initial = lappend(m->initial, credit_attr_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
	}
}

static void
load_transitions(void)
{
	uint64		i;

	machines_query("SELECT machine, from_state, to_state, action, party_kinds,"
				   " pg_catalog.array_to_string(party_kinds, '/'), by_engine, reason_required"
				   " FROM credit.machine_transition");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Machine    *m = row_machine(i);
		MachineTransition *t;
		bool		isnull;
		ArrayType  *kinds;
		int16		typlen;
		bool		typbyval;
		char		typalign;

		if (m == NULL)
			continue;
		t = palloc(sizeof(MachineTransition));
		t->from_state = credit_attr_text(tup, desc, 2);
		t->to_state = credit_attr_text(tup, desc, 3);
		t->action = credit_attr_text(tup, desc, 4);
		kinds = DatumGetArrayTypePCopy(SPI_getbinval(tup, desc, 5, &isnull));
		get_typlenbyvalalign(ARR_ELEMTYPE(kinds), &typlen, &typbyval, &typalign);
		deconstruct_array(kinds, ARR_ELEMTYPE(kinds), typlen, typbyval, typalign, &t->kinds, NULL, &t->nkinds);
		t->kinds_text = credit_attr_text(tup, desc, 6);
		t->by_engine = spi_bool(tup, desc, 7);
		t->reason_required = spi_bool(tup, desc, 8);
		m->transitions = lappend(m->transitions, t);
	}
}

static void
load_deadlines(void)
{
	uint64		i;

	machines_query("SELECT machine, state, deadline_column::pg_catalog.text, working_days, counted_from"
				   " FROM credit.machine_deadline ORDER BY machine, state, deadline_column");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Machine    *m = row_machine(i);
		MachineDeadline *d;
		bool		isnull;

		if (m == NULL)
			continue;
		d = palloc(sizeof(MachineDeadline));
		d->state = credit_attr_text(tup, desc, 2);
		d->column = machine_attnum(m->relid, credit_attr_text(tup, desc, 3), m->machine);
		d->working_days = DatumGetInt32(SPI_getbinval(tup, desc, 4, &isnull));
		d->counted_from = credit_attr_text(tup, desc, 5);
		m->deadlines = lappend(m->deadlines, d);
	}
}

/* Reads every machine's definition into machines_cxt. */
static void
machines_load(void)
{
	if (machines_cxt == NULL)
		machines_cxt = AllocSetContextCreate(TopMemoryContext, "credit workflow machines", ALLOCSET_SMALL_SIZES);
	MemoryContextReset(machines_cxt);
	machines = NULL;
	n_machines = 0;
	add_working_days_oid = InvalidOid;	/* the extension may have been recreated */

	SPI_connect();
	load_machines();
	load_initial_states();
	load_transitions();
	load_deadlines();
	SPI_finish();				/* back to the caller's memory context */
	credit_table_cache_set_valid(&machine_tables);
}

Machine *
credit_machine_find(const char *machine)
{
	if (!credit_table_cache_is_valid(&machine_tables))
		machines_load();
	return machine_lookup(machine);
}

const char *
credit_machine_update_sql(const char *machine)
{
	Machine    *m = credit_machine_find(machine);

	if (m == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("unknown workflow machine \"%s\"", machine),
				 errhint("The machines are the rows of credit.machine.")));
	return m->update_sql;
}

Oid
credit_machines_add_working_days(void)
{
	if (add_working_days_oid == InvalidOid)
	{
		List	   *name = list_make2(makeString("credit"), makeString("add_working_days"));
		Oid			argtypes[2] = {DATEOID, INT4OID};

		add_working_days_oid = LookupFuncName(name, 2, argtypes, false);
	}
	return add_working_days_oid;
}
