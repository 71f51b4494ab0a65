#!/usr/bin/env python3
"""Golden fixtures for milieu-net from NetworkX and python-igraph.

Run from the repository root:  bench/net/golden.sh
(creates bench/.venv with networkx and python-igraph, then runs this script).
Writes crates/milieu-net/tests/data/golden.json. Inputs: the classic networks in
../shared/data/classic-org-networks (karate, Florentine families, Davis Southern Women) and
one seeded random directed graph generated here (its edges are written into the fixture).

Effective size is computed with `nodes=list(G)`: NetworkX 3.6.1's all-nodes fast path
(scipy) divides the mutual weights by the row maxima with a broadcast that scales columns, so
for weighted or directed graphs it disagrees with its own per-node path and with the
definition (m_jq = a_jq / max_k a_jk, Burt 1992). The per-node path follows the definition.

Power iterations (eigenvector, PageRank) run to tight tolerances so that the fixture holds
the converged vectors, not NetworkX's early stops at its default tolerance of 1e-6.
"""
import csv
import json
import math
import os
import random
import sys

import igraph as ig
import networkx as nx
from networkx.algorithms import bipartite

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("MILIEU_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
CLASSIC = os.path.join(DATA, "classic-org-networks")
OUT = os.path.join(ROOT, "crates", "milieu-net", "tests", "data", "golden.json")


def clean(d):
    out = {}
    for k, v in d.items():
        v = float(v)
        out[str(k)] = None if math.isnan(v) else v
    return out


def node_measures(G, weighted):
    """Every node measure NetworkX has, with and without weights."""
    m = {}
    m["degree_centrality"] = nx.degree_centrality(G)
    m["betweenness_normalized"] = nx.betweenness_centrality(G, normalized=True)
    m["betweenness"] = nx.betweenness_centrality(G, normalized=False)
    m["closeness"] = nx.closeness_centrality(G)
    m["harmonic"] = nx.harmonic_centrality(G)
    m["eigenvector"] = nx.eigenvector_centrality(G, max_iter=100000, tol=1e-15)
    m["pagerank"] = nx.pagerank(G, alpha=0.85, weight=None, tol=1e-15, max_iter=100000)
    m["clustering"] = nx.clustering(G)
    m["constraint"] = nx.constraint(G)
    m["effective_size"] = nx.effective_size(G, nodes=list(G))
    m["core_number"] = nx.core_number(G)
    if weighted:
        m["betweenness_normalized_distance"] = nx.betweenness_centrality(G, weight="weight")
        m["betweenness_distance"] = nx.betweenness_centrality(G, weight="weight", normalized=False)
        m["closeness_distance"] = nx.closeness_centrality(G, distance="weight")
        m["harmonic_distance"] = nx.harmonic_centrality(G, distance="weight")
        m["eigenvector_weighted"] = nx.eigenvector_centrality(
            G, max_iter=100000, tol=1e-15, weight="weight"
        )
        m["pagerank_weighted"] = nx.pagerank(G, alpha=0.85, weight="weight", tol=1e-15, max_iter=100000)
        m["clustering_weighted"] = nx.clustering(G, weight="weight")
        m["constraint_weighted"] = nx.constraint(G, weight="weight")
        m["effective_size_weighted"] = nx.effective_size(G, nodes=list(G), weight="weight")
    return {k: clean(v) for k, v in m.items()}


def scalars(G):
    s = {"density": nx.density(G), "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    und = G.to_undirected() if G.is_directed() else G
    if not G.is_directed():
        s["transitivity"] = nx.transitivity(G)
        s["average_clustering"] = nx.average_clustering(G)
        s["degree_assortativity"] = nx.degree_assortativity_coefficient(G)
        s["articulation_points"] = len(list(nx.articulation_points(G)))
        s["bridges"] = len(list(nx.bridges(G)))
        s["maximal_cliques"] = sum(1 for _ in nx.find_cliques(G))
    else:
        s["reciprocity"] = nx.reciprocity(G)
    s["components"] = nx.number_connected_components(und)
    if nx.is_strongly_connected(G) if G.is_directed() else nx.is_connected(G):
        s["diameter"] = nx.diameter(G)
        s["average_path_length"] = nx.average_shortest_path_length(G)
    return s


def to_igraph(G):
    nodes = list(G.nodes())
    idx = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(idx[u], idx[v]) for u, v in G.edges()], directed=G.is_directed())
    h.es["weight"] = [d.get("weight", 1.0) for _, _, d in G.edges(data=True)]
    return h, nodes


def igraph_measures(G, weighted):
    h, nodes = to_igraph(G)
    m = {
        "betweenness": dict(zip(nodes, h.betweenness(directed=G.is_directed()))),
        "constraint": dict(zip(nodes, h.constraint())),
    }
    if weighted:
        m["constraint_weighted"] = dict(zip(nodes, h.constraint(weights="weight")))
        m["betweenness_distance"] = dict(zip(nodes, h.betweenness(weights="weight")))
    return {k: clean(v) for k, v in m.items()}


def entry(name, G, weighted, partition=None, attribute=None):
    e = {
        "name": name,
        "directed": G.is_directed(),
        "weighted": weighted,
        "nodes": [str(v) for v in G.nodes()],
        "edges": [
            [str(u), str(v), float(d.get("weight", 1.0))] if weighted else [str(u), str(v)]
            for u, v, d in G.edges(data=True)
        ],
        "networkx": node_measures(G, weighted),
        "igraph": igraph_measures(G, weighted),
        "scalars": scalars(G),
    }
    if partition is not None:
        e["partition"] = {str(v): p for v, p in partition.items()}
        groups = {}
        for v, p in partition.items():
            groups.setdefault(p, set()).add(v)
        e["scalars"]["modularity_partition"] = nx.community.modularity(G, groups.values(), weight=None)
        if weighted:
            e["scalars"]["modularity_partition_weighted"] = nx.community.modularity(
                G, groups.values(), weight="weight"
            )
        nx.set_node_attributes(G, partition, "group")
        e["scalars"]["attribute_assortativity"] = nx.attribute_assortativity_coefficient(G, "group")
    return e


def read_edges(path, weighted):
    G = nx.Graph()
    with open(path) as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            if weighted:
                G.add_edge(row[0], row[1], weight=float(row[2]))
            else:
                G.add_edge(row[0], row[1])
    return G


def main():
    graphs = []
    karate_w = read_edges(os.path.join(CLASSIC, "zachary_karate_networkx_edgelist.csv"), True)
    with open(os.path.join(CLASSIC, "zachary_karate_networkx_nodes.csv")) as f:
        r = csv.reader(f)
        next(r)
        club = {row[0]: row[1] for row in r}
    graphs.append(entry("karate_weighted", karate_w, True, partition=club))
    karate = nx.Graph()
    karate.add_edges_from(karate_w.edges())
    graphs.append(entry("karate", karate, False, partition=club))

    flo = read_edges(os.path.join(CLASSIC, "padgett_florentine_marriage_networkx_edgelist.csv"), False)
    graphs.append(entry("florentine", flo, False))

    davis = nx.Graph()
    women, events = [], []
    with open(os.path.join(CLASSIC, "davis_southern_women_networkx_edgelist.csv")) as f:
        r = csv.reader(f)
        next(r)
        for w, ev in r:
            davis.add_edge(w, ev)
            if w not in women:
                women.append(w)
            if ev not in events:
                events.append(ev)
    graphs.append(entry("davis_bipartite", davis, False))
    graphs.append(entry("davis_women", bipartite.projected_graph(davis, women), False))
    graphs.append(entry("davis_women_count", bipartite.weighted_projected_graph(davis, women), True))
    graphs.append(
        entry("davis_women_newman", bipartite.collaboration_weighted_projected_graph(davis, women), True)
    )
    graphs.append(entry("davis_events", bipartite.projected_graph(davis, events), False))

    rng = random.Random(7)
    D = nx.gnp_random_graph(30, 0.12, seed=7, directed=True)
    D = nx.relabel_nodes(D, {v: f"n{v}" for v in D})
    for u, v in D.edges():
        D[u][v]["weight"] = float(rng.randint(1, 5))
    graphs.append(entry("random_directed", D, True))

    fixture = {
        "produced_by": "bench/net/golden.py",
        "networkx": nx.__version__,
        "igraph": ig.__version__,
        "python": sys.version.split()[0],
        "graphs": graphs,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=0, sort_keys=True)
    print(f"wrote {OUT}: {len(graphs)} graphs")


if __name__ == "__main__":
    main()
