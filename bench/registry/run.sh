#!/usr/bin/env bash
# Registry bulk loads, release build: the shared CORDIS table and `milieu demo --orgs 10000`,
# on SQLite and PostgreSQL; wall time and peak memory (GNU time), best of RUNS.
# Usage: bench/registry/run.sh [PG_URL]   (default postgres://postgres@127.0.0.1:5432/test;
# the script creates and drops its own schema there)
set -euo pipefail
cd "$(dirname "$0")/../.."
PG="${1:-postgres://postgres@127.0.0.1:5432/test}"
RUNS="${RUNS:-3}"
DATA="../shared/data/cordis-h2020-participations"
cargo build --release -q -p milieu-cli
BIN="$PWD/target/release/milieu"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SCHEMA="bench_registry_$$"
PGURL="$PG?options=-c%20search_path%3D$SCHEMA"

pg_reset() {
  psql -q -o /dev/null "$PG" -c "SET client_min_messages=warning; DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA;" >/dev/null
}

measure() { # label, then the command; prints best wall time and its peak RSS
  local label="$1"; shift
  local best="" mem=""
  for _ in $(seq "$RUNS"); do
    "$RESET"
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null
    read -r t m < "$WORK/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  printf "%-40s %8.2f s %8.1f MiB\n" "$label" "$best" "$(awk "BEGIN{print $mem/1024}")"
}

sqlite_reset() { rm -f "$WORK"/b.db*; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -d "$DATA" ]; then
  RESET=sqlite_reset measure "cordis import, sqlite" "$BIN" --db "$WORK/b.db" import cordis \
    "$DATA/h2020_participations_before_2018.csv.gz" --programme-parts "$DATA/h2020_project_programme_parts_before_2018.csv.gz"
  RESET=pg_reset measure "cordis import, postgres" "$BIN" --db "$PGURL" import cordis \
    "$DATA/h2020_participations_before_2018.csv.gz" --programme-parts "$DATA/h2020_project_programme_parts_before_2018.csv.gz"
else
  echo "skipped CORDIS: $DATA is absent"
fi
RESET=sqlite_reset measure "demo --orgs 10000, sqlite" "$BIN" --db "$WORK/b.db" demo --orgs 10000
RESET=pg_reset measure "demo --orgs 10000, postgres" "$BIN" --db "$PGURL" demo --orgs 10000
psql -q -o /dev/null "$PG" -c "SET client_min_messages=warning; DROP SCHEMA IF EXISTS $SCHEMA CASCADE;" >/dev/null
