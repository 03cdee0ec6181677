/*
 * credit.h: what every fmgr-layer file of the identifier types shares.
 * Each other area has its own header (party.h, disclosure.h, transition.h,
 * machines.h, content.h, table_cache.h).
 */
#ifndef CREDIT_H
#define CREDIT_H

#include "identifiers.h"

/* credit.uscc_lenient: accept and flag nonconforming codes (module.c) */
extern bool credit_uscc_lenient;

/* the offending character of an input, printable (bad_char.c) */
extern char *credit_bad_char_text(const char *input, const ident_badchar *bad);

#endif							/* CREDIT_H */
