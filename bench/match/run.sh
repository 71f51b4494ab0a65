#!/usr/bin/env bash
# Benchmarks milieu-match on the CORDIS H2020 extract against scipy peers:
#  1. speed: `match all --top 10` over every organisation of the whole file, milieu (release
#     example) versus a scipy sparse Adamic-Adar top-10 (A D A);
#  2. quality: the forecast (train < 2016-01-01, new pairs of 2016-2017), milieu with weights
#     calibrated on an earlier split and its own baselines, then the same baselines computed
#     independently with pandas/scipy.
# Creates the Python venv bench/.venv on first use. Usage: bench/match/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DATA=${MILIEU_SHARED_DATA:-$ROOT/../shared/data}/cordis-h2020-participations
VENV=$ROOT/bench/.venv
OUT=$ROOT/bench/out/match
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$OUT"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import numpy, scipy, pandas" 2>/dev/null || "$VENV/bin/pip" install -q numpy scipy pandas
cargo build --release -q -p milieu-match --example cordis_match_all --example cordis_forecast

now() { date +%s.%N; }
echo "== match all --top 10, whole CORDIS file ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
t=$(now)
"$TARGET/release/examples/cordis_match_all" --top 10 --out "$OUT/milieu_all.csv"
milieu=$(echo "$(now) - $t" | bc)
t=$(now)
"$VENV/bin/python" bench/match/scipy_adamic_adar_all.py "$DATA" 10 "$OUT/scipy_aa_all.csv"
scipy=$(echo "$(now) - $t" | bc)
printf "wall clock (process start to exit): milieu %.2fs, scipy %.2fs, scipy/milieu %.2fx\n" \
  "$milieu" "$scipy" "$(echo "$scipy / $milieu" | bc -l)"

echo
echo "== forecast: milieu and its baselines"
"$TARGET/release/examples/cordis_forecast" "$DATA"
echo
echo "== forecast: the same baselines computed with pandas/scipy"
"$VENV/bin/python" bench/match/forecast_baselines.py "$DATA"
