#!/usr/bin/env python3
"""Peer side of bench/net/run.sh: the CORDIS co-participation network through igraph and
rustworkx, built by the same rules as crates/milieu-net/examples/cordis.rs:
organisations (pic) tied when they share a project (rcn) of at most MAX partners, weight =
number of shared projects, organisations without ties dropped.

usage: peers.py FILE.csv.gz [--before YEAR] [--max-size 50] [--task T]... [--write DIR]
tasks: betweenness (igraph), rx_betweenness (rustworkx), leiden, leiden_converged, louvain,
constraint. Prints `timing <task> <seconds> <facts>` lines.
"""
import argparse
import collections
import csv
import gzip
import itertools
import os
import time

import igraph as ig


def load(path, before, max_size):
    projects = collections.defaultdict(set)
    cut = f"{before}-01-01" if before else None
    with gzip.open(path, "rt", newline="") as f:
        for r in csv.DictReader(f):
            if cut and r["start_date"] >= cut:
                continue
            projects[r["rcn"]].add(r["pic"])
    weights = collections.Counter()
    for members in projects.values():
        if 2 <= len(members) <= max_size:
            for a, b in itertools.combinations(sorted(members), 2):
                weights[(a, b)] += 1
    nodes = sorted({x for e in weights for x in e})
    idx = {p: i for i, p in enumerate(nodes)}
    edges = [(idx[a], idx[b]) for a, b in weights]
    w = [float(weights[e]) for e in weights]
    return nodes, edges, w


def dump(directory, name, nodes, values):
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, f"{name}.csv"), "w") as f:
        f.write("pic,value\n")
        for p, v in zip(nodes, values):
            f.write(f"{p},{v!r}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--before")
    ap.add_argument("--max-size", type=int, default=50)
    ap.add_argument("--task", action="append", default=[])
    ap.add_argument("--write")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    t = time.perf_counter()
    nodes, edges, w = load(a.file, a.before, a.max_size)
    g = ig.Graph(n=len(nodes), edges=edges, directed=False)
    g.es["weight"] = w
    print(f"timing load {time.perf_counter() - t:.3f} nodes={g.vcount()} edges={g.ecount()}", flush=True)
    for task in a.task:
        c0 = time.process_time()
        if task == "betweenness":
            t = time.perf_counter()
            b = g.betweenness(directed=False)
            print(f"timing igraph_betweenness {time.perf_counter() - t:.3f} cpu={time.process_time() - c0:.2f}", flush=True)
            dump(a.write, "betweenness", nodes, b)
        elif task == "rx_betweenness":
            import rustworkx as rx

            h = rx.PyGraph()
            h.add_nodes_from(range(len(nodes)))
            h.add_edges_from_no_data(edges)
            t = time.perf_counter()
            c0 = time.process_time()
            b = rx.betweenness_centrality(h, normalized=False)
            print(f"timing rustworkx_betweenness {time.perf_counter() - t:.3f} cpu={time.process_time() - c0:.2f}", flush=True)
            dump(a.write, "rx_betweenness", nodes, [b[i] for i in range(len(nodes))])
        elif task in ("leiden", "leiden_converged"):
            ig.set_random_number_generator(__import__("random").Random(a.seed))
            iters = 2 if task == "leiden" else -1
            t = time.perf_counter()
            c = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=iters)
            el, cpu = time.perf_counter() - t, time.process_time() - c0
            q = g.modularity(c.membership, weights="weight")
            print(f"timing igraph_{task} {el:.3f} cpu={cpu:.2f} modularity={q:.6f} communities={len(c)}", flush=True)
        elif task == "louvain":
            ig.set_random_number_generator(__import__("random").Random(a.seed))
            t = time.perf_counter()
            c = g.community_multilevel(weights="weight")
            el, cpu = time.perf_counter() - t, time.process_time() - c0
            q = g.modularity(c.membership, weights="weight")
            print(f"timing igraph_louvain {el:.3f} cpu={cpu:.2f} modularity={q:.6f} communities={len(c)}", flush=True)
        elif task == "constraint":
            t = time.perf_counter()
            c = g.constraint(weights="weight")
            print(f"timing igraph_constraint {time.perf_counter() - t:.3f} cpu={time.process_time() - c0:.2f}", flush=True)
            dump(a.write, "constraint", nodes, c)
        else:
            raise SystemExit(f"unknown task {task}")


if __name__ == "__main__":
    main()
