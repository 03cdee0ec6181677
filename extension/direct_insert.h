/*
 * direct_insert.h: writing rows of a table of schema credit without the
 * executor (direct_insert.c), as COPY does: the heap tuple and its index
 * entries, nothing else.  For tables whose triggers, constraints and
 * policies the caller has found as the extension made them, and whose rows
 * it has built to meet them (chain.c's change_log, credit_check.c's check
 * rows).
 */
#ifndef CREDIT_DIRECT_INSERT_H
#define CREDIT_DIRECT_INSERT_H

#include "nodes/execnodes.h"
#include "utils/rel.h"

typedef struct CreditDirectInsert
{
	Relation	rel;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	CommandId	cid;
} CreditDirectInsert;

/* rel open and locked RowExclusiveLock by the caller: its indexes opened */
extern void credit_direct_begin(CreditDirectInsert *d, Relation rel);

/* one row (values and nulls of every attribute): the heap, the indexes */
extern void credit_direct_insert(CreditDirectInsert *d, const Datum *values, const bool *nulls);

/* the indexes closed, the state freed (rel stays open) */
extern void credit_direct_end(CreditDirectInsert *d);

#endif							/* CREDIT_DIRECT_INSERT_H */
