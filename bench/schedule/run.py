#!/usr/bin/env python3
"""Driver of bench/schedule/run.sh: generate events, run CP-SAT and `milieu schedule solve` (the real
CLI binary, wall clock of the whole process), check every schedule with `milieu schedule check`."""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "out")
# milieu's time limit per size: the aims are "< 2 s" (small) and "< 10 s" (large), wall clock
# including reading the file, the bound and writing the schedule.
MILIEU_LIMIT = {"small": 1.5, "large": 8.0}


def run(cmd):
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p, time.time() - t


def check(milieu, event, schedule):
    p, _ = run([milieu, "schedule", "check", "--input", event, "--schedule", schedule])
    lines = p.stderr.strip().splitlines()
    return "valid" if p.returncode == 0 else (lines[0] if lines else p.stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--milieu", required=True, help="the milieu CLI binary (release)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    sizes = os.environ.get("SIZES", "small large").split()
    limits = [int(x) for x in os.environ.get("CPSAT_LIMITS", "60 120").split()]
    seeds = [int(x) for x in os.environ.get("MILIEU_SEEDS", "1 2 3").split()]
    reuse = os.environ.get("REUSE_CPSAT") == "1"
    rows = []
    for size in sizes:
        event = os.path.join(OUT, f"{size}.json")
        g, _ = run([sys.executable, os.path.join(HERE, "gen_event.py"), "--size", size,
                    "--seed", "1", "--out", event])
        print(g.stdout.strip(), flush=True)
        for lim in limits:
            sched = os.path.join(OUT, f"{size}.cpsat{lim}.json")
            log = os.path.join(OUT, f"{size}.cpsat{lim}.log")
            if not (reuse and os.path.exists(log)):
                load = round(os.getloadavg()[0], 2)
                p, wall = run([sys.executable, os.path.join(HERE, "cpsat.py"), "--input", event,
                               "--out", sched, "--time-limit", str(lim), "--workers", "2"])
                if p.returncode != 0:
                    print(p.stderr, file=sys.stderr)
                    sys.exit(1)
                res = json.loads(p.stdout.strip().splitlines()[-1])
                res["wall_seconds"] = round(wall, 2)
                res["load_before"] = load
                with open(log, "w") as f:
                    json.dump(res, f)
            res = json.load(open(log))
            # CP-SAT's objective is big * musts + priority; its bound says something about the
            # priority sum only when it leaves no room for an extra must.
            pb = res.get("priority_bound_if_all_musts")
            if pb is not None and pb >= res["big"]:
                pb = "none (musts open)"
            elif pb is not None:
                pb = int(pb)
            rows.append(dict(size=size, tool=f"CP-SAT {lim}s (2 workers)", musts=res["musts"],
                             musts_total=res["musts_total"], priority=res["priority_sum"],
                             meetings=res["meetings"], bound=pb, load=res.get("load_before"),
                             seconds=res.get("wall_seconds", res["solve_seconds"]),
                             check=check(args.milieu, event, sched), status=res["status"]))
            print(rows[-1], flush=True)
        for seed in seeds:
            sched = os.path.join(OUT, f"{size}.milieu.s{seed}.json")
            load = round(os.getloadavg()[0], 2)
            if os.path.exists(sched):
                os.remove(sched)
            p, wall = run([args.milieu, "schedule", "solve", "--input", event, "--out", sched,
                           "--time-limit", str(MILIEU_LIMIT[size]), "--seed", str(seed)])
            # Exit 2 with the schedule written means must conflicts (listed on stderr).
            if p.returncode not in (0, 2) or not os.path.exists(sched):
                print(p.stdout, p.stderr, file=sys.stderr)
                sys.exit(1)
            st = json.load(open(sched))["stats"]
            res = dict(musts=st["musts_scheduled"], musts_total=st["musts_total"],
                       priority_sum=st["priority_sum"], meetings=st["meetings"],
                       upper_bound=st["priority_upper_bound"], gap_percent=st["gap_percent"],
                       fairness_min=st["fairness_min_meetings"],
                       fairness_at_min=st["fairness_at_min"], idle_gaps=st["idle_gaps"])
            rows.append(dict(size=size, tool=f"milieu seed {seed} (limit {MILIEU_LIMIT[size]}s)",
                             musts=res["musts"], musts_total=res["musts_total"],
                             priority=res["priority_sum"], meetings=res["meetings"],
                             bound=res["upper_bound"], gap=res["gap_percent"],
                             seconds=round(wall, 2), check=check(args.milieu, event, sched),
                             fairness=f'{res["fairness_min"]} ({res["fairness_at_min"]} at min)',
                             load=load,
                             idle=res["idle_gaps"]))
            print(rows[-1], flush=True)

    print()
    print("| event | solver | musts | priority sum | meetings | bound on priority | gap | idle slots | wall s | load avg before | check |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        gap = f'{r["gap"]:.2f}%' if "gap" in r else ""
        print(f'| {r["size"]} | {r["tool"]} | {r["musts"]}/{r["musts_total"]} | {r["priority"]} | '
              f'{r["meetings"]} | {r["bound"]} | {gap} | {r.get("idle", "")} | {r["seconds"]} | {r.get("load")} | {r["check"]} |')
    print()
    for size in sizes:
        cp = {r["tool"]: r for r in rows if r["size"] == size and r["tool"].startswith("CP-SAT")}
        ml = [r for r in rows if r["size"] == size and r["tool"].startswith("milieu")]
        for name, c in cp.items():
            for m in ml:
                print(f'{size}: {m["tool"]} vs {name}: priority {m["priority"]}/{c["priority"]} '
                      f'= {m["priority"] / max(1, c["priority"]):.4f}, musts {m["musts"]}/{c["musts"]}, '
                      f'time {m["seconds"]}s/{c["seconds"]}s = {c["seconds"] / max(1e-9, m["seconds"]):.1f}x faster')


if __name__ == "__main__":
    main()
