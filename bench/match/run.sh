#!/usr/bin/env bash
# Benchmarks milieu's brokerage on the CORDIS H2020 extract through the real command line
# (release build), side by side with scipy/pandas peers:
#  0. `milieu import cordis` of the whole shared file into a fresh SQLite database;
#  1. speed: `milieu match all --top 10 --format csv` over every organisation of that database
#     versus a scipy sparse Adamic-Adar top-10 (A D A) on the same file, wall clock and ratio;
#  2. quality: `milieu match evaluate --split 2016-01-01 --until 2017-12-31` (train: projects
#     started before 2016; answers: new pairs in projects starting 2016-2017; milieu's weights
#     calibrated on the six months before the split; common neighbours, Adamic-Adar, topic
#     cosine and random computed in the same run), then the same baselines computed
#     independently with pandas/scipy.
# Creates the Python venv bench/.venv on first use. Usage: bench/match/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DATA=${MILIEU_SHARED_DATA:-$ROOT/../shared/data}/cordis-h2020-participations
VENV=$ROOT/bench/.venv
OUT=$ROOT/bench/out/match
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
MILIEU=$TARGET/release/milieu
DB=$OUT/cordis.db
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import numpy, scipy, pandas" 2>/dev/null || "$VENV/bin/pip" install -q numpy scipy pandas
cargo build --release -q -p milieu-cli

now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average $(load)"

echo "== import: milieu import cordis (whole file) into a fresh SQLite database"
rm -f "$DB" "$DB-wal" "$DB-shm"
t=$(now)
"$MILIEU" --db "$DB" import cordis "$DATA/h2020_participations_before_2018.csv.gz" \
  --programme-parts "$DATA/h2020_project_programme_parts_before_2018.csv.gz"
printf "import: %.2fs\n" "$(echo "$(now) - $t" | bc)"

echo
echo "== match all --top 10, every organisation (load average $(load))"
# Wall clock and CPU time (user + system) of each process: the machine is shared, and milieu
# runs on both cores (rayon) while scipy uses one, so both figures are reported.
TIMEFORMAT='%R %U %S'
{ time "$MILIEU" --db "$DB" match all --top 10 --purpose rnd --format csv > "$OUT/milieu_all.csv" ; } 2> "$OUT/milieu_time.txt"
grep -v '^[0-9.]* [0-9.]* [0-9.]*$' "$OUT/milieu_time.txt" || true
read -r m_wall m_user m_sys < <(tail -1 "$OUT/milieu_time.txt")
echo "milieu rows: $(($(wc -l < "$OUT/milieu_all.csv") - 1))"
{ time "$VENV/bin/python" bench/match/scipy_adamic_adar_all.py "$DATA" 10 "$OUT/scipy_aa_all.csv" ; } 2> "$OUT/scipy_time.txt"
read -r s_wall s_user s_sys < <(tail -1 "$OUT/scipy_time.txt")
printf "wall clock (process start to exit): milieu match all %.2fs, scipy %.2fs, scipy/milieu %.2fx\n" \
  "$m_wall" "$s_wall" "$(echo "$s_wall / $m_wall" | bc -l)"
printf "CPU time (user+sys): milieu match all %.2fs, scipy %.2fs, scipy/milieu %.2fx\n" \
  "$(echo "$m_user + $m_sys" | bc)" "$(echo "$s_user + $s_sys" | bc)" \
  "$(echo "($s_user + $s_sys) / ($m_user + $m_sys)" | bc -l)"

echo
echo "== forecast: milieu match evaluate and its baselines (load average $(load))"
t=$(now)
"$MILIEU" --db "$DB" match evaluate --split 2016-01-01 --until 2017-12-31
printf "milieu match evaluate: %.2fs\n" "$(echo "$(now) - $t" | bc)"
echo
echo "== forecast: the same baselines computed with pandas/scipy"
"$VENV/bin/python" bench/match/forecast_baselines.py "$DATA"
