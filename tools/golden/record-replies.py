#!/usr/bin/env python3
"""Records a real redis-server's exact replies to scripted cases, for Sluice's golden-file tests.

    tools/golden/record-replies.py CASES.json OUT.json [--port 6379]

CASES.json: {"users": {"name": ["password", "acl rule", ...]}, "setup": [[cmd...]...],
             "cases": [{"name": "...", "steps": [{"user": "name", "cmd": ["EVAL", "...", "0"]}]}]}

For every case, the default user runs FLUSHALL, SCRIPT FLUSH and the setup commands; then each step
runs on a connection authenticated as its user (one connection per user and case, kept across the
case's steps). OUT.json is the cases with each step's reply added as "reply": the reply's RESP bytes,
decoded as Latin-1 so that every byte survives. The users are created with ACL SETUSER first, so
that the replies are redis-server's for the same rights the test gives Sluice's users.

An argument written {"hex": "48594c4c"} is sent as those bytes (for binary values). A step with
"dirty": true gets "dirty": N instead, N being how much rdb_changes_since_last_save (INFO
persistence) grew since the previous step so marked on its connection, or since the connection was
opened: over the command itself, or over a whole MULTI ... EXEC when EXEC is the marked step (INFO
cannot run inside MULTI).

A step with "no_reply": true is sent without waiting for a reply (CLIENT REPLY OFF or SKIP, and the
commands whose replies they drop); it is recorded with "reply": "". Should the server answer it
after all, that reply is what the next step reads, and the recording shows it there.

A step with "conn": "name" runs on a connection of that name (per user and case; the default is
the user's first one), so that one client can watch what another's commands send it (CLIENT
TRACKING's invalidations). A step with "read": true and no "cmd" sends nothing and records the
next message that arrives on its connection (a push). A step with "save": "name" keeps its
integer reply (CLIENT ID) for later steps, whose arguments "${name}" stand for it; such a step is
usually "any_reply", since ids differ between servers.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resp_conn  # noqa: E402


class Conn(resp_conn.Conn):
    def dirty(self):
        info = self.call("INFO", "persistence")
        return int(info.split("rdb_changes_since_last_save:")[1].split("\r\n")[0])


def substitute(arg, saved):
    """An argument with "${name}" in it, for a value a previous step saved."""
    if isinstance(arg, str):
        for name, value in saved.items():
            arg = arg.replace("${" + name + "}", value)
    return arg


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cases")
    p.add_argument("out")
    p.add_argument("--port", type=int, default=6379)
    a = p.parse_args()
    spec = json.load(open(a.cases))
    admin = Conn(a.port)
    for name, rules in spec.get("users", {}).items():
        admin.call("ACL", "DELUSER", name)
        ok = admin.call("ACL", "SETUSER", name, "on", ">" + rules[0], "~*", "&*", *rules[1:])
        assert ok == "+OK\r\n", ok
    version = admin.call("INFO", "server").split("redis_version:")[1].split("\r\n")[0]
    for case in spec["cases"]:
        assert admin.call("FLUSHALL") == "+OK\r\n"
        assert admin.call("SCRIPT", "FLUSH") == "+OK\r\n"
        for cmd in spec.get("setup", []):
            admin.call(*cmd)
        conns = {}
        dirty = {}
        counts_dirty = any(step.get("dirty") for step in case["steps"])
        saved = {}
        for step in case["steps"]:
            user = step.get("user", "default")
            key = (user, step.get("conn", ""))
            if key not in conns:
                conns[key] = Conn(a.port)
                if user != "default":
                    password = spec["users"][user][0]
                    assert conns[key].call("AUTH", user, password) == "+OK\r\n"
                if counts_dirty:
                    dirty[key] = conns[key].dirty()
            conn = conns[key]
            cmd = [substitute(arg, saved) for arg in step.get("cmd", [])]
            if step.get("read"):
                step["reply"] = conn.read()
            elif step.get("no_reply"):
                conn.send(*cmd)
                step["reply"] = ""
            else:
                step["reply"] = conn.call(*cmd)
            if "save" in step:
                saved[step["save"]] = step["reply"][1:].strip()
            if step.get("dirty"):
                now = conn.dirty()
                step["dirty"] = now - dirty[key]
                dirty[key] = now
        for c in conns.values():
            c.close()
    spec["recorded_from"] = "redis-server " + version
    with open(a.out, "w") as f:
        json.dump(spec, f, indent=1, ensure_ascii=True)
        f.write("\n")
    admin.close()


if __name__ == "__main__":
    main()
