#!/bin/sh
# Prints the extension's version, written once: default_version in
# credit.control.  The Makefile and the scripts read it from here.
#   scripts/version.sh        e.g. 0.2
set -eu
cd "$(dirname "$0")/.."
v=$(sed -n "s/^default_version = '\(.*\)'\$/\1/p" credit.control)
[ -n "$v" ] || { echo "version.sh: no default_version = '...' line in credit.control" >&2; exit 1; }
echo "$v"
