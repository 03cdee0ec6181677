/*
 * spi_query.h: the queries the C code runs through SPI (spi_query.c).
 *
 * Invariants: every SQL text the C code runs qualifies every type,
 * relation, function and operator (pg_catalog. / credit. /
 * OPERATOR(pg_catalog.=)), so nothing in it resolves through the caller's
 * search_path (pg_temp first included); and the C code checks the type of
 * every result column it reads (credit_spi_expect) before it reads it.
 */
#ifndef CREDIT_SPI_QUERY_H
#define CREDIT_SPI_QUERY_H

#include "executor/spi.h"
#include "utils/snapshot.h"

/*
 * Runs a read-only query (inside SPI_connect) with the given snapshot, or,
 * when snapshot is InvalidSnapshot, with a fresh one: the latest committed
 * state and this transaction's own earlier commands, whatever the
 * transaction's isolation level.  Errors out unless it returned rows of
 * exactly natts columns of the types given.  what names the query in
 * messages.
 */
extern void credit_spi_select(const char *what, const char *sql, int nargs, Oid *argtypes,
							  Datum *values, Snapshot snapshot, long tcount,
							  int natts, const Oid *types);

/* Errors out unless the last SPI result has natts columns of these types. */
extern void credit_spi_expect(const char *what, int natts, const Oid *types);

/* The OID of type credit.<name> (syscache), an error if there is none. */
extern Oid	credit_type_oid(const char *name);

/*
 * The owner of credit.subject: what a lookup runs as when it must see every
 * subject (find_subject.c, the shared-read opening in disclosure.c).
 */
extern Oid	credit_subject_owner(void);

#endif							/* CREDIT_SPI_QUERY_H */
