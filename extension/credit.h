/*
 * credit.h: declarations shared by the fmgr-layer C files of the extension.
 */
#ifndef CREDIT_H
#define CREDIT_H

#include "identifiers.h"

/* credit.uscc_lenient: accept and flag nonconforming codes (credit.c) */
extern bool credit_uscc_lenient;

/* transaction callbacks of the disclosure state (disclosure.c) */
extern void credit_disclosure_init(void);

#endif							/* CREDIT_H */
