/*
 * normalize_name.h: the name key of credit.normalize_name, for the C code
 * that searches by it (find_subject.c).
 */
#ifndef CREDIT_NORMALIZE_NAME_H
#define CREDIT_NORMALIZE_NAME_H

/* credit.normalize_name(in), palloc'd */
extern text *credit_name_key(text *in);

#endif							/* CREDIT_NORMALIZE_NAME_H */
