/*
 * list_entry_rules.c: credit.list_entry_rules(), the same-row effects of
 * the list entry machine's transitions (after the guard):
 *   - 已移出, and 不予列入 (final like it: the decision not to list a
 *     proposal): the date of removal or refusal (the legal date) and the
 *     transition's reason as the removal reason;
 *   - 列入中: credit.list_entry_listing_rules(), a PL/pgSQL trigger function
 *     that no trigger names, called here with this trigger's own data, as
 *     the trigger manager would call it (ExecCallTriggerFunc);
 * anything else, and any UPDATE that is not a transition of list entries,
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
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "legal_date.h"
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

/*
 * Calls the trigger function credit.<name>() (found in schema credit by
 * name, never through the search path) with the trigger data of this call.
 */
static Datum
call_trigger_function(const char *name, FunctionCallInfo outer)
{
	Oid			fn = LookupFuncName(list_make2(makeString("credit"), makeString(pstrdup(name))),
									0, NULL, false);
	FmgrInfo	flinfo;
	LOCAL_FCINFO(fcinfo, 0);
	Datum		result;

	if (get_func_rettype(fn) != TRIGGEROID)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("function credit.%s() is not a trigger function", name),
				 errhint("Reinstall the extension if its objects were changed.")));
	fmgr_info(fn, &flinfo);
	InitFunctionCallInfoData(*fcinfo, &flinfo, 0, InvalidOid, outer->context, NULL);
	result = FunctionCallInvoke(fcinfo);
	if (fcinfo->isnull)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger function credit.%s() returned null", name)));
	return result;
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
	if (strcmp(state, "列入中") == 0)
		return call_trigger_function("list_entry_listing_rules", fcinfo);
	if (strcmp(state, "已移出") != 0 && strcmp(state, "不予列入") != 0)
		return PointerGetDatum(newtup);

	cols[0] = column(desc, "removed_on");
	values[0] = DateADTGetDatum(credit_legal_today());
	nulls[0] = false;
	cols[1] = column(desc, "removal_reason");
	nulls[1] = req->reason == NULL;
	values[1] = nulls[1] ? (Datum) 0 : CStringGetTextDatum(req->reason);
	return PointerGetDatum(heap_modify_tuple_by_cols(newtup, desc, 2, cols, values, nulls));
}
