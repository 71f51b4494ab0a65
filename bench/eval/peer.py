"""Peer for bench/eval: networkx computes milieu's stock network KPIs per quarter of the whole
registry (members = organisations with a membership overlapping the quarter; ties in force at
the quarter's end between two members; brokers = secretariat/broker members) from milieu's
CSV exports, and checks network_density and main_component_share against milieu's output.

usage: peer.py memberships.csv ties.csv milieu_kpis.csv
"""
import csv, sys, time
from datetime import date, timedelta
import networkx as nx

t0 = time.perf_counter()
ms, ties = sys.argv[1], sys.argv[2]
d = lambda s: date.fromisoformat(s) if s else None
spans, brokers = {}, set()
for r in csv.DictReader(open(ms)):
    spans.setdefault(r["org_id"], []).append((d(r["from"]), d(r["to"])))
    if r["role"] in ("secretariat", "broker"):
        brokers.add(r["org_id"])
T = [(r["from_id"], r["to_id"], d(r["start"]), d(r["end"])) for r in csv.DictReader(open(ties))]
dates = [t[2] for t in T]
first, last = min(dates), max(dates)

def quarters(a, b):
    y, q = a.year, (a.month - 1) // 3
    while True:
        s = date(y, 3 * q + 1, 1)
        e = (date(y + (q == 3), (3 * q + 3) % 12 + 1, 1)) - timedelta(days=1)
        yield f"{y}-Q{q+1}", max(s, a), min(e, b)
        if e >= b:
            return
        y, q = (y + 1, 0) if q == 3 else (y, q + 1)

out = {}
for label, s, e in quarters(first, last):
    members = [o for o, sp in spans.items()
               if any((f is None or f <= e) and (t is None or t >= s) for f, t in sp)]
    g = nx.Graph()
    g.add_nodes_from(members)
    ms_ = set(members)
    for a, b, st, en in T:
        if a != b and a in ms_ and b in ms_ and st <= e and (en is None or en > e):
            g.add_edge(a, b)
    n = g.number_of_nodes()
    out[(label, "network_density")] = nx.density(g) if n > 1 else None
    comp = max((len(c) for c in nx.connected_components(g)), default=0)
    out[(label, "main_component_share")] = comp / n if n else None
    bs = [b for b in brokers if b in g and g.degree(b) > 0]
    if bs:
        c = nx.constraint(g, bs)
        out[(label, "broker_constraint")] = sum(c.values()) / len(bs)
elapsed = time.perf_counter() - t0
mismatch = checked = 0
for r in csv.DictReader(open(sys.argv[3])):
    key = (r["period"], r["kpi"])
    if key in out and out[key] is not None and r["value"] != "":
        checked += 1
        if abs(float(r["value"]) - out[key]) > 1e-9:
            mismatch += 1
            if mismatch < 5:
                print("mismatch", key, r["value"], out[key])
print(f"networkx: {len(set(k[0] for k in out))} quarters, {elapsed:.2f} s; "
      f"{checked} values compared with milieu, {mismatch} differ")
