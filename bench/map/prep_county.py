"""County-level matrices (traded CMP industries, NAICS 2017 bridged to 2012, equal split)
for the discovery prototype and tuning: writes /tmp/protoc_<year>.npz.
Usage: bench/.venv/bin/python bench/map/prep_county.py YEAR"""
import csv, gzip, sys, collections, numpy as np
import os
D = os.environ.get('MILIEU_SHARED_DATA', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/data'))
year = int(sys.argv[1])
cw = collections.defaultdict(set)
for x in csv.DictReader(open(f'{D}/naics-concordance/NAICS_Crosswalk_TimeSeries_2002_2007_2012_2017.csv')):
    a, b = x['NAICS_2017_Code'], x['NAICS_2012_Code']
    if a.isdigit() and b.isdigit(): cw[a].add(b)
defs = {}
for x in csv.DictReader(open(f'{D}/us-cluster-definitions/cmp_cluster_naics_by_vintage.csv')):
    if x['naics_vintage'] == '2012': defs[x['naics']] = (x['cluster_code'], x['traded'] == 'True')
emp = collections.defaultdict(float); est = collections.defaultdict(float); tot = collections.defaultdict(float); st={}
for x in csv.DictReader(gzip.open(f'{D}/cbp-county-naics/cbp_county_naics2017_{year}.csv.gz', 'rt')):
    r = x['fips5']; st[r]=x['state_fips']
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
np.savez(sys.argv[2] if len(sys.argv) > 2 else '/tmp/protoc_%d.npz' % year, E=E, N=N, T=T, labels=labels, inds=np.array(inds), states=np.array([st[r] for r in regions]))
