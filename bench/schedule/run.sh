#!/usr/bin/env bash
# Benchmark: milieu-schedule versus OR-Tools CP-SAT (2 workers, 60 s and 120 s) on generated
# brokerage events, milieu through its real CLI binary (`milieu schedule solve`, release build);
# every schedule checked with `milieu schedule check`. Usage: bench/schedule/run.sh
# Env: SIZES="small large" (default both), CPSAT_LIMITS="60 120", MILIEU_SEEDS="1 2 3",
#      REUSE_CPSAT=1 to reuse CP-SAT results already in bench/out.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q ortools
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build -q --release -p milieu-cli
exec bench/.venv/bin/python bench/schedule/run.py --milieu "$CARGO_TARGET_DIR/release/milieu"
