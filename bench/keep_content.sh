#!/usr/bin/env bash
# keep_content cost: 1M-row UPDATE of an allowed column, 3 rounds each, alternating.
# Usage: bench/keep_content.sh   (after make install; CLUSTER_PORT picks the port)
# Compares no trigger, credit.keep_content() and a PL/pgSQL to_jsonb guard
# like list_entry_guard on three copies of a 1M-row scratch table.
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/cluster.sh
cluster_start
psql -X -q -f bench/keep_content.sql
for round in 1 2 3; do
  for t in kb_none kb_c kb_plpgsql; do
    psql -X -q -c '\timing on' -c "UPDATE $t SET state = 'r$round', state_reason = 'round $round'" -c "VACUUM $t" | grep -m1 Time | sed "s/^/$t round $round: /"
  done
done
