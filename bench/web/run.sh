#!/usr/bin/env bash
# Load benchmark of `milieu serve`: authenticated reads on loopback with wrk, on SQLite and on
# PostgreSQL, over a 10,000-organisation demo region. Prints one table row per database and
# scenario (requests/s, p50, p99, non-2xx answers). Not part of CI (it takes minutes).
#
#   bench/web/run.sh                  # both databases
#   BENCH_DBS=sqlite bench/web/run.sh # one
#
# Environment: BENCH_ORGS (10000), BENCH_DURATION (20s), BENCH_CONNECTIONS (32),
# BENCH_THREADS (1), BENCH_PORT (18431), BENCH_DIR (/tmp/milieu-bench-web),
# BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_DBS ("sqlite postgres").
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ORGS=${BENCH_ORGS:-10000}
DURATION=${BENCH_DURATION:-20s}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-1}
PORT=${BENCH_PORT:-18431}
DIR=${BENCH_DIR:-/tmp/milieu-bench-web}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DBS=${BENCH_DBS:-sqlite postgres}
PASSWORD=bench-password-1
BASE=http://127.0.0.1:$PORT
mkdir -p "$DIR"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null; then
  as_root apt-get install -y wrk || { as_root apt-get update && as_root apt-get install -y wrk; }
fi

cargo build --release -p milieu-cli
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/milieu

SERVER=
stop() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=; fi; }
trap stop EXIT

# One scenario: a name and the file of paths it reads.
scenario() {
  local db=$1 name=$2 paths=$3
  local first status
  first=$(head -n1 "$paths")
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$first")
  if [ "$status" != 200 ]; then
    printf '| %s | %s | not served by this build (%s answered %s) | | | |\n' "$db" "$name" "$first" "$status"
    return
  fi
  local out
  out=$(MILIEU_COOKIE=$COOKIE MILIEU_PATHS=$paths wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" \
    -s "$ROOT/bench/web/reads.lua" "$BASE" | grep '^RESULT')
  # RESULT rps=.. p50_ms=.. p99_ms=.. requests=.. non2xx=.. socket_errors=..
  eval "$(echo "$out" | sed 's/^RESULT //')"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$db" "$name" "$rps" "$p50_ms" "$p99_ms" "$((non2xx + socket_errors))"
}

bench_db() {
  local name=$1 db=$2
  echo "== $name: $ORGS organisations" >&2
  "$BIN" --db "$db" demo --orgs "$ORGS" --replace >&2
  "$BIN" --db "$db" serve --demo --demo-password "$PASSWORD" --addr "127.0.0.1:$PORT" \
    > "$DIR/serve-$name.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$BASE/login" && break
    sleep 0.5
  done
  curl -s -c "$DIR/cookies" -H 'content-type: application/json' \
    -d "{\"username\":\"manager\",\"password\":\"$PASSWORD\"}" "$BASE/api/login" > /dev/null
  COOKIE="milieu_session=$(awk '$6 == "milieu_session" {print $7}' "$DIR/cookies")"
  # Warm the registry snapshot (loaded on the first request after a change).
  curl -s -o /dev/null -H "Cookie: $COOKIE" "$BASE/api/summary"

  # 500 organisations picked at random, their page and their API record.
  "$BIN" --db "$db" org list --format csv | tail -n +2 | cut -d, -f1 | shuf -n 500 --random-source=<(yes) > "$DIR/ids"
  sed 's|^|/orgs/|' "$DIR/ids" > "$DIR/org-pages"
  sed 's|^|/api/orgs/|' "$DIR/ids" > "$DIR/org-api"
  paste -d'\n' "$DIR/org-pages" "$DIR/org-api" > "$DIR/org-mix"
  echo /api/network > "$DIR/network"
  printf '/api/summary\n/api/me\n' > "$DIR/small-api"
  echo / > "$DIR/dashboard-page"
  echo /api/dashboard > "$DIR/dashboard-api"

  scenario "$name" "org pages + API (/orgs/ID, /api/orgs/ID)" "$DIR/org-mix"
  scenario "$name" "org API only (/api/orgs/ID)" "$DIR/org-api"
  scenario "$name" "/api/network" "$DIR/network"
  scenario "$name" "/api/summary + /api/me" "$DIR/small-api"
  scenario "$name" "dashboard page /" "$DIR/dashboard-page"
  scenario "$name" "/api/dashboard" "$DIR/dashboard-api"
  stop
}

echo "milieu serve load benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), wrk -t$THREADS -c$CONNS -d$DURATION on the same machine"
echo
echo "| database | scenario | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|"
for db in $DBS; do
  case $db in
    sqlite)
      rm -f "$DIR/bench.db" "$DIR/bench.db-wal" "$DIR/bench.db-shm"
      bench_db sqlite "$DIR/bench.db" ;;
    postgres)
      psql "$PG/postgres" -q -c 'DROP DATABASE IF EXISTS milieu_bench' -c 'CREATE DATABASE milieu_bench' >&2
      bench_db postgres "$PG/milieu_bench" ;;
    *) echo "unknown database $db" >&2; exit 2 ;;
  esac
done
