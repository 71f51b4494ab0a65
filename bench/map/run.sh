#!/usr/bin/env bash
# Same workload through pandas/numpy/scipy and through milieu-map; prints times and ratios.
#   one year : load CBP 2021 (gz) -> LQ for all counties x NAICS-6 -> industry co-location
#              matrix (correlation of log(1+LQ) across counties) -> average linkage, K=50
#   five years: load CBP 2017-2021 -> shift-share 2017->2021 -> LQ for every year
#   discovery : NMI / ARI against the CMP traded clusters (baseline vs milieu default)
# Each timing is the best of $RUNS runs (the machine is shared; best-of-N removes noise).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
DATA=${MILIEU_SHARED_DATA:-../shared/data}
CBP=$DATA/cbp-county-naics
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q pandas numpy scipy scikit-learn networkx
fi
cargo build -q --release -p milieu-map --example map_bench --example discover_eval
BIN=$CARGO_TARGET_DIR/release/examples
best() { # best "total Xs" over N runs of a command
  local best=999 line t
  for _ in $(seq "$RUNS"); do
    line=$("$@" 2>/dev/null | tail -1)
    t=$(echo "$line" | sed -E 's/.*total ([0-9.]+)s.*/\1/')
    if awk "BEGIN{exit !($t < $best)}"; then best=$t; keep=$line; fi
  done
  echo "$keep" >&2
  echo "$best"
}
echo "== one year (2021), best of $RUNS"
P1=$(best bench/.venv/bin/python bench/map/pandas_pipeline.py "$CBP/cbp_county_naics2017_2021.csv.gz")
M1=$(best "$BIN/map_bench" "$CBP/cbp_county_naics2017_2021.csv.gz")
echo "pandas ${P1}s  milieu ${M1}s  ratio $(awk "BEGIN{printf \"%.1f\", $P1/$M1}")x"
echo "== five years with shift-share, best of $RUNS"
P5=$(best bench/.venv/bin/python bench/map/pandas_pipeline.py --shift-share "$CBP"/cbp_county_naics2017_20*.csv.gz)
M5=$(best "$BIN/map_bench" "$CBP"/cbp_county_naics2017_20*.csv.gz --shift-share)
echo "pandas ${P5}s  milieu ${M5}s  ratio $(awk "BEGIN{printf \"%.1f\", $P5/$M5}")x"
echo "== discovery quality, CBP 2021 vs CMP traded clusters (NAICS 2012, bridged)"
"$BIN/discover_eval" 2021 0 --baseline | tail -1 | sed 's/^/baseline (average linkage, log(1+LQ) corr, EAs): /'
"$BIN/discover_eval" 2021 0 --baseline --ward | tail -1 | sed 's/^/baseline (Ward): /'
"$BIN/discover_eval" 2021 0 | tail -1 | sed 's/^/milieu default: /'
"$BIN/discover_eval" 2021 0 --code-prior 0.5 | tail -1 | sed 's/^/milieu + code prior 0.5: /'
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
