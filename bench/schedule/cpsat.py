#!/usr/bin/env python3
"""OR-Tools CP-SAT on a milieu event: the same constraints, primary objectives only
(scheduled musts first, then the priority sum), as one weighted sum.

x[pair, slot] for every slot both sides are available; a pair meets at most once; one meeting
per person and slot; max_meetings; per-slot tables; fixed meetings forced. Pairs are merged over
both directions (weight = higher priority, must if either is), as milieu does. Tables are
numbered afterwards (fixed ones keep theirs). Writes a schedule JSON that `check` reads.

Usage: cpsat.py --input EVENT.json --out SCHEDULE.json --time-limit 60 [--workers 2]
                [--hint SCHEDULE.json]  (start from a schedule, e.g. to see if CP-SAT improves it)
"""
import argparse
import json
import time

from ortools.sat.python import cp_model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hint", help="a schedule JSON to start from (e.g. milieu's)")
    args = ap.parse_args()

    t0 = time.time()
    ev = json.load(open(args.input))
    slots = [s["id"] for s in ev["slots"]]
    tables = ev["tables"]
    people = {p["id"]: p for p in ev["participants"]}
    avail = {p["id"]: set(p.get("available", slots)) for p in ev["participants"]}
    cap = {p["id"]: p.get("max_meetings", len(slots)) for p in ev["participants"]}

    pairs = {}  # (a, b) sorted -> [from, to, weight, must]
    for r in ev["requests"]:
        if r.get("status", "accepted") != "accepted":
            continue
        key = tuple(sorted((r["from"], r["to"])))
        if key in pairs:
            pairs[key][2] = max(pairs[key][2], r["priority"])
            pairs[key][3] = pairs[key][3] or r.get("must", False)
        else:
            pairs[key] = [r["from"], r["to"], r["priority"], r.get("must", False)]
    fixed = {}
    for f in ev.get("fixed", []):
        key = tuple(sorted((f["from"], f["to"])))
        fixed[key] = f
        if key not in pairs:
            pairs[key] = [f["from"], f["to"], 0, False]

    m = cp_model.CpModel()
    x = {}
    by_person_slot = {}
    by_person = {}
    by_slot = {s: [] for s in slots}
    for key, (a, b, w, must) in pairs.items():
        common = [s for s in slots if s in avail[a] and s in avail[b]]
        vs = []
        for s in common:
            v = m.NewBoolVar(f"x_{a}_{b}_{s}")
            x[key, s] = v
            vs.append(v)
            by_person_slot.setdefault((a, s), []).append(v)
            by_person_slot.setdefault((b, s), []).append(v)
            by_slot[s].append(v)
        if vs:
            m.AddAtMostOne(vs)
            by_person.setdefault(a, []).extend(vs)
            by_person.setdefault(b, []).extend(vs)
        if key in fixed:
            fs = fixed[key]["slot"]
            m.Add(x[key, fs] == 1)
    for vs in by_person_slot.values():
        m.AddAtMostOne(vs)
    for p, vs in by_person.items():
        if len(vs) > cap[p]:
            m.Add(sum(vs) <= cap[p])
    for s, vs in by_slot.items():
        if len(vs) > tables:
            m.Add(sum(vs) <= tables)
    total_w = sum(w for (_, _, w, _) in pairs.values())
    big = total_w + 1
    obj = []
    for (key, s), v in x.items():
        a, b, w, must = pairs[key]
        coef = w + (big if must else 0)
        if coef:
            obj.append(coef * v)
    m.Maximize(sum(obj))
    if args.hint:
        hinted = set()
        for mt in json.load(open(args.hint))["meetings"]:
            hinted.add((tuple(sorted((mt["from"], mt["to"]))), mt["slot"]))
        for (key, s), v in x.items():
            m.AddHint(v, 1 if (key, s) in hinted else 0)
    build_s = time.time() - t0

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = args.time_limit
    solver.parameters.num_workers = args.workers
    solver.parameters.random_seed = args.seed
    t1 = time.time()
    status = solver.Solve(m)
    solve_s = time.time() - t1

    meetings = []
    musts = prio = 0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        used = {s: set() for s in slots}
        chosen = [(key, s) for (key, s), v in x.items() if solver.Value(v)]
        for key, s in chosen:
            if key in fixed:
                used[s].add(fixed[key]["table"])
        nxt = {s: 1 for s in slots}
        for key, s in sorted(chosen, key=lambda t: (slots.index(t[1]), t[0])):
            a, b, w, must = pairs[key]
            musts += int(must)
            prio += w
            if key in fixed:
                t = fixed[key]["table"]
            else:
                while nxt[s] in used[s]:
                    nxt[s] += 1
                t = nxt[s]
                used[s].add(t)
            meetings.append({"from": a, "to": b, "slot": s, "table": t})
    json.dump({"meetings": meetings}, open(args.out, "w"))
    bound = solver.BestObjectiveBound()
    print(json.dumps({
        "status": solver.StatusName(status), "time_limit": args.time_limit,
        "workers": args.workers, "musts": musts,
        "musts_total": sum(1 for v in pairs.values() if v[3]),
        "priority_sum": prio, "meetings": len(meetings),
        "objective": solver.ObjectiveValue() if meetings else None,
        "objective_bound": bound, "big": big,
        # Bound on the priority part, given all musts are scheduled (as in milieu's bound,
        # which ignores musts): bound - big * musts_total.
        "priority_bound_if_all_musts": bound - big * sum(1 for v in pairs.values() if v[3]),
        "variables": len(x), "build_seconds": round(build_s, 3),
        "solve_seconds": round(solve_s, 3),
    }))


if __name__ == "__main__":
    main()
