/*
 * disclosure.h: the session state row security relies on (disclosure.c).
 */
#ifndef CREDIT_DISCLOSURE_H
#define CREDIT_DISCLOSURE_H

/* registers the transaction callbacks that clear the state; idempotent */
extern void credit_disclosure_init(void);

#endif							/* CREDIT_DISCLOSURE_H */
