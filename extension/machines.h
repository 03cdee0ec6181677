/*
 * machines.h: the workflow machines' definitions (credit.machine,
 * machine_state, machine_transition, machine_deadline), cached per session
 * (machines.c).
 */
#ifndef CREDIT_MACHINES_H
#define CREDIT_MACHINES_H

#include "access/attnum.h"
#include "access/tupdesc.h"
#include "nodes/pg_list.h"

typedef struct MachineTransition
{
	char	   *from_state;
	char	   *to_state;
	char	   *action;
	Datum	   *kinds;			/* credit.party_kind values */
	int			nkinds;
	char	   *kinds_text;		/* "部门/信用中心" */
	bool		by_engine;
	bool		reason_required;
} MachineTransition;

typedef struct MachineDeadline
{
	char	   *state;
	AttrNumber	column;
	int			working_days;
	char	   *counted_from;	/* NULL: the day of the transition */
	AttrNumber	from_column;	/* counted from this date column of the
								 * object (0: none; NULL in it: no deadline) */
	char	   *from_state;		/* set only when entered from this state
								 * (NULL: however entered, creation too) */
} MachineDeadline;

typedef struct Machine
{
	char	   *machine;
	char	   *name;
	Oid			relid;
	AttrNumber	key;
	AttrNumber	state;
	Oid			state_type;		/* text, or an enum */
	AttrNumber	reason;
	AttrNumber	since;
	AttrNumber *owned;
	int			nowned;
	char	   *update_sql;		/* what credit.transition() runs */
	List	   *initial;		/* char *, in state order */
	List	   *transitions;	/* MachineTransition * */
	List	   *deadlines;		/* MachineDeadline *, by state and column */
} Machine;

/*
 * The machine of this name, NULL if there is none.  Valid until the next
 * call: a change of the machine tables drops the cache.
 */
extern Machine *credit_machine_find(const char *machine);

/*
 * Errors out unless the row descriptor of the machine's table still has the
 * columns the machine names, of the types the guard reads and writes (an
 * ALTER TABLE does not drop the cache).  For the guard, on every row.
 */
extern void credit_machine_check_desc(const Machine *m, TupleDesc desc);

/* The UPDATE credit.transition() runs for a machine; an error if unknown. */
extern const char *credit_machine_update_sql(const char *machine);

/* credit.add_working_days(date, integer), looked up once per cache. */
extern Oid	credit_machines_add_working_days(void);

#endif							/* CREDIT_MACHINES_H */
