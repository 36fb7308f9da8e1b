#!/usr/bin/env python3
"""The differential tester: the same generated commands to redis-server and to Sluice, every
reply compared byte for byte (after sorting the replies whose order Redis leaves open).

    tools/golden/difftest.py live FAMILY REDIS_PORT SLUICE_PORT [--seed S] [--count N] [--resp3]
    tools/golden/difftest.py cases FAMILY [--seed S] [--cases C] [--steps N]
    tools/golden/difftest.py families

live: sends N commands (default 100000) of FAMILY (see difftest_families.py) drawn with seed S to
both servers, in cases of 250 commands that start from FLUSHALL, prints the first mismatches with
the commands before them, and exits 1 when there is any. bench/difftest.sh runs it for every family
for as long as you like.

cases: writes proxy/src/test/resources/golden/diff-FAMILY.cases.json, C cases (default 8) of N
steps (default 250) drawn with seed S (default 1); `tools/golden/record.sh diff-FAMILY` records
redis-server's replies into diff-FAMILY.json, which DiffGoldenTest replays against Sluice. Steps
whose reply order is open carry "unordered": set | pairs | scan | scan_pairs. Every other case runs
under RESP3 (HELLO 3 first).
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from difftest_families import FAMILIES, commands  # noqa: E402
from resp_conn import Conn, same  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../proxy/src/test/resources/golden")


def drawn_cases(family, seed, cases, steps):
    rng = random.Random("%s/%d" % (family, seed))
    for i in range(cases):
        yield i % 2 == 1, commands(family, rng, steps)


def arg_json(a):
    return {"hex": a.hex()} if isinstance(a, bytes) else a


def write_cases(a):
    out = []
    for i, (resp3, cmds) in enumerate(drawn_cases(a.family, a.seed, a.cases, a.steps)):
        steps = [{"cmd": ["HELLO", "3"], "any_reply": True}] if resp3 else []
        for args, order in cmds:
            step = {"cmd": [arg_json(x) for x in args]}
            if order:
                step["unordered"] = order
            steps.append(step)
        out.append({"name": "%s seed %d case %d%s" % (a.family, a.seed, i, " (RESP3)" if resp3 else ""), "steps": steps})
    path = os.path.join(GOLDEN, "diff-%s.cases.json" % a.family)
    with open(path, "w") as f:
        json.dump({"generated_by": "tools/golden/difftest.py cases %s --seed %d --cases %d --steps %d" % (a.family, a.seed, a.cases, a.steps), "cases": out}, f, indent=1)
        f.write("\n")
    print("wrote", path)


def live(a):
    redis, sluice = Conn(a.redis_port), Conn(a.sluice_port)
    per_case = 250
    mismatches = 0
    sent = 0
    n_cases = (a.count + per_case - 1) // per_case
    for resp3, cmds in drawn_cases(a.family, a.seed, n_cases, per_case):
        for c in (redis, sluice):
            c.call("FLUSHALL")
            c.call("HELLO", "3" if resp3 and a.resp3 else "2")
        history = []
        for args, order in cmds:
            ra, sa = redis.call(*args), sluice.call(*args)
            sent += 1
            history.append(args)
            if not same(ra, sa, order):
                mismatches += 1
                if mismatches <= a.show:
                    print("--- mismatch %d (command %d, RESP%d)" % (mismatches, sent, 3 if resp3 and a.resp3 else 2))
                    for h in history[-6:-1]:
                        print("    ", h)
                    print("  >", args)
                    at = next((i for i, (x, y) in enumerate(zip(ra, sa)) if x != y), min(len(ra), len(sa)))
                    window = max(0, at - 80)
                    print("  first difference at byte %d%s" % (at, ", shown from %d" % window if window else ""))
                    print("  redis: ", repr(ra[window:window + 300]))
                    print("  sluice:", repr(sa[window:window + 300]))
            if sent >= a.count:
                break
        if sent >= a.count:
            break
    print("%s seed %d: %d commands, %d mismatches" % (a.family, a.seed, sent, mismatches))
    return 1 if mismatches else 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    l = sub.add_parser("live")
    l.add_argument("family", choices=sorted(FAMILIES))
    l.add_argument("redis_port", type=int)
    l.add_argument("sluice_port", type=int)
    l.add_argument("--seed", type=int, default=1)
    l.add_argument("--count", type=int, default=100000)
    l.add_argument("--show", type=int, default=10)
    l.add_argument("--resp3", action="store_true", help="every other case under RESP3")
    c = sub.add_parser("cases")
    c.add_argument("family", choices=sorted(FAMILIES))
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--cases", type=int, default=8)
    c.add_argument("--steps", type=int, default=250)
    sub.add_parser("families")
    a = p.parse_args()
    if a.mode == "families":
        print(" ".join(sorted(FAMILIES)))
        return 0
    if a.mode == "cases":
        write_cases(a)
        return 0
    return live(a)


if __name__ == "__main__":
    sys.exit(main())
