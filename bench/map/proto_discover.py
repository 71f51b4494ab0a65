"""Economic-area matrices for the discovery prototype and tuning (exploration only; the
engine is in Rust): writes /tmp/proto_<year>.npz.
Usage: bench/.venv/bin/python bench/map/proto_discover.py YEAR"""
import csv, gzip, sys, collections, numpy as np
from scipy.cluster.hierarchy import linkage, fcluster
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score as ari, normalized_mutual_info_score as nmi

import os
D = os.environ.get('MILIEU_SHARED_DATA', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/data'))
year = int(sys.argv[1]) if len(sys.argv) > 1 else 2021
cw = collections.defaultdict(set)
for x in csv.DictReader(open(f'{D}/naics-concordance/NAICS_Crosswalk_TimeSeries_2002_2007_2012_2017.csv')):
    a, b = x['NAICS_2017_Code'], x['NAICS_2012_Code']
    if a.isdigit() and b.isdigit(): cw[a].add(b)
defs = {}
for x in csv.DictReader(open(f'{D}/us-cluster-definitions/cmp_cluster_naics_by_vintage.csv')):
    if x['naics_vintage'] == '2012': defs[x['naics']] = (x['cluster_code'], x['traded'] == 'True')
ea = {x['FIPS'].zfill(5): x['EA'] for x in csv.DictReader(open(f'{D}/uscmp-region-cluster-2016/bea_economic_area_county_definition.csv'))}
emp = collections.defaultdict(float); est = collections.defaultdict(float); tot = collections.defaultdict(float)
for x in csv.DictReader(gzip.open(f'{D}/cbp-county-naics/cbp_county_naics2017_{year}.csv.gz', 'rt')):
    r = ea.get(x['fips5'])
    if r is None: continue
    if x['naics_digits'] == '0': tot[r] += float(x['emp']); continue
    if x['naics_digits'] != '6': continue
    t = sorted(cw[x['naics2017']])
    for c in t:
        emp[(r, c)] += float(x['emp']) / len(t); est[(r, c)] += float(x['estab']) / len(t)
regions = sorted(tot); inds = sorted({k[1] for k in emp if defs[k[1]][1]})
ri = {r: i for i, r in enumerate(regions)}; ii = {c: i for i, c in enumerate(inds)}
E = np.zeros((len(regions), len(inds))); N = np.zeros_like(E)
for (r, c), v in emp.items():
    if c in ii: E[ri[r], ii[c]] = v; N[ri[r], ii[c]] = est[(r, c)]
T = np.array([tot[r] for r in regions])
labels = np.array([defs[c][0] for c in inds])
print(len(regions), 'regions', len(inds), 'traded industries', len(set(labels)), 'clusters', file=sys.stderr)
np.savez('/tmp/proto_%d.npz' % year, E=E, N=N, T=T, labels=labels, inds=np.array(inds))
