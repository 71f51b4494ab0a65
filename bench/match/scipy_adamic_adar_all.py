"""Peer baseline for `milieu match all --top N`: Adamic-Adar top-N partner suggestions for every
organisation of the CORDIS H2020 extract with scipy sparse matrices (A D A, D = 1/ln degree),
already-tied organisations excluded. Prints the time of each step.

usage: scipy_adamic_adar_all.py DATA_DIR TOP OUT_CSV
"""
import csv
import gzip
import sys
import time

import numpy as np
import scipy.sparse as sp

t0 = time.perf_counter()
data_dir, top, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
orgs, projects, rows, cols = {}, {}, [], []
with gzip.open(f"{data_dir}/h2020_participations_before_2018.csv.gz", "rt") as f:
    for r in csv.DictReader(f):
        o = orgs.setdefault(r["pic"], len(orgs))
        p = projects.setdefault(r["rcn"], len(projects))
        rows.append(o)
        cols.append(p)
n = len(orgs)
B = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(projects)))
t_load = time.perf_counter() - t0

t1 = time.perf_counter()
A = (B @ B.T).tocsr()
A.setdiag(0)
A.eliminate_zeros()
A.data[:] = 1.0
deg = np.asarray(A.sum(axis=1)).ravel()
w = np.zeros(n)
w[deg > 1] = 1.0 / np.log(deg[deg > 1])
AD = (A @ sp.diags(w)).tocsr()
ids = np.array(sorted(orgs, key=orgs.get))
out_org, out_cand, out_rank, out_score = [], [], [], []
chunk = 2000
for start in range(0, n, chunk):
    stop = min(n, start + chunk)
    S = (AD[start:stop] @ A).tocsr()
    # Drop self and organisations already tied.
    block = A[start:stop] + sp.csr_matrix(
        (np.ones(stop - start), (np.arange(stop - start), np.arange(start, stop))), shape=(stop - start, n)
    )
    S = S - S.multiply(block > 0)
    S.eliminate_zeros()
    for i in range(stop - start):
        lo, hi = S.indptr[i], S.indptr[i + 1]
        if hi == lo:
            continue
        vals, cand = S.data[lo:hi], S.indices[lo:hi]
        k = min(top, hi - lo)
        best = np.argpartition(-vals, k - 1)[:k]
        best = best[np.lexsort((cand[best], -vals[best]))]
        out_org.extend([start + i] * k)
        out_cand.extend(cand[best])
        out_rank.extend(range(1, k + 1))
        out_score.extend(vals[best])
t_match = time.perf_counter() - t1

t2 = time.perf_counter()
with open(out_path, "w", newline="") as f:
    wr = csv.writer(f)
    wr.writerow(["org", "candidate", "rank", "score"])
    wr.writerows(zip(ids[out_org], ids[out_cand], out_rank, out_score))
t_write = time.perf_counter() - t2
print(
    f"scipy adamic-adar all --top {top}: {n} organisations, {A.nnz // 2} edges, {len(out_org)} rows\n"
    f"load {t_load:.2f}s, matching {t_match:.2f}s, write {t_write:.2f}s, total {time.perf_counter() - t0:.2f}s"
)
