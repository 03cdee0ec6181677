/*
 * chain.h: the hash-chained change log (chain.c), for C code that writes a
 * chained table's rows itself.
 */
#ifndef CREDIT_CHAIN_H
#define CREDIT_CHAIN_H

#include "utils/rel.h"

/*
 * A row inserted into rel without the executor (so without rel's chain
 * trigger, which the caller found enabled): queued for the change log as
 * the trigger would have queued it.  values and nulls: every attribute.
 */
extern void credit_chain_note_insert(Relation rel, Datum *values, bool *nulls);

#endif							/* CREDIT_CHAIN_H */
