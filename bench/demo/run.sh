#!/usr/bin/env bash
# Times the demo generator in a release build: wall time, CPU time and peak memory for a few
# sizes. There is no peer tool that builds the same synthetic region, so this only tracks
# milieu's own speed (the issue asks for `milieu demo --orgs 10000` in BENCHMARKS.md; storing
# the result is the store's part and is not timed here).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -q -p milieu-demo --example gen
bin="$CARGO_TARGET_DIR/release/examples/gen"
for orgs in 300 2000 10000 40000; do
  for run in 1 2 3; do
    /usr/bin/time -f "orgs=$orgs run=$run wall=%es user=%Us sys=%Ss peak_rss=%MKB" \
      "$bin" --orgs "$orgs" --seed 42 | tail -1
  done
done
