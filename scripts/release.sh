#!/usr/bin/env bash
# Freezes a released version's full install script:
#   scripts/release.sh VERSION          e.g. scripts/release.sh 0.1
# writes extension/released/credit--VERSION.sql: the parts
# extension/[0-9]*.sql concatenated in name order, byte for byte what the
# Makefile builds as credit--<default_version>.sql.  The file is committed
# and never edited again; the Makefile and the Debian package ship it so
# that CREATE EXTENSION credit VERSION 'VERSION' and ALTER EXTENSION credit
# UPDATE from it keep working (extension/released/README.md).
#
# The parts are the source of truth of the current version only, so the
# script freezes VERSION from them only while they still are VERSION:
#   - VERSION is credit.control's default_version (the release itself; the
#     next step is to raise default_version and start the upgrade script
#     extension/credit--VERSION--<next>.sql), or
#   - VERSION is the version before default_version and the upgrade script
#     extension/credit--VERSION--<default_version>.sql holds no statement
#     yet (only comments): nothing has changed since VERSION.
# Otherwise it refuses: the parts have moved on, and the frozen file stays as
# it is.  Running it again on the same tree writes the same file (and says
# whether it changed).
set -euo pipefail
cd "$(dirname "$0")/.."

release="${1:-}"
[[ "$release" =~ ^[0-9]+(\.[0-9]+)+$ ]] || { echo "usage: scripts/release.sh VERSION (e.g. 0.1)" >&2; exit 2; }
current=$(scripts/version.sh)
frozen="extension/released/credit--$release.sql"
upgrade="extension/credit--$release--$current.sql"

# statements of an SQL script: what is left without comments and blank
# lines, and without the \echo guard that refuses psql
statements() {
    sed -e 's/--.*$//' -e '/^[[:space:]]*\\echo .*\\quit[[:space:]]*$/d' -e '/^[[:space:]]*$/d' "$1"
}

if [ "$release" != "$current" ]; then
    if [ ! -f "$upgrade" ]; then
        echo "release.sh: credit.control says $current, and there is no $upgrade:" \
             "the parts are $current, not $release" >&2
        exit 1
    fi
    if [ -n "$(statements "$upgrade")" ]; then
        echo "release.sh: $upgrade already changes $release; the parts are $current now," \
             "so $frozen cannot be made from them (it stays as committed)" >&2
        exit 1
    fi
fi

mkdir -p extension/released
tmp=$(mktemp "extension/released/.credit--$release.sql.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# the Makefile's $(sort $(wildcard extension/[0-9]*.sql)): byte order
LC_ALL=C
parts=(extension/[0-9]*.sql)
cat "${parts[@]}" >"$tmp"
if [ -f "$frozen" ] && cmp -s "$tmp" "$frozen"; then
    echo "release.sh: $frozen is up to date (${#parts[@]} parts)"
else
    [ -f "$frozen" ] && what=rewritten || what=written
    mv "$tmp" "$frozen"
    chmod 644 "$frozen"
    echo "release.sh: $frozen $what from ${#parts[@]} parts; commit it"
fi
