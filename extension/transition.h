/*
 * transition.h: the transition requests of credit.transition()
 * (transition.c), which the workflow guard (guard.c) checks rows against.
 */
#ifndef CREDIT_TRANSITION_H
#define CREDIT_TRANSITION_H

typedef struct TransitionRequest
{
	char	   *machine;
	char	   *to_state;
	char	   *reason;			/* NULL: none given */
	Datum		details;		/* jsonb, or 0 */
	Datum		ids;			/* bigint[], the objects to move */
	SubTransactionId subid;		/* pushed in this subtransaction */
} TransitionRequest;

/* registers the transaction callbacks that drop requests; idempotent */
extern void credit_transition_init(void);

/* the innermost request in progress, NULL if there is none */
extern const TransitionRequest *credit_transition_current(void);

#endif							/* CREDIT_TRANSITION_H */
