/*
 * collection.h: the collection path (collection.c): credit.collect and the
 * batch's INSERT into credit.record.
 */
#ifndef CREDIT_COLLECTION_H
#define CREDIT_COLLECTION_H

/* installs the executor hook of credit.collection_store (from _PG_init) */
extern void credit_collection_init(void);

#endif							/* CREDIT_COLLECTION_H */
