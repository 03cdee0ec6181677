/*
 * bad_char.c: the offending character of an identifier's input, printable in
 * a message (the parsers of identifiers.c report its offset and length).
 */
#include "postgres.h"

#include "credit.h"

/* The UTF-8 character itself, or \xNN for a control character. */
char *
credit_bad_char_text(const char *input, const ident_badchar *bad)
{
	unsigned char c = (unsigned char) input[bad->offset];

	if (bad->len == 1 && (c < 0x20 || c == 0x7f))
		return psprintf("\\x%02X", c);
	return pnstrdup(input + bad->offset, bad->len);
}
