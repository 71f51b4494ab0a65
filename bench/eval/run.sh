#!/usr/bin/env bash
# Times `milieu evaluate kpis` and `milieu evaluate report` on the 10,000-organisation demo
# region, and a networkx script computing the stock network KPIs (density, main component
# share, broker constraint) of the same quarters, checked against milieu's values.
#
#   bench/eval/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out/eval
mkdir -p "$OUT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build -q --release -p milieu-cli
M=$CARGO_TARGET_DIR/release/milieu
DB=$OUT/demo10k.db
rm -f "$DB" "$DB"-wal "$DB"-shm
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
t() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, %M KiB max RSS" "$@"
}
t "demo --orgs 10000" "$M" --db "$DB" demo --orgs 10000 > /dev/null
INI=$("$M" --db "$DB" initiative list --format csv | sed -n 2p | cut -d, -f1)
t "evaluate kpis (registry, quarters)" "$M" --db "$DB" evaluate kpis --format csv > "$OUT/kpis.csv"
t "evaluate kpis (registry, years)" "$M" --db "$DB" evaluate kpis --by year --format csv > "$OUT/kpis_year.csv"
t "evaluate kpis --initiative $INI" "$M" --db "$DB" evaluate kpis --initiative "$INI" --format csv > "$OUT/kpis_ini.csv"
t "evaluate report --initiative $INI" "$M" --db "$DB" evaluate report --initiative "$INI" --out "$OUT/report.html"
echo "rows: $(wc -l < "$OUT/kpis.csv") KPI rows (quarters), report $(wc -c < "$OUT/report.html") bytes"
"$M" --db "$DB" export memberships --format csv --out "$OUT/memberships.csv"
"$M" --db "$DB" export ties --format csv --out "$OUT/ties.csv"
if python3 -c "import networkx" 2>/dev/null; then
  t "networkx peer (3 network KPIs only)" python3 bench/eval/peer.py "$OUT/memberships.csv" "$OUT/ties.csv" "$OUT/kpis.csv"
else
  echo "networkx not installed: peer skipped"
fi
