/*
 * libFuzzer harness for the identifier parsers (extension/identifiers.c).
 *
 *   make fuzz FUZZ_SECONDS=600
 *
 * Feeds the same arbitrary bytes to every parser and checks the invariants
 * the fmgr layer relies on: accepted codes are canonical, pack/unpack round
 * trips, packed order equals text order, error positions and offsets stay
 * inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "identifiers.h"

#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

static void
check_bad(const ident_badchar *bad, size_t size)
{
	REQUIRE(bad->len >= 1 && bad->len <= 4);
	REQUIRE(bad->offset + (size_t) bad->len <= size);
}

static void
fuzz_uscc(const uint8_t *data, size_t size)
{
	static uint8_t prev[USCC_PACKED_LEN];
	static char prevtext[USCC_LEN + 1];
	static int	have_prev;
	uscc_parsed p;
	uscc_error	e = uscc_parse((const char *) data, size, &p);

	REQUIRE(e == p.error);
	if (e == USCC_ERR_SYMBOL)
		check_bad(&p.bad, size);
	if (e == USCC_OK || USCC_ERROR_IS_SOFT(e))
	{
		uint8_t		packed[USCC_PACKED_LEN];
		char		back[USCC_LEN + 1];
		bool		ok;
		bool		flag;
		int			k;
		int			c1,
					c2;

		REQUIRE(strlen(p.code) == USCC_LEN);
		for (k = 0; k < USCC_LEN; k++)
			REQUIRE(uscc_symbol_value(p.code[k]) >= 0);
		REQUIRE((e == USCC_OK) == (p.code[17] == uscc_check_char(p.code) &&
								   uscc_category_name(p.code[0], p.code[1]) != NULL));
		uscc_pack(p.code, e != USCC_OK, packed);
		{
			uint8_t		packed2[USCC_PACKED_LEN];

			uscc_pack_values(p.values, e != USCC_OK, packed2);
			REQUIRE(memcmp(packed, packed2, USCC_PACKED_LEN) == 0);
		}
		flag = uscc_unpack(packed, back, &ok);
		REQUIRE(ok);
		REQUIRE(flag == (e != USCC_OK));
		REQUIRE(memcmp(back, p.code, USCC_LEN + 1) == 0);

		/* packed order must equal text order */
		if (have_prev)
		{
			c1 = memcmp(prev, packed, USCC_PACKED_LEN);
			c2 = strcmp(prevtext, p.code);
			if (c2 != 0)
				REQUIRE((c1 < 0) == (c2 < 0) && c1 != 0);
		}
		memcpy(prev, packed, USCC_PACKED_LEN);
		memcpy(prevtext, p.code, USCC_LEN + 1);
		have_prev = 1;
	}
	if (size >= USCC_PACKED_LEN)
	{
		char		back[USCC_LEN + 1];
		bool		ok;

		(void) uscc_unpack(data, back, &ok);
		REQUIRE(strlen(back) == USCC_LEN);
	}
}

static void
fuzz_rid(const uint8_t *data, size_t size)
{
	rid_parsed	p;
	rid_error	e = ident_rid_parse((const char *) data, size, size % 2 ? 20261123L : 0L, &p);

	if (e == RID_ERR_SYMBOL)
		check_bad(&p.bad, size);
	if (e == RID_OK)
	{
		char		back[RID_LEN + 1];

		REQUIRE(strlen(p.code) == RID_LEN);
		REQUIRE(p.code[17] == ident_rid_check_char(p.code));
		REQUIRE(ident_rid_from_int(ident_rid_to_int(p.code), back));
		REQUIRE(memcmp(back, p.code, RID_LEN + 1) == 0);
	}
}

static void
fuzz_legacy(const uint8_t *data, size_t size)
{
	org_parsed	o;
	regno_parsed r;

	if (ident_org_parse((const char *) data, size, &o) == ORG_OK)
		REQUIRE(strlen(o.code) == 10 && o.code[8] == '-' && ident_org_check_char(o.code) == o.code[9]);
	else if (o.error == ORG_ERR_SYMBOL)
		check_bad(&o.bad, size);

	if (ident_regno_parse((const char *) data, size, &r) == REGNO_OK)
		REQUIRE(strlen(r.code) == 15 && ident_regno_check_char(r.code) == r.code[14]);
	else if (r.error == REGNO_ERR_SYMBOL)
		check_bad(&r.bad, size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_uscc(data, size);
	fuzz_rid(data, size);
	fuzz_legacy(data, size);
	return 0;
}
