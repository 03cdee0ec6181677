/*
 * direct_insert.c: rows written without the executor (direct_insert.h).
 */
#include "postgres.h"

#include "access/tableam.h"
#include "access/xact.h"
#include "executor/executor.h"

#include "direct_insert.h"

void
credit_direct_begin(CreditDirectInsert *d, Relation rel)
{
	d->rel = rel;
	d->estate = CreateExecutorState();
	/* all that ExecOpenIndices and ExecInsertIndexTuples use (no triggers to copy) */
	d->rri = makeNode(ResultRelInfo);
	d->rri->ri_RelationDesc = rel;
	ExecOpenIndices(d->rri, false);
	d->slot = table_slot_create(rel, NULL);
	d->cid = GetCurrentCommandId(true);
}

void
credit_direct_insert(CreditDirectInsert *d, const Datum *values, const bool *nulls)
{
	int			natts = RelationGetDescr(d->rel)->natts;

	ExecClearTuple(d->slot);
	memcpy(d->slot->tts_values, values, sizeof(Datum) * natts);
	memcpy(d->slot->tts_isnull, nulls, sizeof(bool) * natts);
	ExecStoreVirtualTuple(d->slot);
	table_tuple_insert(d->rel, d->slot, d->cid, 0, NULL);
	(void) ExecInsertIndexTuples(d->rri, d->slot, d->estate, false, false, NULL, NIL);
	ResetPerTupleExprContext(d->estate);
}

void
credit_direct_end(CreditDirectInsert *d)
{
	ExecDropSingleTupleTableSlot(d->slot);
	ExecCloseIndices(d->rri);
	FreeExecutorState(d->estate);
}
