#!/usr/bin/env python3
"""LP relaxation of the time-indexed scheduling model with GLOP (OR-Tools), to compare with
milieu's flow bound (`stats.priority_upper_bound`). Same constraints as cpsat.py, variables in
[0, 1]. Usage: lp_bound.py EVENT.json
"""
import json
import sys
import time

from ortools.linear_solver import pywraplp
ev=json.load(open(sys.argv[1]))
slots=[s["id"] for s in ev["slots"]]; T=ev["tables"]
avail={p["id"]:set(p.get("available",slots)) for p in ev["participants"]}
cap={p["id"]:min(p.get("max_meetings",len(slots)), len(avail[p["id"]])) for p in ev["participants"]}
pairs={}
for r in ev["requests"]:
    if r.get("status","accepted")!="accepted": continue
    k=tuple(sorted((r["from"],r["to"])))
    pairs[k]=max(pairs.get(k,0), r["priority"])
fixed={tuple(sorted((f["from"],f["to"]))):f["slot"] for f in ev.get("fixed",[])}
for k in fixed: pairs.setdefault(k,0)
s=pywraplp.Solver.CreateSolver("GLOP")
x={}; byps={}; byp={}; bys={t:[] for t in slots}
for k,w in pairs.items():
    a,b=k; common=[t for t in slots if t in avail[a] and t in avail[b]]
    vs=[]
    for t in common:
        v=s.NumVar(0,1,""); x[k,t]=v; vs.append(v)
        byps.setdefault((a,t),[]).append(v); byps.setdefault((b,t),[]).append(v); bys[t].append(v)
        byp.setdefault(a,[]).append(v); byp.setdefault(b,[]).append(v)
    if vs: s.Add(sum(vs)<=1)
    if k in fixed: s.Add(x[k,fixed[k]]==1)
for vs in byps.values(): s.Add(sum(vs)<=1)
for p,vs in byp.items(): s.Add(sum(vs)<=cap[p])
for t,vs in bys.items(): s.Add(sum(vs)<=T)
s.Maximize(sum(pairs[k]*v for (k,t),v in x.items()))
t0=time.time(); st=s.Solve()
print("status",st,"LP value",s.Objective().Value(),"secs",round(time.time()-t0,1))
