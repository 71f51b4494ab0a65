#!/usr/bin/env bash
# Regenerates crates/milieu-net/tests/data/golden.json from NetworkX and python-igraph.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install -q networkx python-igraph rustworkx numpy scipy
bench/.venv/bin/python bench/net/golden.py
