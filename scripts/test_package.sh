#!/usr/bin/env bash
# Builds the Debian package postgresql-15-credit from this tree
# (dpkg-buildpackage -us -uc -b, debian/), installs it with dpkg, creates the
# extension from the package in a throwaway cluster, and updates a database
# created at each released version (extension/released/) with ALTER
# EXTENSION credit UPDATE; then removes the package and reinstalls the
# tree's own build.  Called by scripts/test.sh
# (as root: dpkg needs it); prints one line per check and ends with
# "package: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

passed=0
failed=0
check() {   # check NAME COMMAND...
    local name="$1"
    shift
    if "$@" >>"$work/log" 2>&1; then
        echo "package: $name ... ok"
        passed=$((passed + 1))
    else
        echo "package: $name ... FAILED"
        failed=$((failed + 1))
    fi
}

if [ "$(id -u)" -ne 0 ]; then
    echo "package: skipped (dpkg needs root)"
    echo "package: 0 passed, 0 failed"
    exit 0
fi

scripts/bootstrap.sh debhelper postgresql-server-dev-all dpkg-dev fakeroot
# the package installs into Debian's PostgreSQL 15, whatever pg_config is on PATH
export PATH=/usr/lib/postgresql/15/bin:$PATH
sys_config=/usr/lib/postgresql/15/bin/pg_config
version=$(scripts/version.sh)
mapfile -t released < <(scripts/version.sh --released)
work=$(mktemp -d /tmp/credit-package.XXXXXX)
restore() {
    dpkg -r postgresql-15-credit >/dev/null 2>&1 || true
    make -s -C "$top" install PG_CONFIG="$sys_config" >/dev/null 2>&1 || true
    [ -n "${KEEP_PACKAGE_LOG:-}" ] && cp "$work/log" "$KEEP_PACKAGE_LOG" 2>/dev/null || true
    rm -rf "$work"
}
trap restore EXIT
: >"$work/log"

# the tree as committed (and its uncommitted changes), without build products
src="$work/credit-$version"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$src"
build() { (cd "$src" && dpkg-buildpackage -us -uc -b); }
check "dpkg-buildpackage builds postgresql-15-credit" build
deb=$(ls "$work"/postgresql-15-credit_*.deb 2>/dev/null | head -n 1 || true)
has_files() {
    local files
    files=$(dpkg -c "$deb")
    grep -q '/usr/lib/postgresql/15/lib/credit.so$' <<<"$files" &&
    grep -q "/usr/share/postgresql/15/extension/credit--$version.sql\$" <<<"$files" &&
    grep -q '/usr/share/postgresql/15/extension/credit.control$' <<<"$files" &&
    grep -q 'extension/README.credit' <<<"$files"
}
check "the package holds the library, the install script, the control file and README.credit" has_files
# the frozen scripts of the released versions and every upgrade script
upgrade_files=()
for v in "${released[@]}"; do upgrade_files+=("credit--$v.sql"); done
for f in extension/credit--*--*.sql; do [ -f "$f" ] && upgrade_files+=("${f#extension/}"); done
has_upgrades() {
    local files f
    files=$(dpkg -c "$deb")
    for f in "${upgrade_files[@]}"; do
        grep -q "/usr/share/postgresql/15/extension/$f\$" <<<"$files" || { echo "the package lacks $f"; return 1; }
    done
}
check "and the frozen scripts and upgrade scripts (${upgrade_files[*]})" has_upgrades
# what make install put there goes first, so the cluster below can only be
# using the package's files
rm -f "$($sys_config --pkglibdir)/credit.so" "$($sys_config --sharedir)"/extension/credit[.-]*
check "dpkg installs it" dpkg -i "$deb"

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT=$((${CLUSTER_PORT:-55432} + 1)) cluster_start
# cluster_start sets its own EXIT trap: the package goes too
trap 'cluster_stop; restore' EXIT
create() {
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE credit_package ENCODING 'UTF8' TEMPLATE template0" &&
    psql -X -q -v ON_ERROR_STOP=1 -d credit_package -c 'CREATE EXTENSION credit' &&
    [ "$(psql -X -A -t -d credit_package -c "SELECT installed || ' ' || library FROM credit.version()")" = "$version $version" ] &&
    [ "$(psql -X -A -t -d credit_package -c "SELECT '９１３５０１００Ｍ０００１００Ｙ４３'::credit.uscc")" = "91350100M000100Y43" ]
}
check "CREATE EXTENSION credit from the package: versions agree, a uscc parses" create
for old in "${released[@]}"; do
    update() {
        local db="credit_package_${old//./_}"
        psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db ENCODING 'UTF8' TEMPLATE template0" &&
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION credit VERSION '$old'" &&
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'ALTER EXTENSION credit UPDATE' &&
        [ "$(psql -X -A -t -d "$db" -c "SELECT installed || ' ' || library FROM credit.version()" 2>&1)" = "$version $version" ]
    }
    check "from the package: CREATE EXTENSION credit VERSION '$old', then ALTER EXTENSION credit UPDATE to $version" update
done
cluster_stop

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
