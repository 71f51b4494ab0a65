"""Peer computation of the CORDIS forecast baselines with pandas/scipy, independent of milieu's
code: from the projects that started before 2016-01-01, rank partners for every organisation of
a new pair (co-participating in a project starting in 2016-2017, both active before, not
co-participating before) by common neighbours, Adamic-Adar, topic cosine (programme-part
counts) and random; report recall@10 (either side has the other in its top 10) and MRR (best
side, within the first 100, ties broken at random).

usage: forecast_baselines.py DATA_DIR
"""
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

K, DEPTH = 10, 100
data_dir = sys.argv[1]
t0 = time.perf_counter()
part = pd.read_csv(f"{data_dir}/h2020_participations_before_2018.csv.gz", dtype={"pic": str, "rcn": str})
prog = pd.read_csv(f"{data_dir}/h2020_project_programme_parts_before_2018.csv.gz", dtype={"rcn": str})
org_ids = {p: i for i, p in enumerate(part["pic"].unique())}
n = len(org_ids)
part["o"] = part["pic"].map(org_ids)
train = part[part["start_date"] < "2016-01-01"].drop_duplicates(["rcn", "o"])
test = part[(part["start_date"] >= "2016-01-01") & (part["start_date"] < "2018-01-01")].drop_duplicates(["rcn", "o"])
proj = {r: i for i, r in enumerate(train["rcn"].unique())}
B = sp.csr_matrix((np.ones(len(train)), (train["o"], train["rcn"].map(proj))), shape=(n, len(proj)))
A = (B @ B.T).tocsr()
A.setdiag(0)
A.eliminate_zeros()
A.data[:] = 1.0
deg = np.asarray(A.sum(axis=1)).ravel()
active = np.asarray(B.sum(axis=1)).ravel() > 0

# New pairs.
pairs = set()
for _, members in test[active[test["o"]]].groupby("rcn")["o"]:
    m = np.sort(members.to_numpy())
    for i in range(len(m)):
        for j in range(i + 1, len(m)):
            pairs.add((m[i], m[j]))
pairs = np.array(sorted(pairs))
pairs = pairs[np.asarray(A[pairs[:, 0], pairs[:, 1]]).ravel() == 0]
orgs = np.unique(pairs)
print(f"new pairs in 2016-2017: {len(pairs)}, organisations: {len(orgs)} ({time.perf_counter() - t0:.2f}s)")

# Programme-part counts per organisation.
tp = train.merge(prog, on="rcn")
parts = {p: i for i, p in enumerate(sorted(tp["programme_part"].unique()))}
T = sp.csr_matrix((np.ones(len(tp)), (tp["o"], tp["programme_part"].map(parts))), shape=(n, len(parts)))
T.sum_duplicates()
norm = np.sqrt(np.asarray(T.multiply(T).sum(axis=1)).ravel())
Tn = sp.diags(1 / np.maximum(norm, 1e-12)) @ T

w = np.zeros(n)
w[deg > 1] = 1 / np.log(deg[deg > 1])
rng = np.random.default_rng(7)
tiebreak = rng.random(n) * 1e-9


def rank_lists(score_rows):
    lists = {}
    for start in range(0, len(orgs), 1000):
        rows = orgs[start : start + 1000]
        S = score_rows(rows)
        S = np.asarray(S.todense() if sp.issparse(S) else S, dtype=np.float64)
        S[S <= 0] = -np.inf
        S += tiebreak[None, :]
        S[np.arange(len(rows)), rows] = -np.inf
        tied = A[rows].tocoo()
        S[tied.row, tied.col] = -np.inf
        top = np.argpartition(-S, DEPTH, axis=1)[:, :DEPTH]
        for i, o in enumerate(rows):
            cand = top[i][np.isfinite(S[i, top[i]])]
            lists[o] = cand[np.argsort(-S[i, cand])]
    return lists


def random_lists():
    pool = np.nonzero(active)[0]
    lists = {}
    for o in orgs:
        cand = rng.choice(pool, size=DEPTH * 2, replace=False)
        tied = set(A[o].indices) | {o}
        lists[o] = np.array([c for c in cand if c not in tied][:DEPTH])
    return lists


def metrics(lists):
    pos = {o: {c: r + 1 for r, c in enumerate(l)} for o, l in lists.items()}
    hits, rr = 0, 0.0
    for a, b in pairs:
        r = min(pos[a].get(b, 10**9), pos[b].get(a, 10**9))
        if r <= K:
            hits += 1
        if r <= DEPTH:
            rr += 1 / r
    return hits / len(pairs), rr / len(pairs)


methods = {
    "common_neighbours": lambda rows: A[rows] @ A,
    "adamic_adar": lambda rows: (A[rows] @ sp.diags(w)) @ A,
    "topic_cosine": lambda rows: Tn[rows] @ Tn.T,
}
print(f"{'method':<20} {'recall@10':>10} {'MRR':>8} {'time':>8}")
for name, f in methods.items():
    t = time.perf_counter()
    r, m = metrics(rank_lists(f))
    print(f"{name:<20} {r:>10.4f} {m:>8.4f} {time.perf_counter() - t:>7.2f}s")
t = time.perf_counter()
r, m = metrics(random_lists())
print(f"{'random':<20} {r:>10.4f} {m:>8.4f} {time.perf_counter() - t:>7.2f}s")
