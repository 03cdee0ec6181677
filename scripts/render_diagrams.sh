#!/usr/bin/env bash
# Renders the workflow machines (layer 5) as diagrams:
#   scripts/render_diagrams.sh
# Installs missing Debian packages (scripts/bootstrap.sh graphviz
# fonts-noto-cjk: those of bootstrap.sh and two more), builds and installs the
# extension, creates it in a throwaway cluster (unix socket only, removed at
# the end), and for each row of credit.machine writes
#   docs/diagrams/<machine>.dot   the output of credit.machine_dot(machine)
#   docs/diagrams/<machine>.svg   rendered with dot -Tsvg
# The machines are data (credit.machine_state, credit.machine_transition), so
# run this again whenever their rows change, and commit the files.
set -euo pipefail
cd "$(dirname "$0")/.."

# graphviz draws the .svg; fonts-noto-cjk has the glyphs of the Chinese labels
scripts/bootstrap.sh graphviz fonts-noto-cjk

make -s >/dev/null

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT="${CLUSTER_PORT:-55434}" cluster_start
createdb credit_diagrams
export PGDATABASE=credit_diagrams

# Another tree may "make install" into the same system folders at the same
# time: install right before CREATE EXTENSION and check afterwards that what
# was loaded is what this tree built; otherwise try again.
sharedir="$(pg_config --sharedir)/extension"
libdir="$(pg_config --pkglibdir)"
script="credit--$(scripts/version.sh).sql"
for attempt in 1 2 3; do
    make -s install >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 -c 'DROP EXTENSION IF EXISTS credit CASCADE' -c 'CREATE EXTENSION credit' \
        && cmp -s "$script" "$sharedir/$script" \
        && cmp -s credit.so "$libdir/credit.so" \
        && break
    echo "render_diagrams: the installed extension is not this tree's (attempt $attempt); installing again" >&2
    [ "$attempt" -lt 3 ] || { echo "render_diagrams: giving up" >&2; exit 1; }
    sleep 2
done

mkdir -p docs/diagrams
mapfile -t machines < <(psql -X -A -t -c 'SELECT machine FROM credit.machine ORDER BY machine')
[ ${#machines[@]} -gt 0 ] || { echo "render_diagrams: credit.machine is empty" >&2; exit 1; }

for m in "${machines[@]}"; do
    psql -X -A -t -v ON_ERROR_STOP=1 -v m="$m" \
         <<<"SELECT credit.machine_dot(:'m')" >"docs/diagrams/$m.dot"
    dot -Tsvg "docs/diagrams/$m.dot" -o "docs/diagrams/$m.svg"
    echo "docs/diagrams/$m.dot, docs/diagrams/$m.svg"
done
