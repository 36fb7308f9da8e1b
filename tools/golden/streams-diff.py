#!/usr/bin/env python3
"""Sends the same random stream commands to redis-server and to Sluice and compares every reply.

    tools/golden/streams-diff.py REDIS_PORT SLUICE_PORT [SEED [COMMANDS [PROTOCOL]]]

Explicit IDs only (no clock), three keys, two groups, three consumers; about 5% of the commands
get one argument replaced by a bad one. Idle times in XPENDING are masked and XINFO STREAM FULL is
not compared (clock times). Expected differences against a 7.0 redis-server, where Sluice answers
as 7.4: "+" IDs in XREAD/XREADGROUP, and consumers that XCLAIM / XAUTOCLAIM create even when they
claim nothing (seen in XINFO GROUPS' consumer count; the consumers are created up front to keep
that rare). Prints the first mismatches and their count.
"""
import os, random, sys, re

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp_conn import Conn  # noqa: E402

by_command = {}
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
a, b = Conn(int(sys.argv[1])), Conn(int(sys.argv[2]))
keys = ["s", "t", "u"]; groups = ["g", "h"]; consumers = ["c1", "c2", "c3"]
def rid():
    r = rng.random()
    if r < 0.1: return rng.choice(["-", "+", "0", "0-0"])
    ms = rng.randint(0, 40)
    return "%d-%d" % (ms, rng.randint(0, 3)) if rng.random() < 0.8 else str(ms)
def sid():
    ms = rng.randint(1, 40); return "%d-%d" % (ms, rng.randint(0, 3))
BAD = ["x", "-1", "(", "(0-0", "18446744073709551616", "", "1-*", "$", ">", "+"]
def gen():
    cmd = gen1()
    if rng.random() < 0.05:
        i = rng.randrange(1, len(cmd)); cmd[i] = rng.choice(BAD)
    return cmd
def gen1():
    k = rng.choice(keys); g = rng.choice(groups); c = rng.choice(consumers)
    r = rng.randrange(19)
    if r <= 4:
        cmd = ["XADD", k]
        if rng.random() < 0.2: cmd.append("NOMKSTREAM")
        if rng.random() < 0.25:
            cmd += [rng.choice(["MAXLEN", "MINID"])] + ([rng.choice(["=", "~"])] if rng.random() < 0.5 else [])
            cmd += [str(rng.randint(0, 12))] if cmd[-1] in ("MAXLEN", "=", "~") and "MAXLEN" in cmd else [sid()]
        idc = sid() if rng.random() < 0.8 else "%d-*" % rng.randint(1, 40)
        cmd.append(idc)
        for _ in range(rng.randint(1, 3)): cmd += [rng.choice(["f", "g", "h"]), str(rng.randint(0, 99))]
        return cmd
    if r == 5: return ["XDEL", k] + [sid() for _ in range(rng.randint(1, 3))]
    if r == 6: return ["XTRIM", k, rng.choice(["MAXLEN", "MINID"])] + ([rng.choice(["=", "~"])] if rng.random() < 0.5 else []) + [str(rng.randint(0, 10)) if rng.random() < 0.5 else sid()]
    if r == 7: return [rng.choice(["XRANGE", "XREVRANGE"]), k, rid(), rid()] + (["COUNT", str(rng.randint(-1, 5))] if rng.random() < 0.5 else [])
    if r == 8: return ["XREAD"] + (["COUNT", str(rng.randint(0, 4))] if rng.random() < 0.5 else []) + ["STREAMS", k, rng.choice(["0", sid(), "$"])]
    if r == 9: return ["XREADGROUP", "GROUP", g, c] + (["COUNT", str(rng.randint(0, 4))] if rng.random() < 0.5 else []) + (["NOACK"] if rng.random() < 0.2 else []) + ["STREAMS", k, rng.choice([">", ">", "0", sid()])]
    if r == 10: return ["XACK", k, g] + [sid() for _ in range(rng.randint(1, 3))]
    if r == 11: return ["XPENDING", k, g] if rng.random() < 0.5 else ["XPENDING", k, g, rid(), rid(), str(rng.randint(0, 5))] + ([c] if rng.random() < 0.4 else [])
    if r == 12: return ["XCLAIM", k, g, c, "0"] + [sid() for _ in range(rng.randint(1, 3))] + (["JUSTID"] if rng.random() < 0.3 else []) + (["FORCE"] if rng.random() < 0.2 else []) + (["RETRYCOUNT", "3"] if rng.random() < 0.2 else [])
    if r == 13: return ["XAUTOCLAIM", k, g, c, "0", rid(), "COUNT", str(rng.randint(1, 4))] + (["JUSTID"] if rng.random() < 0.3 else [])
    if r == 14: return ["XGROUP", "CREATE", k, g, rng.choice(["$", "0", sid()]), "MKSTREAM"]
    if r == 15: return ["XGROUP", "SETID", k, g, rng.choice(["$", "0", sid()])]
    if r == 16: return rng.choice([["XGROUP", "DESTROY", k, g], ["XGROUP", "DELCONSUMER", k, g, c], ["XLEN", k]])
    if r == 17: return ["XINFO", rng.choice(["STREAM", "GROUPS"]), k] if rng.random() < 0.8 else ["XGROUP", "CREATE", k, g, "0"]
    return ["XINFO", "STREAM", k, "FULL"]
IDLE = re.compile(r"(:\d+\r\n)")
def norm(cmd, r):
    if cmd[0] == "XPENDING" and len(cmd) > 3:  # idle ms
        return re.sub(r"(\$\d+\r\n[^\r]*\r\n):\d+\r\n(:\d+\r\n)", r"\1:IDLE\r\n\2", r)
    if cmd[:2] == ["XINFO", "STREAM"] and "FULL" in cmd:
        return None  # times; compared by structure elsewhere
    return r
for conn in (a, b):
    conn.call("FLUSHALL")
    if len(sys.argv) > 5: conn.call("HELLO", sys.argv[5])
n = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
bad = 0
for i in range(n):
    cmd = gen()
    ra, rb = a.call(*cmd), b.call(*cmd)
    # consumers exist up front in 7.4 (XCLAIM/XAUTOCLAIM create them before the work)
    if cmd[0] == "XGROUP" and cmd[1] == "CREATE" and ra.startswith("+OK"):
        for c in consumers:
            a.call("XGROUP", "CREATECONSUMER", cmd[2], cmd[3], c); b.call("XGROUP", "CREATECONSUMER", cmd[2], cmd[3], c)
    if cmd[0] == "XGROUP" and cmd[1] == "DELCONSUMER":
        a.call("XGROUP", "CREATECONSUMER", cmd[2], cmd[3], cmd[4]); b.call("XGROUP", "CREATECONSUMER", cmd[2], cmd[3], cmd[4])
    na, nb = norm(cmd, ra), norm(cmd, rb)
    if na != nb:
        bad += 1
        name = " ".join(cmd[:2]) if cmd[0] in ("XINFO", "XGROUP") else cmd[0]
        by_command[name] = by_command.get(name, 0) + 1
        if by_command[name] <= 3: print("MISMATCH", i, cmd, "\n  redis:", repr(ra)[:300], "\n  sluice:", repr(rb)[:300])
        if cmd[:2] == ["XINFO", "GROUPS"] and bad <= 2:
            for gname in groups:
                print("   ", gname, re.findall(r"name\r\n\$\d+\r\n([^\r]*)", a.call("XINFO", "CONSUMERS", cmd[2], gname)), re.findall(r"name\r\n\$\d+\r\n([^\r]*)", b.call("XINFO", "CONSUMERS", cmd[2], gname)))
print("commands", n, "mismatches", bad)
for name, count in sorted(by_command.items(), key=lambda kv: -kv[1]):
    print("  %6d  %s" % (count, name))
