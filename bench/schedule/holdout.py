#!/usr/bin/env python3
"""Held-out check of solution quality: events the solver was not tuned on (other seeds of the
small shape, and the medium shape), milieu (short time limit) against CP-SAT (2 workers), both
checked. Usage (after run.sh has built the examples):
  bench/.venv/bin/python bench/schedule/holdout.py --bin target/release/examples [--cpsat-limit 60]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "out", "holdout")
CASES = [("medium", s) for s in (11, 12, 13)] + [("small", s) for s in (21, 22, 23)]
MILIEU_LIMIT = {"medium": 1.0, "small": 1.5}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--cpsat-limit", type=float, default=60)
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    print("| event | seed | accepted | CP-SAT status | CP-SAT musts | CP-SAT priority | milieu musts | milieu priority | milieu bound | milieu s | checks |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, seed in CASES:
        ev = os.path.join(OUT, f"{size}-{seed}.json")
        g = subprocess.run([sys.executable, os.path.join(HERE, "gen_event.py"), "--size", size,
                            "--seed", str(seed), "--out", ev], capture_output=True, text=True, check=True)
        info = json.loads(g.stdout)
        cp_s = os.path.join(OUT, f"{size}-{seed}.cpsat.json")
        cp = json.loads(subprocess.run([sys.executable, os.path.join(HERE, "cpsat.py"), "--input", ev,
                                        "--out", cp_s, "--time-limit", str(args.cpsat_limit)],
                                       capture_output=True, text=True, check=True).stdout)
        ml_s = os.path.join(OUT, f"{size}-{seed}.milieu.json")
        ml = json.loads(subprocess.run([os.path.join(args.bin, "solve"), "--input", ev, "--out", ml_s,
                                        "--time-limit", str(MILIEU_LIMIT[size]), "--seed", "1"],
                                       capture_output=True, text=True).stdout)
        checks = []
        for sch in (cp_s, ml_s):
            c = subprocess.run([os.path.join(args.bin, "check"), "--input", ev, "--schedule", sch],
                               capture_output=True, text=True)
            checks.append("valid" if c.returncode == 0 else "INVALID")
        print(f'| {size} | {seed} | {info["accepted"]} | {cp["status"]} | {cp["musts"]}/{cp["musts_total"]} | '
              f'{cp["priority_sum"]} | {ml["musts"]}/{ml["musts_total"]} | {ml["priority_sum"]} | '
              f'{ml["upper_bound"]} | {ml["total_seconds"]} | {"/".join(checks)} |', flush=True)


if __name__ == "__main__":
    main()
