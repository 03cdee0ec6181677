/*
 * credit.h: declarations shared by the fmgr-layer C files of the extension.
 */
#ifndef CREDIT_H
#define CREDIT_H

#include "identifiers.h"

/* credit.uscc_lenient: accept and flag nonconforming codes (credit.c) */
extern bool credit_uscc_lenient;

/* the offending character of an input, printable (credit.c) */
extern char *credit_bad_char_text(const char *input, const ident_badchar *bad);

/* transaction callbacks of the disclosure state (disclosure.c) */
extern void credit_disclosure_init(void);

/* the calling role's kind of party, an enum value; false if none (disclosure.c) */
extern bool credit_party_kind(Datum *kind);

/* transaction callbacks of the transition requests (workflow.c) */
extern void credit_workflow_init(void);

#endif							/* CREDIT_H */
