/*
 * content.h: comparing a row's old and new values (content.c), for the
 * workflow guard and credit.keep_content().
 */
#ifndef CREDIT_CONTENT_H
#define CREDIT_CONTENT_H

#include "access/htup.h"
#include "access/tupdesc.h"

/*
 * Are the values the same?  Binary equality of the detoasted values
 * (datum_image_eq), NULL equal to NULL only.
 */
extern bool credit_datum_same(Datum a, bool a_null, Datum b, bool b_null,
							  Form_pg_attribute attr);

/* Attribute att of a tuple as a C string (a text column), NULL if null. */
extern char *credit_attr_text(HeapTuple tup, TupleDesc desc, AttrNumber att);

/* Has attribute att the same value in both tuples? */
extern bool credit_attr_same(HeapTuple a, HeapTuple b, TupleDesc desc, AttrNumber att);

#endif							/* CREDIT_CONTENT_H */
