/*
 * party.h: who the calling role is (credit.party), cached per session and
 * role (party.c).
 */
#ifndef CREDIT_PARTY_H
#define CREDIT_PARTY_H

/* the calling role's kind of party, an enum value; false if none */
extern bool credit_party_kind(Datum *kind);

/* the calling role's department; false if it is not a department role */
extern bool credit_party_department(int32 *department);

/* is the calling role registered as this kind of party (an enum label)? */
extern bool credit_party_is(const char *kind_label);

#endif							/* CREDIT_PARTY_H */
