# PGXS build of the credit extension.
#   make && make install         build and install into the server found by pg_config
#   make installcheck            run the pg_regress suite against a running server
#   scripts/test.sh              does all of it against a throwaway cluster
#   make fuzz                    libFuzzer harness for the identifier parsers
#   make WERROR=1                build with warnings as errors

EXTENSION  = credit
# The version is written once, in the control file (scripts/version.sh reads it).
EXTVERSION = $(shell sh scripts/version.sh)
MODULE_big = credit
PGFILEDESC = "credit - public credit information data model"

# Module entry: module.c (PG_MODULE_MAGIC, _PG_init, the settings).
# Layer 1 (identifiers): identifiers.c is pure C without PostgreSQL headers
# (also built alone by the fuzz harness); uscc.c, resident_id.c,
# legacy_codes.c, normalize_name.c wrap it, with bad_char.c for messages.
# Shared: table_cache.c (caches dropped when their tables change),
# spi_query.c (SPI queries in a fresh snapshot, result types checked),
# content.c (the attribute comparison; credit.keep_content()).
# Layer 4 (disclosure): party.c caches who the calling role is;
# disclosure.c keeps the unforgeable session state and the row predicates;
# find_subject.c searches names by a part, as the subject table's owner.
# Layer 5 (workflows): transition.c runs credit.transition() and keeps its
# requests; machines.c caches the machines; guard.c is credit.workflow_guard();
# lock_basis.c locks a serious list entry's basis record before the entry;
# list_entry_rules.c is credit.list_entry_rules(), a transition's same-row effects.
# Time: legal_date.c, the date the law counts in (credit.timezone).
# Backup: restore.c, whether a statement is pg_restore putting rows back.
# Rows without the executor: direct_insert.c (chain.c's log entries,
# credit_check.c's check rows), the heap tuple and its index entries.
# Layer 6 (measures): credit_check.c, the credit check, its hits and the
# trigger of its row (the hits handed from credit.check to the trigger);
# check_rules.c, the matters' rules it matches, a session cache.
OBJS = \
	extension/module.o \
	extension/collection.o \
	extension/identifiers.o \
	extension/bad_char.o \
	extension/uscc.o \
	extension/resident_id.o \
	extension/legacy_codes.o \
	extension/normalize_name.o \
	extension/table_cache.o \
	extension/spi_query.o \
	extension/content.o \
	extension/party.o \
	extension/disclosure.o \
	extension/find_subject.o \
	extension/transition.o \
	extension/machines.o \
	extension/guard.o \
	extension/lock_basis.o \
	extension/list_entry_rules.o \
	extension/legal_date.o \
	extension/restore.o \
	extension/direct_insert.o \
	extension/chain.o \
	extension/check_rules.o \
	extension/credit_check.o

# Warnings: -Wall -Wextra, less what PostgreSQL's own headers and fmgr
# conventions trip (unused fcinfo/arg parameters, sign comparisons of
# uint64 SPI_processed, partial struct initialisers).  make WERROR=1 turns
# every warning into an error.
PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
ifdef WERROR
PG_CFLAGS += -Werror
endif

# The current version's install script is split by layer and module; the
# numeric prefix orders it.  Released versions: their full install scripts,
# frozen by scripts/release.sh in extension/released/credit--<version>.sql
# (never edited), and the upgrade scripts extension/credit--<from>--<to>.sql,
# which hold every change since (docs/operations.md, "Upgrades").  All are
# installed, so CREATE EXTENSION credit VERSION '<old>' and ALTER EXTENSION
# credit UPDATE work.
SQL_PARTS  = $(sort $(wildcard extension/[0-9]*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
RELEASED   = $(filter-out extension/released/$(EXTENSION)--$(EXTVERSION).sql, \
                          $(wildcard extension/released/$(EXTENSION)--*.sql))
DATA       = $(RELEASED) $(wildcard extension/$(EXTENSION)--*--*.sql)
# the README, installed under a name of its own in the extension doc folder
DOCS       = README.credit

# sql/schedule lists the tests in order; PGXS runs installcheck only when
# REGRESS is set, so the schedule is passed there.
REGRESS      = --schedule=sql/schedule
REGRESS_OPTS = --inputdir=. --encoding=UTF8 --load-extension=plpgsql
# Concurrency (pg_isolation_regress): specs/*.spec, expected/<name>.out
ISOLATION      = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --encoding=UTF8

PG_CONFIG ?= pg_config
ICU_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n)
ICU_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n)
PG_CPPFLAGS += $(ICU_CFLAGS) -DCREDIT_VERSION='"$(EXTVERSION)"'
SHLIB_LINK  += $(ICU_LIBS)

EXTRA_CLEAN = README.credit $(wildcard $(EXTENSION)--*.sql) fuzz/fuzz_identifiers fuzz/crash-* fuzz/leak-* fuzz/timeout-*

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

ifeq ($(shell test $(VERSION_NUM) -ge 150000 && echo yes),)
$(error credit needs PostgreSQL 15 or later (found $(VERSION)))
endif

all: README.credit
README.credit: README.md
	cp $< $@

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

# the library knows its version (CREDIT_VERSION, credit.version())
extension/module.o: $(EXTENSION).control

# The parsers alone, under libFuzzer with AddressSanitizer and UBSan.
FUZZ_SECONDS ?= 60
fuzz/fuzz_identifiers: fuzz/fuzz_identifiers.c extension/identifiers.c extension/identifiers.h
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Iextension -o $@ fuzz/fuzz_identifiers.c extension/identifiers.c

.PHONY: fuzz
fuzz: fuzz/fuzz_identifiers
	mkdir -p fuzz/corpus
	./fuzz/fuzz_identifiers -max_total_time=$(FUZZ_SECONDS) -max_len=96 fuzz/corpus fuzz/seeds
