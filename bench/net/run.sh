#!/usr/bin/env bash
# milieu-net against igraph (and rustworkx) on the CORDIS H2020 co-participation network.
#
#   bench/net/run.sh            # everything (rustworkx betweenness takes about a minute)
#   SKIP_RUSTWORKX=1 bench/net/run.sh
#   ONLY_CLI=1 bench/net/run.sh  # only the CLI end to end against igraph betweenness/constraint
#
# Same graph on both sides, built independently from the gz file: organisations (pic) tied
# when they share a project (rcn) of at most 50 partners, weight = number of shared projects,
# organisations without ties dropped. Subset: projects that started before 2016; whole: the
# whole shared file. Betweenness: exact, unweighted (hops), raw values compared node by node.
# Communities and constraint: weighted. Prints wall and CPU seconds and the ratios
# (peer / milieu); results compared for equality where both compute the same thing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DATA=${MILIEU_SHARED_DATA:-$ROOT/../shared/data}
FILE=$DATA/cordis-h2020-participations/h2020_participations_before_2018.csv.gz
OUT=$ROOT/bench/out/net
mkdir -p "$OUT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install -q networkx python-igraph rustworkx numpy scipy
PY=bench/.venv/bin/python
cargo build -q --release -p milieu-net --example cordis
cargo build -q --release -p milieu-cli
OURS=$CARGO_TARGET_DIR/release/examples/cordis
CLI=$CARGO_TARGET_DIR/release/milieu

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${ONLY_CLI:-}" ]; then
echo "== subset: projects started before 2016"
"$OURS" "$FILE" --before 2016 --task betweenness --write "$OUT/ours16" | tee "$OUT/ours16.txt"
$PY bench/net/peers.py "$FILE" --before 2016 --task betweenness --write "$OUT/peer16" | tee "$OUT/peer16.txt"
if [ -z "${SKIP_RUSTWORKX:-}" ]; then
  $PY bench/net/peers.py "$FILE" --before 2016 --task rx_betweenness --write "$OUT/peer16" | tee -a "$OUT/peer16.txt"
fi

echo "== whole file"
"$OURS" "$FILE" --task louvain --task constraint --task metrics --write "$OUT/ours_all" | tee "$OUT/ours_all.txt"
$PY bench/net/peers.py "$FILE" --task louvain --task constraint --write "$OUT/peer_all" | tee "$OUT/peer_all.txt"
# Leiden is randomised: three seeds each. milieu `leiden` (default options: two parallel
# chains, runs until the quality stops improving) against igraph with n_iterations=-1
# (until stable); milieu `leiden_fast` (one chain, at most 4 runs) against igraph's default
# n_iterations=2.
for seed in 1 2 3; do
  "$OURS" "$FILE" --task leiden --task leiden_fast --seed $seed | tee "$OUT/ours_leiden_$seed.txt"
  $PY bench/net/peers.py "$FILE" --task leiden_converged --task leiden --seed $seed | tee "$OUT/peer_leiden_$seed.txt"
done

echo "== comparison"
$PY - "$OUT" <<'EOF'
import csv, os, re, sys
out = sys.argv[1]

def timings(path):
    t = {}
    for line in open(path):
        m = re.match(r"timing (\S+) ([0-9.]+) cpu=([0-9.]+)(.*)", line)
        if m:
            t[m.group(1)] = (float(m.group(2)), float(m.group(3)), m.group(4).strip())
    return t

def values(path):
    return {r["pic"]: float(r["value"]) for r in csv.DictReader(open(path))}

def max_rel(a, b):
    assert a.keys() == b.keys(), "different node sets"
    return max(abs(a[k] - b[k]) / max(1.0, abs(b[k])) for k in b)

o16, p16 = timings(f"{out}/ours16.txt"), timings(f"{out}/peer16.txt")
oall, pall = timings(f"{out}/ours_all.txt"), timings(f"{out}/peer_all.txt")

def row(name, ours, peer):
    (ow, oc, of), (pw, pc, pf) = ours, peer
    print(f"{name:<34} milieu {ow:8.3f}s wall {oc:7.2f}s cpu | peer {pw:8.3f}s wall {pc:7.2f}s cpu "
          f"| wall ratio {pw / ow:6.1f}x  cpu ratio {pc / max(oc, 1e-9):6.1f}x  {of} | {pf}")

row("betweenness <2016 vs igraph", o16["betweenness"], p16["igraph_betweenness"])
b_ours = values(f"{out}/ours16/betweenness.csv")
print(f"  max relative difference vs igraph: {max_rel(b_ours, values(f'{out}/peer16/betweenness.csv')):.2e}")
if "rustworkx_betweenness" in p16:
    row("betweenness <2016 vs rustworkx", o16["betweenness"], p16["rustworkx_betweenness"])
    print(f"  max relative difference vs rustworkx: {max_rel(b_ours, values(f'{out}/peer16/rx_betweenness.csv')):.2e}")
def mean_timing(prefix, task):
    rows = [timings(f"{out}/{prefix}_{s}.txt")[task] for s in (1, 2, 3)]
    q = [float(re.search(r"modularity=([0-9.]+)", r[2]).group(1)) for r in rows]
    facts = "modularity per seed " + " ".join(f"{x:.6f}" for x in q) + f" mean {sum(q) / 3:.6f}"
    return (sum(r[0] for r in rows) / 3, sum(r[1] for r in rows) / 3, facts)

row("leiden vs igraph converged (3 seeds)", mean_timing("ours_leiden", "leiden"),
    mean_timing("peer_leiden", "igraph_leiden_converged"))
row("leiden_fast vs igraph 2 iter (3 seeds)", mean_timing("ours_leiden", "leiden_fast"),
    mean_timing("peer_leiden", "igraph_leiden"))
row("louvain whole vs igraph", oall["louvain"], pall["igraph_louvain"])
row("constraint whole vs igraph", oall["constraint"], pall["igraph_constraint"])
c = max(abs(a - b) for a, b in zip(*[[v[k] for k in sorted(v)] for v in
        (values(f"{out}/ours_all/constraint.csv"), values(f"{out}/peer_all/constraint.csv"))]))
print(f"  max absolute difference vs igraph: {c:.2e}")
w, cpu, facts = oall["metrics"]
print(f"{'full metrics whole file':<34} milieu {w:8.3f}s wall {cpu:7.2f}s cpu  {facts}")
EOF
fi

# The real binary end to end: import the shared file into a fresh SQLite database once, then
# `milieu net metrics --mode projects` reads the participations back, projects them (projects
# of at most 50 partners, weight = shared projects) and computes. Times are of the whole
# process (loading, projection, measures, CSV output); igraph's are of the computation alone
# on a graph built beforehand, so the ratios understate milieu's advantage.
echo "== milieu CLI end to end (load $(cut -d' ' -f1-3 /proc/loadavg))"
DBDIR=$(mktemp -d)
trap 'rm -rf "$DBDIR"' EXIT
DB=$DBDIR/cordis.db
: > "$OUT/cli.txt"
timed() { # name, command...: appends `timing NAME WALL cpu=CPU` to cli.txt
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$OUT/time.tmp" "$@"
  read -r wall user sys < "$OUT/time.tmp"
  echo "timing $name $wall cpu=$(python3 -c "print(round($user + $sys, 2))")" | tee -a "$OUT/cli.txt" >&2
}
timed cli_import "$CLI" --db "$DB" import cordis "$FILE" > /dev/null
timed cli_betweenness16 "$CLI" --db "$DB" net metrics --mode projects --to 2015-12-31 \
  --measures betweenness --only nodes --format csv > "$OUT/cli16_betweenness.csv"
timed cli_constraint "$CLI" --db "$DB" net metrics --mode projects \
  --measures constraint --only nodes --format csv > "$OUT/cli_constraint.csv"
timed cli_metrics "$CLI" --db "$DB" net metrics --mode projects --group-by kind \
  --region-by country --format csv > "$OUT/cli_metrics.csv"
if [ -n "${ONLY_CLI:-}" ]; then
  $PY bench/net/peers.py "$FILE" --before 2016 --task betweenness --write "$OUT/peer16" | tee "$OUT/peer16.txt"
  $PY bench/net/peers.py "$FILE" --task constraint --write "$OUT/peer_all" | tee "$OUT/peer_all.txt"
fi
$PY - "$OUT" <<'EOF'
import csv, re, sys
out = sys.argv[1]

def timings(path):
    t = {}
    for line in open(path):
        m = re.match(r"timing (\S+) ([0-9.]+) cpu=([0-9.]+)", line)
        if m:
            t[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return t

cli = timings(f"{out}/cli.txt")
p16, pall = timings(f"{out}/peer16.txt"), timings(f"{out}/peer_all.txt")

def part(path, k):
    with open(path) as f:
        return f.read().split("\n\n")[k].splitlines()

def column(lines, key, value):
    return {r[key]: float(r[value]) for r in csv.DictReader(lines) if r[value] != ""}

def compare(name, ours_csv, ours_col, peer_csv, peer):
    (cw, cc), (pw, pc) = cli[name], peer[:2]
    a = column(part(ours_csv, 0), "id", ours_col)
    b = column(open(peer_csv).read().splitlines(), "pic", "value")
    assert a.keys() == b.keys(), f"{name}: different node sets ({len(a)} vs {len(b)})"
    diff = max(abs(a[k] - b[k]) / max(1.0, abs(b[k])) for k in b)
    print(f"{name:<18} milieu CLI {cw:7.2f}s wall {cc:6.2f}s cpu | igraph {pw:7.2f}s wall {pc:6.2f}s cpu "
          f"| ratio wall {pw / cw:5.1f}x cpu {pc / max(cc, 1e-9):5.1f}x | {len(a)} nodes, max rel diff {diff:.2e}")

w, c = cli["cli_import"]
print(f"{'import cordis':<18} milieu CLI {w:7.2f}s wall {c:6.2f}s cpu")
compare("cli_betweenness16", f"{out}/cli16_betweenness.csv", "betweenness",
        f"{out}/peer16/betweenness.csv", p16["igraph_betweenness"])
compare("cli_constraint", f"{out}/cli_constraint.csv", "constraint",
        f"{out}/peer_all/constraint.csv", pall["igraph_constraint"])
w, c = cli["cli_metrics"]
summary = dict(csv.reader(part(f"{out}/cli_metrics.csv", 1)))
print(f"{'full metrics':<18} milieu CLI {w:7.2f}s wall {c:6.2f}s cpu | nodes {summary['nodes']} "
      f"edges {summary['edges']} modularity {summary['modularity']} density {summary['density']}")
EOF
