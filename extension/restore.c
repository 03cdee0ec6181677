/*
 * restore.c: credit.restoring(table), whether the running statement is
 * pg_restore (or psql reading pg_dump's script) putting back whole rows of
 * a credit table.
 *
 * pg_dump writes the rows of an extension's configuration table as
 *     COPY credit.record (record_id, subject_id, ...) FROM stdin;
 * naming every stored column (not the generated ones) in column order, the
 * key included, which no ordinary load does: a key generated ALWAYS is
 * never given otherwise.  When the session user and the current user are
 * superusers and the
 * top-level statement is exactly that COPY of this table, the rows are a
 * restore: the insert triggers that complete or refuse rows a client sends
 * (the submission time, the initial state, the deadlines, the events) let
 * them through as they were dumped (their WHEN clauses call this function, the workflow guard
 * calls credit_restoring_relation() itself),
 * and a restored row of a shipped reference table replaces the shipped row
 * of the same key (credit.restore_shipped_row()).  Anybody else, or any
 * other statement, gets false: the triggers do their work.
 */
#include "postgres.h"

#include <ctype.h>

#include "access/relation.h"
#include "access/tupdesc.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "restore.h"

/* s without leading white space, and the length without the trailing ";" and white space */
static const char *
trimmed(const char *s, size_t *len)
{
	size_t		n;

	while (*s && isspace((unsigned char) *s))
		s++;
	n = strlen(s);
	while (n > 0 && (isspace((unsigned char) s[n - 1]) || s[n - 1] == ';'))
		n--;
	*len = n;
	return s;
}

bool
credit_restoring_relation(Oid relid)
{
	const char *query = debug_query_string;
	const char *q;
	size_t		qlen;
	Relation	rel;
	TupleDesc	desc;
	StringInfoData expected;
	bool		first = true;
	bool		result;

	/* a superuser's own statement: not one a role runs through a definer's function */
	if (query == NULL || !superuser() || !superuser_arg(GetSessionUserId()))
		return false;
	q = trimmed(query, &qlen);
	if (qlen < 5 || pg_strncasecmp(q, "COPY ", 5) != 0)
		return false;

	rel = relation_open(relid, AccessShareLock);
	desc = RelationGetDescr(rel);
	initStringInfo(&expected);
	appendStringInfo(&expected, "COPY %s (",
					 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												RelationGetRelationName(rel)));
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || att->attgenerated)
			continue;
		appendStringInfo(&expected, "%s%s", first ? "" : ", ", quote_identifier(NameStr(att->attname)));
		first = false;
	}
	appendStringInfoString(&expected, ") FROM stdin");
	relation_close(rel, AccessShareLock);

	result = (qlen == (size_t) expected.len && strncmp(q, expected.data, qlen) == 0);
	pfree(expected.data);
	return result;
}

PG_FUNCTION_INFO_V1(credit_restoring);
Datum
credit_restoring(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(credit_restoring_relation(PG_GETARG_OID(0)));
}
