/*
 * restore.h: whether the running statement is pg_restore putting back the
 * rows of a credit table (restore.c).
 */
#ifndef CREDIT_RESTORE_H
#define CREDIT_RESTORE_H

/* true when the top-level statement is pg_dump's COPY of relid, run by a superuser */
extern bool credit_restoring_relation(Oid relid);

#endif							/* CREDIT_RESTORE_H */
