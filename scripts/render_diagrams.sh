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

cluster_create_extension render_diagrams

mkdir -p docs/diagrams
mapfile -t machines < <(psql -X -A -t -c 'SELECT machine FROM credit.machine ORDER BY machine')
[ ${#machines[@]} -gt 0 ] || { echo "render_diagrams: credit.machine is empty" >&2; exit 1; }

for m in "${machines[@]}"; do
    psql -X -A -t -v ON_ERROR_STOP=1 -v m="$m" \
         <<<"SELECT credit.machine_dot(:'m')" >"docs/diagrams/$m.dot"
    dot -Tsvg "docs/diagrams/$m.dot" -o "docs/diagrams/$m.svg"
    echo "docs/diagrams/$m.dot, docs/diagrams/$m.svg"
done
