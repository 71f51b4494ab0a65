"""Tune the cluster-discovery configuration on a development split, never on the answer.

Development split: NAICS-2017 CBP of 2017 (not 2021), and only the industries of a seeded
random half of the CMP traded clusters (K = that half's size). The configuration with the
best dev NMI + ARI is the one the engine uses by default; the 2021 evaluation on all 51
clusters is then run once (bench/map/run.sh -> the Rust example `discover_eval`).
Inputs are the .npz files written by proto_discover.py / prep_county.py:
  for y in 2017; do bench/.venv/bin/python bench/map/proto_discover.py $y;
    bench/.venv/bin/python bench/map/prep_county.py $y; done
  bench/.venv/bin/python bench/map/tune_discover.py 2017
Its output on 2026-11-23 (best three per code-prior weight):
  prior 0.0: NMI 0.444 ARI 0.204 levels=ea+county signals=emp+est linkage=average snn=10
  prior 0.0: NMI 0.440 ARI 0.207 levels=ea+county+state signals=emp+est linkage=average snn=10
  prior 0.0: NMI 0.466 ARI 0.180 levels=ea+county signals=emp+est linkage=ward snn=20
  prior 0.5: NMI 0.738 ARI 0.561 levels=ea+county signals=emp linkage=average snn=20
"""
import itertools, sys, numpy as np
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score as ari, normalized_mutual_info_score as nmi

def lq(X, base):
    nat = X.sum(0) / base.sum()
    with np.errstate(divide='ignore', invalid='ignore'):
        return np.nan_to_num(np.where(nat > 0, (X / base[:, None]) / nat, 0))
def corr(X):
    with np.errstate(divide='ignore', invalid='ignore'):
        C = np.nan_to_num(np.corrcoef(X.T))
    np.fill_diagonal(C, 1); return C
def coagg(X):
    base = X.sum(1); x = base / base.sum(); S = X / np.maximum(X.sum(0), 1e-300)
    G = (S - x[:, None]).T @ (S - x[:, None]) / (1 - (x ** 2).sum())
    iu = np.triu_indices_from(G, 1); v = G[iu]
    R = np.clip((G - v.mean()) / (3 * v.std()), -1, 1); np.fill_diagonal(R, 1); return R
def agg(X, keys):
    u, inv = np.unique(keys, return_inverse=True); Y = np.zeros((len(u), X.shape[1])); np.add.at(Y, inv, X); return Y
def snn(S, k):
    n = len(S); nb = np.argsort(-S, 1)[:, 1:k + 1]; A = np.zeros((n, n))
    for i in range(n): A[i, nb[i]] = 1
    M = A @ A.T / k; np.fill_diagonal(M, 1); return M
def code_sim(codes):
    n = len(codes); M = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            p = 0
            while p < 6 and codes[i][p] == codes[j][p]: p += 1
            M[i, j] = max(p - 1, 0) / 5  # 2-digit shared -> 0.2 ... 6 -> 1
    return M
def cluster(S, K, method):
    D = 1 - S; np.fill_diagonal(D, 0); D = np.clip((D + D.T) / 2, 0, None)
    return fcluster(linkage(squareform(D, checks=False), method), K, 'maxclust')

year = int(sys.argv[1]) if len(sys.argv) > 1 else 2017
d = np.load(f'/tmp/proto_{year}.npz'); dc = np.load(f'/tmp/protoc_{year}.npz')
labels = d['labels']; codes = list(d['inds'])
levels = {'ea': (d['E'], d['N']), 'county': (dc['E'], dc['N']),
          'state': (agg(dc['E'], dc['states']), agg(dc['N'], dc['states']))}
sig = {}
for lvl, (E, N) in levels.items():
    sig[(lvl, 'emp')] = corr(np.log1p(lq(E, E.sum(1))))
    sig[(lvl, 'est')] = corr(np.log1p(lq(N, N.sum(1))))
    sig[(lvl, 'coagg')] = coagg(E)
CS = code_sim(codes)
rng = np.random.default_rng(7)
clusters = sorted(set(labels)); dev = set(rng.choice(clusters, len(clusters) // 2, replace=False))
idx = np.array([i for i, l in enumerate(labels) if l in dev]); K = len(dev)
results = []
for lv, sg, method, k, prior in itertools.product(
        [('ea',), ('ea', 'county'), ('ea', 'county', 'state')],
        [('emp',), ('emp', 'est'), ('emp', 'est', 'coagg')],
        ['average', 'ward'], [0, 10, 20], [0.0, 0.25, 0.5]):
    S = sum(sig[(l, s)] for l in lv for s in sg) / (len(lv) * len(sg))
    S = S[np.ix_(idx, idx)]
    if k: S = snn(S, k)
    S = (1 - prior) * S + prior * CS[np.ix_(idx, idx)]
    lab = cluster(S, K, method)
    a, n_ = ari(labels[idx], lab), nmi(labels[idx], lab)
    results.append((n_ + a, n_, a, '+'.join(lv), '+'.join(sg), method, k, prior))
results.sort(reverse=True)
print(f'dev split: year {year}, {K} of {len(clusters)} clusters, {len(idx)} industries')
for prior in [0.0, 0.25, 0.5]:
    best = [r for r in results if r[7] == prior][:3]
    for r in best:
        print(f'prior {prior}: NMI {r[1]:.3f} ARI {r[2]:.3f} levels={r[3]} signals={r[4]} linkage={r[5]} snn={r[6]}')
