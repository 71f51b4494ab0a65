#!/usr/bin/env python3
"""Generate a realistic brokerage event (milieu schedule input contract).

Realism, all from parameters below (seeded, deterministic):
- popularity skew: every participant has a log-normal attractiveness; requests go to
  attractive participants far more often (a few "star" buyers get dozens of requests);
- roles: buyers request suppliers and suppliers request buyers (x4 weight), "any" anyone;
  nobody requests a colleague of the same organisation;
- partial availability: most people stay all day, some leave after lunch or arrive late,
  some have scattered gaps (other commitments);
- limits: max_meetings drawn from what platforms offer (4..12 or "all slots");
- answers: a share of requests is accepted, some stay pending, the rest are declined (dropped);
- priorities 1..3 (1 most common), a few `must` meetings set by the organiser, a few meetings
  fixed by the organiser to a slot and table.

Usage: gen_event.py --size medium|small|large [--seed N] --out EVENT.json
  medium: 120 participants, 10 slots, 30 tables (held out: not used for tuning)
  small: 300 participants, 12 slots, 60 tables  (~1,400 accepted requests)
  large: 2,000 participants, 16 slots, 400 tables (~10,000 accepted requests)
"""
import argparse
import json
import math
import random

SIZES = {
    # participants, slots, tables, mean requests sent per participant
    # "medium" is a held-out shape (never used to tune the solver), for bench/schedule/holdout.py.
    "medium": dict(participants=120, slots=10, tables=30, mean_requests=6.0),
    "small": dict(participants=300, slots=12, tables=60, mean_requests=6.6),
    "large": dict(participants=2000, slots=16, tables=400, mean_requests=6.85),
}

PARAMS = dict(
    popularity_sigma=1.0,  # log-normal sigma of attractiveness
    role_shares={"buyer": 0.3, "supplier": 0.45, "any": 0.25},
    complementary_weight=4.0,  # buyer<->supplier requests are this much more likely
    people_per_org=1.4,
    accept=0.72,
    pending=0.10,  # the rest (0.18) declined
    priority_shares={1: 0.5, 2: 0.3, 3: 0.2},
    must_share=0.015,
    availability={"full": 0.62, "morning": 0.14, "afternoon": 0.12, "gaps": 0.12},
    gap_keep=0.75,  # "gaps" people are available in each slot with this probability
    max_meetings={4: 0.1, 6: 0.25, 8: 0.3, 10: 0.15, 12: 0.1, "all": 0.1},
    fixed_meetings={"medium": 2, "small": 4, "large": 12},
    slot_minutes=20,
    break_minutes=60,  # lunch after half of the slots
)


def weighted_choice(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def generate(size, seed):
    cfg = SIZES[size]
    rng = random.Random(seed)
    n, ns, tables = cfg["participants"], cfg["slots"], cfg["tables"]

    slots = []
    minute = 9 * 60
    for k in range(ns):
        if k == ns // 2:
            minute += PARAMS["break_minutes"]
        slots.append(
            {"id": f"s{k + 1}", "start": f"2026-03-10T{minute // 60:02d}:{minute % 60:02d}",
             "minutes": PARAMS["slot_minutes"]}
        )
        minute += PARAMS["slot_minutes"]

    n_orgs = max(1, int(n / PARAMS["people_per_org"]))
    people = []
    for i in range(n):
        role = weighted_choice(rng, PARAMS["role_shares"])
        kind = weighted_choice(rng, PARAMS["availability"])
        if kind == "full":
            avail = list(range(ns))
        elif kind == "morning":
            avail = list(range(rng.randint(ns // 2, ns - 2)))
        elif kind == "afternoon":
            avail = list(range(rng.randint(2, ns // 2), ns))
        else:
            avail = [k for k in range(ns) if rng.random() < PARAMS["gap_keep"]] or [rng.randrange(ns)]
        mm = weighted_choice(rng, PARAMS["max_meetings"])
        mm = ns if mm == "all" else min(mm, ns)
        people.append({
            "id": f"p{i + 1}",
            "org": f"o{rng.randrange(n_orgs) + 1}",
            "available": [slots[k]["id"] for k in avail],
            "max_meetings": mm,
            "role": role,
            "_attr": math.exp(rng.gauss(0.0, PARAMS["popularity_sigma"])),
        })

    def affinity(a, b):
        if a["org"] == b["org"]:
            return 0.0
        w = b["_attr"]
        if {a["role"], b["role"]} == {"buyer", "supplier"}:
            w *= PARAMS["complementary_weight"]
        return w

    requests = []
    pairs = set()
    ids = list(range(n))
    for i, a in enumerate(people):
        # Number of requests sent: geometric-like around the mean, at least 1.
        k = 1 + int(rng.expovariate(1.0 / (cfg["mean_requests"] - 0.5)))
        weights = [affinity(a, people[j]) if j != i else 0.0 for j in ids]
        if sum(weights) == 0:
            continue
        targets = set()
        tries = 0
        while len(targets) < k and tries < 10 * k:
            tries += 1
            j = rng.choices(ids, weights=weights)[0]
            targets.add(j)
        for j in sorted(targets):
            key = (min(i, j), max(i, j))
            if key in pairs:
                continue
            pairs.add(key)
            r = rng.random()
            if r < PARAMS["accept"]:
                status = "accepted"
            elif r < PARAMS["accept"] + PARAMS["pending"]:
                status = "pending"
            else:
                continue  # declined
            requests.append({
                "from": a["id"], "to": people[j]["id"],
                "priority": weighted_choice(rng, PARAMS["priority_shares"]),
                "status": status,
                "must": status == "accepted" and rng.random() < PARAMS["must_share"],
            })

    # A few organiser-fixed meetings among accepted requests, without conflicts.
    fixed = []
    used_person_slot = set()
    used_table_slot = set()
    count = {}
    index = {p["id"]: p for p in people}
    accepted = [r for r in requests if r["status"] == "accepted"]
    rng.shuffle(accepted)
    for r in accepted:
        if len(fixed) >= PARAMS["fixed_meetings"][size]:
            break
        a, b = index[r["from"]], index[r["to"]]
        common = [s for s in a["available"] if s in set(b["available"])]
        common = [s for s in common
                  if (a["id"], s) not in used_person_slot and (b["id"], s) not in used_person_slot]
        if not common or count.get(a["id"], 0) >= a["max_meetings"] or count.get(b["id"], 0) >= b["max_meetings"]:
            continue
        s = rng.choice(common)
        t = rng.randint(1, tables)
        if (s, t) in used_table_slot:
            continue
        fixed.append({"from": a["id"], "to": b["id"], "slot": s, "table": t})
        used_person_slot.update({(a["id"], s), (b["id"], s)})
        used_table_slot.add((s, t))
        count[a["id"]] = count.get(a["id"], 0) + 1
        count[b["id"]] = count.get(b["id"], 0) + 1

    for p in people:
        del p["_attr"]
    return {
        "name": f"Synthetic brokerage event ({size}, seed {seed})",
        "slots": slots, "tables": tables, "participants": people,
        "requests": requests, "fixed": fixed,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=sorted(SIZES), required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    event = generate(args.size, args.seed)
    with open(args.out, "w") as f:
        json.dump(event, f)
    acc = sum(1 for r in event["requests"] if r["status"] == "accepted")
    print(json.dumps({"size": args.size, "seed": args.seed,
                      "participants": len(event["participants"]),
                      "slots": len(event["slots"]), "tables": event["tables"],
                      "accepted": acc, "pending": len(event["requests"]) - acc,
                      "musts": sum(1 for r in event["requests"] if r["must"]),
                      "fixed": len(event["fixed"])}))


if __name__ == "__main__":
    main()
