/*
 * list_entry_rules.c: credit.list_entry_rules(), the same-row effects of
 * the list entry machine's transitions (after the guard):
 *   - 已移出: the date of removal (the legal date) and the transition's
 *     reason as the removal reason;
 *   - 列入中 again (延期): the new end of term from the transition's details,
 *     inside the list kind's extension bounds, and the deletion due date
 *     counted from it: credit.list_entry_new_term(), PL/pgSQL, asked
 *     through SPI (an extension is rare; its errors are the function's).
 * Anything else, and any UPDATE that is not a transition of list entries,
 * passes unchanged.  In C and without a WHEN clause on its trigger: the
 * trigger fires for every UPDATE of credit.list_entry, and a WHEN clause is
 * parsed and planned again by every statement.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/rel.h"

#include "legal_date.h"
#include "spi_query.h"
#include "transition.h"

/* the attribute number of column name in desc; an error when it is missing */
static int
column(TupleDesc desc, const char *name)
{
	int			att = SPI_fnumber(desc, name);

	if (att <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("credit.list_entry_rules(): table has no column \"%s\"", name),
				 errhint("Reinstall the extension if its objects were changed.")));
	return att;
}

/* The new end of term and deletion due date of an extension (延期). */
static void
new_term(HeapTuple oldtup, TupleDesc desc, const TransitionRequest *req, Datum *values, bool *nulls)
{
	static const Oid result_types[2] = {DATEOID, DATEOID};
	Oid			argtypes[4] = {INT8OID, TEXTOID, DATEOID, JSONBOID};
	Datum		args[4];
	char		argnulls[4];
	bool		isnull;
	int			ret;

	args[0] = heap_getattr(oldtup, column(desc, "entry_id"), desc, &isnull);
	argnulls[0] = isnull ? 'n' : ' ';
	args[1] = heap_getattr(oldtup, column(desc, "list_kind"), desc, &isnull);
	argnulls[1] = isnull ? 'n' : ' ';
	args[2] = heap_getattr(oldtup, column(desc, "expires_on"), desc, &isnull);
	argnulls[2] = isnull ? 'n' : ' ';
	args[3] = req->details;
	argnulls[3] = req->details == (Datum) 0 ? 'n' : ' ';

	SPI_connect();
	ret = SPI_execute_with_args("SELECT t.expires_on, t.deletion_due"
								" FROM credit.list_entry_new_term($1, $2, $3, $4) AS t",
								4, argtypes, args, argnulls, false, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "credit.list_entry_new_term() returned no row: %s", SPI_result_code_string(ret));
	credit_spi_expect("credit.list_entry_new_term()", 2, result_types);
	values[0] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &nulls[0]);
	values[1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &nulls[1]);
	SPI_finish();				/* dates are passed by value */
}

PG_FUNCTION_INFO_V1(credit_list_entry_rules);
Datum
credit_list_entry_rules(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const TransitionRequest *req;
	TupleDesc	desc;
	HeapTuple	newtup;
	char	   *state;
	bool		isnull;
	Datum		state_d;
	int			cols[2];
	Datum		values[2];
	bool		nulls[2];

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit.list_entry_rules() must fire BEFORE UPDATE FOR EACH ROW")));
	newtup = td->tg_newtuple;
	req = credit_transition_current();
	if (req == NULL || strcmp(req->machine, "list_entry") != 0)
		return PointerGetDatum(newtup);

	desc = RelationGetDescr(td->tg_relation);
	state_d = heap_getattr(newtup, column(desc, "state"), desc, &isnull);
	if (isnull)
		return PointerGetDatum(newtup);
	state = TextDatumGetCString(state_d);
	if (strcmp(state, "已移出") == 0)
	{
		cols[0] = column(desc, "removed_on");
		values[0] = DateADTGetDatum(credit_legal_today());
		nulls[0] = false;
		cols[1] = column(desc, "removal_reason");
		nulls[1] = req->reason == NULL;
		values[1] = nulls[1] ? (Datum) 0 : CStringGetTextDatum(req->reason);
	}
	else if (strcmp(state, "列入中") == 0)
	{
		cols[0] = column(desc, "expires_on");
		cols[1] = column(desc, "deletion_due");
		new_term(td->tg_trigtuple, desc, req, values, nulls);
	}
	else
		return PointerGetDatum(newtup);
	return PointerGetDatum(heap_modify_tuple_by_cols(newtup, desc, 2, cols, values, nulls));
}
