#!/usr/bin/env bash
# The demo: a throwaway local cluster with credit installed, sample data and
# a printed tour of queries.
#   scripts/demo.sh
# Installs missing Debian packages, builds and installs the extension, runs
# scripts/demo.sql in a fresh cluster, and removes the cluster at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
make -s >/dev/null
make -s install >/dev/null

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT="${CLUSTER_PORT:-55433}" cluster_start

createdb credit_demo
psql -X -q -d credit_demo -v ON_ERROR_STOP=0 -f scripts/demo.sql
echo
echo "demo done; the throwaway cluster is removed now"
