#!/bin/sh
# The extension's versions.
#   scripts/version.sh             the current version, written once:
#                                  default_version in credit.control (e.g. 0.2)
#   scripts/version.sh --released  the released versions before it, one a
#                                  line, oldest first: those with a frozen
#                                  install script extension/released/credit--<v>.sql
# The Makefile and the scripts read them from here.
set -eu
cd "$(dirname "$0")/.."
v=$(sed -n "s/^default_version = '\(.*\)'\$/\1/p" credit.control)
[ -n "$v" ] || { echo "version.sh: no default_version = '...' line in credit.control" >&2; exit 1; }
case "${1:-}" in
    "")         echo "$v" ;;
    --released) for f in extension/released/credit--*.sql; do
                    [ -f "$f" ] || continue
                    r=${f#extension/released/credit--}
                    echo "${r%.sql}"
                done | grep -vxF "$v" | sort -t. -k1,1n -k2,2n -k3,3n || true ;;
    *)          echo "usage: scripts/version.sh [--released]" >&2; exit 2 ;;
esac
