/*
 * machines.c: the workflow machines' definitions, cached per session.
 *
 * The four machine tables (credit.machine, machine_state,
 * machine_transition, machine_deadline) are read into machines_cxt on first
 * use; their statement trigger credit.workflow_machines_changed() drops the
 * cache in every session (a table cache, table_cache.h).  The columns they
 * name are resolved to attribute numbers here, once, and every row the
 * guard acts on is validated again as it is loaded (a bad row already there
 * is an error naming it, never a crash): the columns exist, are user
 * columns of the types the guard reads and writes, and a deadline column
 * is a date column the machine owns, not its key, state, reason or since
 * column.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "content.h"
#include "spi_query.h"
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

static char *rel_display(Oid relid);

/* A row of a machine table the cache cannot act on: an error naming it. */
static void
bad_row(const char *table, const char *row, const char *problem)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
			 errmsg("invalid row of credit.%s (%s): %s", table, row, problem),
			 errdetail("The workflow machines are not loaded while a row of their tables is invalid."),
			 errhint("Correct or delete the row; credit.%s is validated when written, so the row or its table changed since.", table)));
}

/*
 * A column of the machine's table that a row of credit.machine or
 * machine_deadline names: a user column (not a system or a dropped one,
 * not generated) of the type the guard writes (InvalidOid: any type).
 */
static AttrNumber
machine_column(const Machine *m, const char *table, const char *row, const char *column, Oid type)
{
	AttrNumber	a;
	HeapTuple	tup;
	Form_pg_attribute att;
	bool		generated;
	Oid			atttype;

	if (column == NULL)
		bad_row(table, row, "a column name is null");
	a = get_attnum(m->relid, column);
	if (a == InvalidAttrNumber || a < 0)
		bad_row(table, row, psprintf("table %s has no column \"%s\"", rel_display(m->relid), column));
	tup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(m->relid), Int16GetDatum(a));
	if (!HeapTupleIsValid(tup))
		bad_row(table, row, psprintf("table %s has no column \"%s\"", rel_display(m->relid), column));
	att = (Form_pg_attribute) GETSTRUCT(tup);
	generated = att->attgenerated != '\0';
	atttype = att->atttypid;
	ReleaseSysCache(tup);
	if (generated)
		bad_row(table, row, psprintf("column \"%s\" of %s is generated", column, rel_display(m->relid)));
	if (OidIsValid(type) && atttype != type)
		bad_row(table, row, psprintf("column \"%s\" of %s is of type %s, not %s", column,
									 rel_display(m->relid), format_type_be(atttype), format_type_be(type)));
	return a;
}

/* The table of a relation OID, schema-qualified, for messages. */
static char *
rel_display(Oid relid)
{
	char	   *name = get_rel_name(relid);
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));

	if (name == NULL || nsp == NULL)
		return psprintf("(OID %u)", relid);
	return quote_qualified_identifier(nsp, name);
}

static bool
machine_owns(const Machine *m, AttrNumber a)
{
	int			i;

	for (i = 0; i < m->nowned; i++)
		if (m->owned[i] == a)
			return true;
	return false;
}

static bool
spi_bool(HeapTuple tup, TupleDesc desc, int col, const char *table, const char *row)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	if (isnull)
		bad_row(table, row, psprintf("column %s is null", SPI_fname(desc, col)));
	return DatumGetBool(d);
}

/* A text column that must not be null. */
static char *
spi_text(HeapTuple tup, TupleDesc desc, int col, const char *table, const char *row)
{
	char	   *v = credit_attr_text(tup, desc, col);

	if (v == NULL)
		bad_row(table, row, psprintf("column %s is null", SPI_fname(desc, col)));
	return v;
}

/*
 * Runs a query of the machine tables (inside SPI) in the snapshot of this
 * load, checks the types of its columns; its rows are in SPI_tuptable, and
 * what the caller allocates next goes to machines_cxt, until its
 * SPI_finish() switches back to the caller's context.
 */
static void
machines_query(const char *what, const char *sql, Snapshot snapshot, int natts, const Oid *types)
{
	SPI_connect();
	credit_spi_select(what, sql, 0, NULL, NULL, snapshot, 0, natts, types);
	MemoryContextSwitchTo(machines_cxt);
}

/* The machine row i of the last query names in its first column, or NULL. */
static Machine *
row_machine(uint64 i)
{
	char	   *name = credit_attr_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

	return name ? machine_lookup(name) : NULL;
}

static void
load_machines(Snapshot snapshot)
{
	Oid			types[8] = {TEXTOID, TEXTOID, OIDOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID};
	uint64		i;
	int			j;
	int			k;

	machines_query("the machines",
				   "SELECT m.machine, m.name, m.table_name::pg_catalog.oid, m.key_column::pg_catalog.text,"
				   " m.state_column::pg_catalog.text, m.reason_column::pg_catalog.text,"
				   " m.since_column::pg_catalog.text, m.owned_columns::pg_catalog.text[]"
				   " FROM credit.machine m ORDER BY m.machine",
				   snapshot, 8, types);
	n_machines = (int) SPI_processed;
	machines = palloc0(sizeof(Machine) * Max(n_machines, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Machine    *m = &machines[i];
		bool		isnull;
		Datum		owned;
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;
		char		relkind;
		const char *row;

		m->machine = spi_text(tup, desc, 1, "machine", "?");
		row = m->machine;
		m->name = spi_text(tup, desc, 2, "machine", row);
		m->relid = DatumGetObjectId(SPI_getbinval(tup, desc, 3, &isnull));
		relkind = isnull ? '\0' : get_rel_relkind(m->relid);
		if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
			bad_row("machine", row, psprintf("table_name (OID %u) is not a table", m->relid));
		m->key = machine_column(m, "machine", row, credit_attr_text(tup, desc, 4), INT8OID);
		m->state = machine_column(m, "machine", row, credit_attr_text(tup, desc, 5), InvalidOid);
		m->state_type = get_atttype(m->relid, m->state);
		if (m->state_type != TEXTOID && !type_is_enum(m->state_type))
			bad_row("machine", row, psprintf("state column \"%s\" is of type %s, not text or an enum",
											 get_attname(m->relid, m->state, false), format_type_be(m->state_type)));
		m->reason = machine_column(m, "machine", row, credit_attr_text(tup, desc, 6), TEXTOID);
		m->since = machine_column(m, "machine", row, credit_attr_text(tup, desc, 7), TIMESTAMPTZOID);
		owned = SPI_getbinval(tup, desc, 8, &isnull);
		if (isnull)
			bad_row("machine", row, "owned_columns is null");
		deconstruct_array(DatumGetArrayTypeP(owned), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
		m->owned = palloc(sizeof(AttrNumber) * Max(nelems, 1));
		m->nowned = nelems;
		for (j = 0; j < nelems; j++)
		{
			if (nulls[j])
				bad_row("machine", row, "owned_columns holds a null");
			m->owned[j] = machine_column(m, "machine", row, TextDatumGetCString(elems[j]), InvalidOid);
			if (m->owned[j] == m->key)
				bad_row("machine", row, "owned_columns holds the key column");
		}
		if (!machine_owns(m, m->state) || !machine_owns(m, m->reason) || !machine_owns(m, m->since))
			bad_row("machine", row, "owned_columns must hold the state, reason and since columns");
		/* two machines may share a table (record and record_publicity), never a column */
		for (k = 0; k < (int) i; k++)
			if (machines[k].relid == m->relid)
				for (j = 0; j < m->nowned; j++)
					if (machine_owns(&machines[k], m->owned[j]))
						bad_row("machine", row, psprintf("column \"%s\" of %s is owned by machine %s too",
														 get_attname(m->relid, m->owned[j], false),
														 rel_display(m->relid), machines[k].machine));
		/*
		 * The names from the catalogue, quoted and schema-qualified; the
		 * state column may be text or an enum (credit.record.state).
		 */
		m->update_sql = psprintf("UPDATE %s SET %s = $1::%s WHERE %s OPERATOR(pg_catalog.=) ANY ($2) RETURNING %s",
								 quote_qualified_identifier(get_namespace_name(get_rel_namespace(m->relid)),
															get_rel_name(m->relid)),
								 quote_identifier(get_attname(m->relid, m->state, false)),
								 format_type_be_qualified(m->state_type),
								 quote_identifier(get_attname(m->relid, m->key, false)),
								 quote_identifier(get_attname(m->relid, m->key, false)));
	}
	SPI_finish();				/* back to the caller's memory context */
}

static void
load_initial_states(Snapshot snapshot)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	uint64		i;

	machines_query("the initial states",
				   "SELECT s.machine, s.state FROM credit.machine_state s WHERE s.initial ORDER BY s.machine, s.state",
				   snapshot, 2, types);
	for (i = 0; i < SPI_processed; i++)
	{
		Machine    *m = row_machine(i);

		if (m != NULL)
			m->initial = lappend(m->initial, spi_text(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2,
													  "machine_state", m->machine));
	}
	SPI_finish();				/* back to the caller's memory context */
}

static void
load_transitions(Snapshot snapshot)
{
	Oid			kind_type = credit_type_oid("party_kind");
	Oid			types[8] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, get_array_type(kind_type), TEXTOID, BOOLOID, BOOLOID};
	uint64		i;

	machines_query("the transitions",
				   "SELECT t.machine, t.from_state, t.to_state, t.action, t.party_kinds,"
				   " pg_catalog.array_to_string(t.party_kinds, '/'::pg_catalog.text), t.by_engine, t.reason_required"
				   " FROM credit.machine_transition t",
				   snapshot, 8, types);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Machine    *m = row_machine(i);
		MachineTransition *t;
		bool		isnull;
		Datum		kinds_datum;
		ArrayType  *kinds;
		bool	   *nulls;
		int			j;
		int16		typlen;
		bool		typbyval;
		char		typalign;
		const char *row;

		if (m == NULL)
			continue;
		t = palloc(sizeof(MachineTransition));
		t->from_state = spi_text(tup, desc, 2, "machine_transition", m->machine);
		t->to_state = spi_text(tup, desc, 3, "machine_transition", m->machine);
		row = psprintf("%s, %s to %s", m->machine, t->from_state, t->to_state);
		t->action = spi_text(tup, desc, 4, "machine_transition", row);
		kinds_datum = SPI_getbinval(tup, desc, 5, &isnull);
		if (isnull)
			bad_row("machine_transition", row, "party_kinds is null");
		kinds = DatumGetArrayTypePCopy(kinds_datum);
		if (ARR_NDIM(kinds) > 1 || ARR_ELEMTYPE(kinds) != kind_type)
			bad_row("machine_transition", row, "party_kinds is not a one-dimensional array of credit.party_kind");
		get_typlenbyvalalign(kind_type, &typlen, &typbyval, &typalign);
		deconstruct_array(kinds, kind_type, typlen, typbyval, typalign, &t->kinds, &nulls, &t->nkinds);
		for (j = 0; j < t->nkinds; j++)
			if (nulls[j])
				bad_row("machine_transition", row, "party_kinds holds a null");
		t->kinds_text = credit_attr_text(tup, desc, 6);
		if (t->kinds_text == NULL)
			t->kinds_text = "";
		t->by_engine = spi_bool(tup, desc, 7, "machine_transition", row);
		t->reason_required = spi_bool(tup, desc, 8, "machine_transition", row);
		m->transitions = lappend(m->transitions, t);
	}
	SPI_finish();				/* back to the caller's memory context */
}

static void
load_deadlines(Snapshot snapshot)
{
	Oid			types[7] = {TEXTOID, TEXTOID, TEXTOID, INT4OID, TEXTOID, TEXTOID, TEXTOID};
	uint64		i;

	machines_query("the deadlines",
				   "SELECT d.machine, d.state, d.deadline_column::pg_catalog.text, d.working_days, d.counted_from,"
				   " d.counted_from_column::pg_catalog.text, d.from_state"
				   " FROM credit.machine_deadline d ORDER BY d.machine, d.state, d.deadline_column",
				   snapshot, 7, types);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Machine    *m = row_machine(i);
		MachineDeadline *d;
		bool		isnull;
		char	   *column;
		const char *row;
		Datum		days;

		if (m == NULL)
			continue;
		d = palloc(sizeof(MachineDeadline));
		d->state = spi_text(tup, desc, 2, "machine_deadline", m->machine);
		column = spi_text(tup, desc, 3, "machine_deadline", m->machine);
		row = psprintf("%s, %s, %s", m->machine, d->state, column);
		/* a date column the machine owns, none of its other columns */
		d->column = machine_column(m, "machine_deadline", row, column, DATEOID);
		if (d->column == m->key || d->column == m->state || d->column == m->reason || d->column == m->since)
			bad_row("machine_deadline", row, "the deadline column is the key, state, reason or since column");
		if (!machine_owns(m, d->column))
			bad_row("machine_deadline", row, "the deadline column is not one of the machine's owned_columns");
		days = SPI_getbinval(tup, desc, 4, &isnull);
		if (isnull || DatumGetInt32(days) <= 0)
			bad_row("machine_deadline", row, "working_days is not a positive number");
		d->working_days = DatumGetInt32(days);
		d->counted_from = credit_attr_text(tup, desc, 5);
		column = credit_attr_text(tup, desc, 6);
		/* a date column of the table (any: e.g. the end of term) */
		d->from_column = column == NULL ? InvalidAttrNumber
			: machine_column(m, "machine_deadline", row, column, DATEOID);
		if (d->counted_from != NULL && d->from_column != InvalidAttrNumber)
			bad_row("machine_deadline", row, "counted_from and counted_from_column are both set");
		d->from_state = credit_attr_text(tup, desc, 7);
		m->deadlines = lappend(m->deadlines, d);
	}
	SPI_finish();				/* back to the caller's memory context */
}

static bool
desc_column_is(TupleDesc desc, AttrNumber a, Oid type)
{
	Form_pg_attribute att;

	if (a < 1 || a > desc->natts)
		return false;
	att = TupleDescAttr(desc, a - 1);
	return !att->attisdropped && (!OidIsValid(type) || att->atttypid == type);
}

static void
desc_changed(const Machine *m)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
			 errmsg("the table of machine \"%s\" no longer has the columns its definition names", m->machine),
			 errdetail("A column credit.machine or credit.machine_deadline names was dropped or changed its type."),
			 errhint("Correct the rows of machine \"%s\".", m->machine)));
}

/*
 * Reads every machine's definition into machines_cxt, in one fresh
 * snapshot (the latest committed state: spi_query.c), validating every row
 * the guard acts on.  On error the cache stays invalid (and empty).
 */
static void
machines_load(void)
{
	MemoryContext caller = CurrentMemoryContext;
	Snapshot	snapshot;

	if (machines_cxt == NULL)
		machines_cxt = AllocSetContextCreate(TopMemoryContext, "credit workflow machines", ALLOCSET_SMALL_SIZES);
	MemoryContextReset(machines_cxt);
	machines = NULL;
	n_machines = 0;
	add_working_days_oid = InvalidOid;	/* the extension may have been recreated */

	snapshot = RegisterSnapshot(GetLatestSnapshot());
	PG_TRY();
	{
		load_machines(snapshot);
		load_initial_states(snapshot);
		load_transitions(snapshot);
		load_deadlines(snapshot);
	}
	PG_CATCH();
	{
		MemoryContextReset(machines_cxt);
		machines = NULL;
		n_machines = 0;
		PG_RE_THROW();
	}
	PG_END_TRY();
	UnregisterSnapshot(snapshot);
	MemoryContextSwitchTo(caller);
	credit_table_cache_set_valid(&machine_tables);
}

void
credit_machine_check_desc(const Machine *m, TupleDesc desc)
{
	ListCell   *lc;
	int			i;

	if (!desc_column_is(desc, m->key, INT8OID) || !desc_column_is(desc, m->state, m->state_type) ||
		!desc_column_is(desc, m->reason, TEXTOID) || !desc_column_is(desc, m->since, TIMESTAMPTZOID))
		desc_changed(m);
	for (i = 0; i < m->nowned; i++)
		if (!desc_column_is(desc, m->owned[i], InvalidOid))
			desc_changed(m);
	foreach(lc, m->deadlines)
	{
		MachineDeadline *dl = lfirst(lc);

		if (!desc_column_is(desc, dl->column, DATEOID) ||
			(dl->from_column != InvalidAttrNumber && !desc_column_is(desc, dl->from_column, DATEOID)))
			desc_changed(m);
	}
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
