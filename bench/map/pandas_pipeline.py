"""The bench/map workload in pandas/numpy/scipy, as an analyst would write it.

one year : load CBP (gz) -> LQ for all counties x NAICS-6 -> industry co-location matrix
           (correlation of log(1+LQ) across counties) -> average-linkage clustering (K=50)
--shift-share FILES... : load all years, classic shift-share first -> last year, LQ per year
"""
import sys, time
import numpy as np, pandas as pd
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import squareform

COLS = ['fips5', 'year', 'naics2017', 'naics_digits', 'estab', 'emp', 'payann_kusd']

def load(path):
    df = pd.read_csv(path, usecols=COLS, dtype={'fips5': str, 'naics2017': str})
    tot = df[df.naics_digits == 0][['fips5', 'year', 'emp']].rename(columns={'emp': 'total'})
    d6 = df[df.naics_digits == 6].merge(tot, on=['fips5', 'year'])
    return d6

def lq(d6):
    nat_ind = d6.groupby(['year', 'naics2017']).emp.transform('sum')
    nat_tot = d6.drop_duplicates(['year', 'fips5']).groupby('year').total.sum()
    d6 = d6.assign(lq=(d6.emp / d6.total) / (nat_ind / d6.year.map(nat_tot)))
    return d6

def one_year(path):
    c0 = time.process_time()
    t0 = time.perf_counter()
    d6 = load(path); t1 = time.perf_counter()
    d6 = lq(d6); t2 = time.perf_counter()
    m = d6.pivot_table(index='fips5', columns='naics2017', values='lq', fill_value=0.0)
    c = np.corrcoef(np.log1p(m.to_numpy()).T); c = np.nan_to_num(c); np.fill_diagonal(c, 1.0)
    t3 = time.perf_counter()
    dist = np.clip(1.0 - c, 0, None); dist = (dist + dist.T) / 2; np.fill_diagonal(dist, 0)
    labels = fcluster(linkage(squareform(dist, checks=False), 'average'), 50, 'maxclust')
    t4 = time.perf_counter()
    print(f'pandas: load {t1-t0:.3f}s ({len(d6)} rows) | LQ {t2-t1:.3f}s (sum {d6.lq.sum():.1f}) | '
          f'co-location {t3-t2:.3f}s ({c.shape[0]}x{c.shape[1]}) | clustering {t4-t3:.3f}s '
          f'({labels.max()} clusters) | cpu {time.process_time()-c0:.2f}s | total {t4-t0:.3f}s')

def five_years(paths):
    c0 = time.process_time()
    t0 = time.perf_counter()
    d6 = pd.concat([load(p) for p in paths], ignore_index=True); t1 = time.perf_counter()
    y0, y1 = d6.year.min(), d6.year.max()
    w = d6.pivot_table(index=['fips5', 'naics2017'], columns='year', values='emp', fill_value=0.0)[[y0, y1]]
    w.columns = ['e0', 'e1']; w = w.reset_index()
    nat = w.groupby('naics2017')[['e0', 'e1']].transform('sum')
    G = w.e1.sum() / w.e0.sum() - 1
    gi = np.where(nat.e0 > 0, nat.e1 / nat.e0.where(nat.e0 > 0, 1) - 1, G)
    gri = np.where(w.e0 > 0, w.e1 / w.e0.where(w.e0 > 0, 1) - 1, 0)
    w['ns'] = w.e0 * G; w['im'] = w.e0 * (gi - G)
    w['rs'] = np.where(w.e0 > 0, w.e0 * (gri - gi), w.e1)
    t2 = time.perf_counter()
    d6 = lq(d6); t3 = time.perf_counter()
    print(f'pandas five-year: load {len(paths)} files {t1-t0:.3f}s ({len(d6)} rows) | shift-share {y0}->{y1} '
          f'{t2-t1:.3f}s ({len(w)} rows) | LQ all years {t3-t2:.3f}s | cpu {time.process_time()-c0:.2f}s | total {t3-t0:.3f}s')

if __name__ == '__main__':
    if sys.argv[1] == '--shift-share':
        five_years(sys.argv[2:])
    else:
        one_year(sys.argv[1])
