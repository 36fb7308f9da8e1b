"""Command generators of the differential tester, one per command family.

Each generator draws one command from a random.Random: a list of arguments (str, or bytes for
binary values) and how its reply is ordered (None: as sent; "set": the top-level elements in any
order; "pairs": field/value pairs in any order; "scan": a SCAN-like [cursor, elements] reply whose
elements are in any order; "scan_pairs": the same with pairs; "doubles": numbers compared within a
relative 1e-12, for the distances GEOSEARCHSTORE STOREDIST leaves as scores, which 7.0 prints
with %.17g and 7.2+ with the shortest text that reads back as the same double, and whose last bit
can differ between glibc's sin/cos/asin and Java's StrictMath; "ttl": a positive integer
compared as such, for EXPIRETIME after a relative expiry, which depends on the moment it ran;
"ties": SORT ALPHA of a set, whose elements alike up to a NUL keep the set's hash order).

Only what is deterministic on both servers is drawn: no random members (SPOP/SRANDMEMBER without
a count that takes everything), no clocks (TTL/PTTL/OBJECT IDLETIME: EXPIRETIME instead), and
floating-point arguments that are short binary fractions, whose digits redis-server 7.0 (%.17g)
and 7.4 (shortest round trip), which Sluice follows, print alike. OBJECT ENCODING is drawn for
hashes and sorted sets only: 7.0 encodes small lists and sets as quicklist/hashtable where 7.2+
(and Sluice) use listpack, and Sluice keeps strings as plain bytes, so it cannot tell the raw
string that APPEND or SETRANGE leaves from an embstr one (it reports what the bytes would be
after SET). OBJECT REFCOUNT is not drawn for the same reason: Sluice reports Redis's shared
integers (0..9999) from the bytes, while Redis's COPY of one, or one that APPEND built, is a
private object of refcount 1. Each family keeps its keys in a
small pool so that commands meet each other's values, plus a key of another type (WRONGTYPE) and a
binary key.
"""

INTS = ["0", "1", "-1", "2", "3", "7", "-3", "10", "100", "-100", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "abc", "", "1.5",
        " 1", "1 ", "0x10", "1e3", "+1", "-0", "007"]
FLOATS = ["0", "0.5", "1.25", "-2.5", "3", "-7", "10.75", "1e3", "1.5e2", "inf", "-inf", "+inf",
          "nan", "1e400", "abc", "", " 1", "0x10", "-0", ".5", "5.", "2.5e-1"]
SMALL_INTS = ["0", "1", "2", "3", "-1", "-2", "5", "10", "-10", "100"]
VALUES = ["", "a", "b", "c", "hello", "world", "1", "2", "10", "-5", "1.5", "x" * 40, "y" * 70,
          b"\x00\xff\x80", "caf\xc3\xa9", " ", "abc def"]


class Gen:
    """Drawing helpers shared by the families."""

    def __init__(self, rng, keys, other):
        self.r = rng
        self.keys = keys
        self.other = other

    def pick(self, xs):
        return self.r.choice(xs)

    def key(self):
        x = self.r.random()
        if x < 0.06:
            return self.other
        if x < 0.09:
            return b"bin\x00key\xff"
        return self.pick(self.keys)

    def keys_n(self, lo=1, hi=3):
        return [self.key() for _ in range(self.r.randint(lo, hi))]

    def int_(self, edge=0.15):
        return self.pick(INTS) if self.r.random() < edge else str(self.r.randint(-20, 20))

    def small(self):
        return self.pick(SMALL_INTS)

    def count(self):
        return str(self.r.randint(0, 6)) if self.r.random() < 0.85 else self.pick(INTS)

    def float_(self):
        if self.r.random() < 0.3:
            return self.pick(FLOATS)
        return str(self.r.randint(-40, 40) / 4)

    def value(self):
        return self.pick(VALUES) if self.r.random() < 0.5 else "v%d" % self.r.randint(0, 12)

    def member(self):
        return "m%d" % self.r.randint(0, 9) if self.r.random() < 0.85 else self.pick(VALUES)

    def field(self):
        return "f%d" % self.r.randint(0, 7) if self.r.random() < 0.9 else self.pick(VALUES)

    def maybe(self, p, *args):
        return list(args) if self.r.random() < p else []


def string(g):
    k = g.key
    c = g.r.randint(0, 33)
    if c == 0: return ["SET", k(), g.value()] + g.maybe(0.2, g.pick(["NX", "XX", "GET", "KEEPTTL"])) + g.maybe(0.1, g.pick(["EX", "PX", "EXAT", "PXAT"]), g.pick(["100000", "0", "-1", "abc", "99999999999999"])), None
    if c == 1: return ["GET", k()], None
    if c == 2: return ["INCR", k()], None
    if c == 3: return ["DECR", k()], None
    if c == 4: return ["INCRBY", k(), g.int_(0.3)], None
    if c == 5: return ["DECRBY", k(), g.int_(0.3)], None
    if c == 6: return ["INCRBYFLOAT", k(), g.float_()], None
    if c == 7: return ["APPEND", k(), g.value()], None
    if c == 8: return ["STRLEN", k()], None
    if c == 9: return ["GETRANGE", k(), g.int_(), g.int_()], None
    if c == 10: return ["SETRANGE", k(), g.pick(["0", "1", "3", "10", "-1", "abc", "536870912"]), g.value()], None
    if c == 11: return ["MSET"] + sum(([k(), g.value()] for _ in range(g.r.randint(1, 3))), []), None
    if c == 12: return ["MGET"] + g.keys_n(1, 4), None
    if c == 13: return ["MSETNX"] + sum(([k(), g.value()] for _ in range(g.r.randint(1, 3))), []), None
    if c == 14: return ["SETNX", k(), g.value()], None
    if c == 15: return ["GETSET", k(), g.value()], None
    if c == 16: return ["GETDEL", k()], None
    if c == 17: return ["GETEX", k()] + g.maybe(0.5, g.pick(["PERSIST", "EX", "PXAT"]), "100000")[:1 if g.r.random() < 0.3 else 2], None
    if c == 18: return ["SETEX", k(), g.pick(["100", "0", "-5", "abc"]), g.value()], None
    if c == 19: return ["PSETEX", k(), g.pick(["100000", "0", "-5", "abc"]), g.value()], None
    if c == 20: return ["LCS", k(), k()] + g.maybe(0.5, g.pick(["LEN", "IDX"])) + g.maybe(0.3, "MINMATCHLEN", g.small()) + g.maybe(0.3, "WITHMATCHLEN"), None
    if c == 21: return ["SUBSTR", k(), g.int_(), g.int_()], None
    if c == 22: return ["EXPIRETIME", k()], "ttl"
    if c == 23: return ["SET", k(), g.int_(0.4)], None
    if c == 24: return ["INCRBYFLOAT", k(), g.pick(["0.5", "-0.25", "1e3", "3"])], None
    if c == 25: return ["SET", k(), g.float_()], None
    if c == 26: return ["TYPE", k()], None
    if c == 27: return ["STRLEN", k()], None
    if c == 28: return ["EXISTS"] + g.keys_n(), None
    if c == 29: return ["DEL"] + g.keys_n(1, 2), None
    if c == 30: return ["STRLEN", k()], None
    if c == 31: return ["SET", k(), g.value(), "EX", "100000", "GET"], None
    return ["GET", k()], None


def bitmap(g):
    k = g.key
    c = g.r.randint(0, 13)
    off = lambda: g.pick(["0", "1", "7", "8", "15", "100", "1000", "-1", "4294967296", "abc"]) if g.r.random() < 0.3 else str(g.r.randint(0, 64))
    bit = lambda: g.pick(["0", "1"]) if g.r.random() < 0.9 else g.pick(["2", "-1", "x"])
    # integer ranges and known units only: 7.0 looked the key up before parsing them (WRONGTYPE, or
    # 0 for a missing key), 7.2+ parse first (Sluice follows)
    rng_ = lambda: g.maybe(0.6, str(g.r.randint(-20, 20)), str(g.r.randint(-20, 20)))
    if c == 0: return ["SETBIT", k(), off(), bit()], None
    if c == 1: return ["GETBIT", k(), off()], None
    if c == 2:
        a = ["BITCOUNT", k()] + rng_()
        return a + (g.maybe(0.4, g.pick(["BYTE", "BIT", "bit"])) if len(a) == 4 else []), None
    if c == 3:
        a = ["BITPOS", k(), bit()]
        if g.r.random() < 0.6:
            a.append(str(g.r.randint(-20, 20)))
            if g.r.random() < 0.6:
                a.append(str(g.r.randint(-20, 20)))
                a += g.maybe(0.4, g.pick(["BYTE", "BIT"]))
        return a, None
    if c == 4: return ["BITOP", g.pick(["AND", "OR", "XOR", "NOT", "and", "NAND"]), k()] + g.keys_n(1, 3), None
    if c == 5: return ["SET", k(), g.pick(VALUES)], None
    if c == 6: return ["GET", k()], None
    if c in (7, 8, 9):
        a = ["BITFIELD", k()]
        for _ in range(g.r.randint(1, 3)):
            t = g.pick(["u8", "i8", "u1", "i5", "u63", "i64", "u64", "i65", "x8", "u16", "i32"])
            o = g.pick(["0", "1", "7", "#1", "#0", "100", "-1", "#x"]) if g.r.random() < 0.4 else str(g.r.randint(0, 40))
            op = g.r.randint(0, 3)
            if op == 0: a += ["GET", t, o]
            elif op == 1: a += ["SET", t, o, g.int_(0.3)]
            elif op == 2: a += ["INCRBY", t, o, g.int_(0.3)]
            else: a += ["OVERFLOW", g.pick(["WRAP", "SAT", "FAIL", "NONE"])]
        return a, None
    if c == 10: return ["BITFIELD_RO", k(), "GET", g.pick(["u8", "i8", "u4", "i64", "u64"]), g.pick(["0", "3", "#1", "-1"])], None
    if c == 11: return ["STRLEN", k()], None
    if c == 12: return ["SETRANGE", k(), g.pick(["0", "2"]), g.pick(VALUES)], None
    return ["APPEND", k(), g.pick(VALUES)], None


def hash_(g):
    k = g.key
    c = g.r.randint(0, 22)
    fv = lambda n: sum(([g.field(), g.value()] for _ in range(n)), [])
    if c in (0, 1): return ["HSET", k()] + fv(g.r.randint(1, 3)), None
    if c == 2: return ["HGET", k(), g.field()], None
    if c == 3: return ["HDEL", k()] + [g.field() for _ in range(g.r.randint(1, 3))], None
    if c == 4: return ["HGETALL", k()], "pairs"
    if c == 5: return ["HKEYS", k()], "set"
    if c == 6: return ["HVALS", k()], "set"
    if c == 7: return ["HLEN", k()], None
    if c == 8: return ["HEXISTS", k(), g.field()], None
    if c == 9: return ["HINCRBY", k(), g.field(), g.int_(0.3)], None
    if c == 10: return ["HINCRBYFLOAT", k(), g.field(), g.float_()], None
    if c == 11: return ["HMGET", k()] + [g.field() for _ in range(g.r.randint(1, 3))], None
    if c == 12: return ["HMSET", k()] + fv(g.r.randint(1, 2)), None
    if c == 13: return ["HSETNX", k(), g.field(), g.value()], None
    if c == 14: return ["HSTRLEN", k(), g.field()], None
    if c == 15: return ["HSCAN", k(), g.pick(["0", "0", "0", "abc"]), "COUNT", "1000"] + g.maybe(0.3, "MATCH", g.pick(["f*", "*1", "[a-f]?", "v*"])), "scan_pairs"
    if c == 16: return ["HSET", k(), g.field(), g.int_(0.2)], None
    if c == 17: return ["HSET", k(), g.field(), g.float_()], None
    if c == 18: return ["OBJECT", "ENCODING", k()], None
    if c == 19: return ["HSET", k(), g.field(), "z" * g.r.choice([10, 65, 100])], None
    if c == 20: return ["DEL", k()], None
    if c == 21: return ["HRANDFIELD", k(), g.pick(["0", "100"]), "WITHVALUES"], "pairs"
    return ["TYPE", k()], None


def list_(g):
    k = g.key
    c = g.r.randint(0, 25)
    vals = lambda: [g.value() for _ in range(g.r.randint(1, 3))]
    idx = lambda: g.int_(0.2)
    if c in (0, 1): return [g.pick(["LPUSH", "RPUSH"]), k()] + vals(), None
    if c == 2: return [g.pick(["LPUSHX", "RPUSHX"]), k()] + vals(), None
    if c == 3: return [g.pick(["LPOP", "RPOP"]), k()] + g.maybe(0.4, g.count()), None
    if c == 4: return ["LRANGE", k(), idx(), idx()], None
    if c == 5: return ["LLEN", k()], None
    if c == 6: return ["LINDEX", k(), idx()], None
    if c == 7: return ["LSET", k(), idx(), g.value()], None
    if c == 8: return ["LINSERT", k(), g.pick(["BEFORE", "AFTER", "after", "MIDDLE"]), g.value(), g.value()], None
    if c == 9: return ["LREM", k(), g.int_(0.1), g.value()], None
    if c == 10: return ["LTRIM", k(), idx(), idx()], None
    if c == 11: return ["RPOPLPUSH", k(), k()], None
    if c == 12: return ["LMOVE", k(), k(), g.pick(["LEFT", "RIGHT"]), g.pick(["LEFT", "RIGHT", "UP"])], None
    if c == 13:
        a = ["LPOS", k(), g.value()]
        for opt in ("RANK", "COUNT", "MAXLEN"):
            if g.r.random() < 0.3:
                # 7.2+ refuses RANK LONG_MIN (Sluice follows), 7.0 took it
                a += [opt, g.int_(0.3).replace("-9223372036854775808", "-9223372036854775807")]
        return a, None
    if c == 14:
        ks = g.keys_n(1, 3)
        return ["LMPOP", str(len(ks)) if g.r.random() < 0.9 else g.pick(["0", "-1", "5"])] + ks + [g.pick(["LEFT", "RIGHT", "MIDDLE"])] + g.maybe(0.5, "COUNT", g.count()), None
    if c == 15:
        ks = g.keys_n(1, 2)
        return [g.pick(["BLPOP", "BRPOP"])] + ks + [g.pick(["0.01", "0.001", "-1", "abc"])], None
    if c == 16: return ["BLMOVE", k(), k(), "LEFT", "RIGHT", "0.01"], None
    if c == 17: return ["BRPOPLPUSH", k(), k(), g.pick(["0.01", "-1"])], None
    if c == 18: return ["RPUSH", k()] + ["e%d" % i for i in range(g.r.randint(1, 140))], None
    if c == 19: return ["LLEN", k()], None
    if c == 20: return ["RPUSH", k(), "w" * g.r.choice([10, 64, 65, 100])], None
    if c == 21: return ["SORT", k()] + g.maybe(0.5, "ALPHA") + g.maybe(0.3, "DESC") + g.maybe(0.3, "LIMIT", g.small(), g.small()), None
    if c == 22: return ["DEL", k()], None
    if c == 23: return ["BLMPOP", "0.01", "1", k(), g.pick(["LEFT", "RIGHT"])] + g.maybe(0.5, "COUNT", g.count()), None
    return ["LRANGE", k(), "0", "-1"], None


def set_(g):
    k = g.key
    c = g.r.randint(0, 24)
    mem = lambda: [g.member() for _ in range(g.r.randint(1, 4))]
    if c in (0, 1): return ["SADD", k()] + mem(), None
    if c == 2: return ["SREM", k()] + mem(), None
    if c == 3: return ["SMEMBERS", k()], "set"
    if c == 4: return ["SISMEMBER", k(), g.member()], None
    if c == 5: return ["SMISMEMBER", k()] + mem(), None
    if c == 6: return ["SCARD", k()], None
    if c == 7: return [g.pick(["SINTER", "SUNION", "SDIFF"])] + g.keys_n(1, 3), "set"
    if c == 8: return [g.pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]), k()] + g.keys_n(1, 3), None
    if c == 9:
        ks = g.keys_n(1, 3)
        return ["SINTERCARD", str(len(ks)) if g.r.random() < 0.9 else g.pick(["0", "-1", "9"])] + ks + g.maybe(0.4, "LIMIT", g.int_(0.3)), None
    if c == 10: return ["SMOVE", k(), k(), g.member()], None
    if c == 11: return ["SSCAN", k(), g.pick(["0", "0", "x"]), "COUNT", "1000"] + g.maybe(0.3, "MATCH", g.pick(["m*", "*1", "[0-5]"])), "scan"
    if c == 12: return ["SADD", k()] + [str(g.r.randint(-5, 600)) for _ in range(g.r.randint(1, 5))], None
    if c == 13: return ["SCARD", k()], None
    if c == 14: return ["SADD", k()] + ["i%d" % i for i in range(g.r.randint(100, 140))], None
    if c == 15: return ["SPOP", k(), "1000"], "set"
    if c == 16: return ["SRANDMEMBER", k(), g.pick(["1000", "0"])], "set"
    if c == 17: return ["SORT", k(), "ALPHA"] + g.maybe(0.3, "DESC"), "ties"
    if c == 18: return ["DEL", k()], None
    if c == 19: return ["SADD", k(), "s" * g.r.choice([10, 64, 65])], None
    if c == 20: return ["SPOP", k(), g.pick(["0", "-1", "abc"])], "set"
    return ["SCARD", k()], None


def sortedset(g):
    k = g.key
    c = g.r.randint(0, 40)
    score_min = lambda: g.pick(["-inf", "+inf", "(1", "(-2.5", "0", "1", "3.5", "(abc", "abc", "(", "5"])
    lex = lambda: g.pick(["-", "+", "[m1", "(m3", "[m5", "(m9", "m1", "[", "(", "[a"])
    # lex ranges are defined on members of one score only: they get a key of their own
    lk = lambda: "zl" if g.r.random() < 0.9 else "nokey"
    if c in (0, 1, 2):
        a = ["ZADD", k()] + g.maybe(0.3, g.pick(["NX", "XX", "GT", "LT", "CH", "INCR"])) + g.maybe(0.1, g.pick(["CH", "GT"]))
        for _ in range(1 if "INCR" in a else g.r.randint(1, 3)):
            a += [g.float_(), g.member()]
        return a, None
    if c == 3: return ["ZSCORE", k(), g.member()], None
    if c == 4: return ["ZMSCORE", k(), g.member(), g.member()], None
    if c == 5: return ["ZINCRBY", k(), g.float_(), g.member()], None
    if c == 6: return ["ZREM", k(), g.member(), g.member()], None
    if c == 7: return ["ZCARD", k()], None
    if c == 8: return ["ZRANGE", k(), g.int_(0.2), g.int_(0.2)] + g.maybe(0.3, "REV") + g.maybe(0.5, "WITHSCORES"), None
    if c == 9: return ["ZRANGE", k(), score_min(), score_min(), "BYSCORE"] + g.maybe(0.3, "REV") + g.maybe(0.3, "LIMIT", g.int_(0.2), g.int_(0.2)) + g.maybe(0.4, "WITHSCORES"), None
    if c == 10: return ["ZRANGE", lk(), lex(), lex(), "BYLEX"] + g.maybe(0.3, "REV") + g.maybe(0.3, "LIMIT", g.int_(0.2), g.int_(0.2)), None
    if c == 11: return [g.pick(["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"]), k(), score_min(), score_min()] + g.maybe(0.4, "WITHSCORES") + g.maybe(0.3, "LIMIT", g.int_(0.2), g.int_(0.2)), None
    if c == 12: return [g.pick(["ZRANGEBYLEX", "ZREVRANGEBYLEX"]), lk(), lex(), lex()] + g.maybe(0.3, "LIMIT", g.int_(0.2), g.int_(0.2)), None
    if c == 13: return ["ZCOUNT", k(), score_min(), score_min()], None
    if c == 14: return ["ZLEXCOUNT", lk(), lex(), lex()], None
    if c == 15: return [g.pick(["ZRANK", "ZREVRANK"]), k(), g.member()], None  # WITHSCORE is 7.2+, None
    if c == 16: return ["ZREMRANGEBYRANK", k(), g.int_(0.2), g.int_(0.2)], None
    if c == 17: return ["ZREMRANGEBYSCORE", k(), score_min(), score_min()], None
    if c == 18: return ["ZREMRANGEBYLEX", lk(), lex(), lex()], None
    if c in (19, 20):
        ks = g.keys_n(1, 3)
        a = [g.pick(["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"]), k(), str(len(ks)) if g.r.random() < 0.9 else g.pick(["0", "-1", "9", "x"])] + ks
        if a[0] != "ZDIFFSTORE":
            a += g.maybe(0.3, "WEIGHTS", *[g.float_() for _ in ks]) + g.maybe(0.3, "AGGREGATE", g.pick(["SUM", "MIN", "MAX", "AVG"]))
        return a, None
    if c == 21:
        ks = g.keys_n(1, 3)
        a = [g.pick(["ZUNION", "ZINTER", "ZDIFF"]), str(len(ks))] + ks
        if a[0] != "ZDIFF":
            a += g.maybe(0.3, "WEIGHTS", *[g.pick(["1", "2", "0.5", "-1", "0"]) for _ in ks]) + g.maybe(0.3, "AGGREGATE", g.pick(["SUM", "MIN", "MAX"]))
        return a + g.maybe(0.5, "WITHSCORES"), None
    if c == 22:
        ks = g.keys_n(1, 3)
        return ["ZINTERCARD", str(len(ks))] + ks + g.maybe(0.3, "LIMIT", g.int_(0.3)), None
    if c == 23: return [g.pick(["ZPOPMIN", "ZPOPMAX"]), k()] + g.maybe(0.5, g.count()), None
    if c == 24:
        ks = g.keys_n(1, 2)
        return ["ZMPOP", str(len(ks))] + ks + [g.pick(["MIN", "MAX", "MID"])] + g.maybe(0.5, "COUNT", g.count()), None
    if c == 25: return [g.pick(["BZPOPMIN", "BZPOPMAX"]), k(), g.pick(["0.01", "-1"])], None
    if c == 26: return ["BZMPOP", "0.01", "1", k(), g.pick(["MIN", "MAX"])] + g.maybe(0.5, "COUNT", g.count()), None
    if c == 27: return ["ZRANGESTORE", k(), k(), g.int_(0.2), g.int_(0.2)], None
    if c == 28: return ["ZSCAN", k(), "0", "COUNT", "1000"] + g.maybe(0.3, "MATCH", g.pick(["m*", "*1"])), "scan_pairs"
    if c == 29: return ["ZADD", k()] + sum(([str(i % 7), "z%d" % i] for i in range(g.r.randint(100, 140))), []), None
    if c == 30: return ["OBJECT", "ENCODING", k()], None
    if c == 31: return ["ZADD", k(), "1", "q" * g.r.choice([10, 64, 65])], None
    if c == 32: return ["ZADD", "zl", "0", g.pick(["a", "b", "c", "d", "e", "m1", "m3", "m5", "", "m9x"])], None
    if c == 33: return ["ZRANGE", k(), "0", "-1", "WITHSCORES"], None
    if c == 34: return ["DEL", k()], None
    if c == 35: return ["ZRANDMEMBER", k(), "1000"], "set"
    return ["ZRANGE", k(), "0", "-1"], None


def hyperloglog(g):
    k = g.key
    c = g.r.randint(0, 7)
    if c in (0, 1, 2): return ["PFADD", k()] + [g.member() if g.r.random() < 0.5 else "e%d" % g.r.randint(0, 3000) for _ in range(g.r.randint(0, 6))], None
    if c == 3: return ["PFADD", k()] + ["b%d" % i for i in range(g.r.randint(200, 800))], None
    if c == 4: return ["PFCOUNT"] + g.keys_n(1, 3), None
    if c == 5: return ["PFMERGE", k()] + g.keys_n(0, 2), None
    if c == 6: return ["GET", k()], None
    return ["SET", k(), g.pick(["HYLL", "x", "HYLL\x01\x00\x00\x00"])] if g.r.random() < 0.1 else ["PFCOUNT", k()], None


def generic(g):
    k = g.key
    c = g.r.randint(0, 27)
    if c in (0, 1): return ["SET", k(), g.value()], None
    if c == 2: return ["RPUSH", k(), g.value()], None
    if c == 3: return ["SADD", k(), g.member()], None
    if c == 4: return ["DEL"] + g.keys_n(1, 3), None
    if c == 5: return ["UNLINK"] + g.keys_n(1, 3), None
    if c == 6: return ["EXISTS"] + g.keys_n(1, 3), None
    if c == 7: return ["TYPE", k()], None
    if c == 8: return ["RENAME", k(), k()], None
    if c == 9: return ["RENAMENX", k(), k()], None
    if c == 10: return ["COPY", k(), k()] + g.maybe(0.4, "REPLACE") + g.maybe(0.2, "DB", g.pick(["1", "0", "99", "x"])), None
    if c == 11: return [g.pick(["EXPIRE", "PEXPIRE"]), k(), g.pick(["100000", "200000", "0", "-1", "abc", "9223372036854775807"])] + g.maybe(0.4, g.pick(["NX", "XX", "GT", "LT", "XX"])), None
    if c == 12: return [g.pick(["EXPIREAT", "PEXPIREAT"]), k(), g.pick(["4000000000", "5000000000000", "1", "0", "-5"])] + g.maybe(0.4, g.pick(["NX", "XX", "GT", "LT"])), None
    if c == 13: return [g.pick(["EXPIRETIME", "PEXPIRETIME"]), k()], "ttl"
    if c == 14: return ["PERSIST", k()], None
    if c == 15: return ["KEYS", g.pick(["*", "k*", "?", "[a-k]*", "str", "*\\*", "k[12]"])], "set"
    if c == 16: return ["SCAN", "0", "COUNT", "1000"] + g.maybe(0.4, "MATCH", g.pick(["k*", "*"])) + g.maybe(0.4, "TYPE", g.pick(["string", "list", "set", "hash", "zset", "nosuch"])), "scan"
    if c == 17: return ["DBSIZE"], None
    if c == 18: return ["MOVE", k(), g.pick(["1", "0", "99", "x"])], None
    if c == 19: return ["TOUCH"] + g.keys_n(1, 3), None
    if c == 20: return ["OBJECT", "FREQ", k()], None
    if c == 21: return ["SELECT", g.pick(["0", "1", "0", "16", "x"])], None
    if c == 22: return ["SWAPDB", g.pick(["0", "1"]), g.pick(["0", "1", "2", "99"])], None
    if c == 23: return ["SET", k(), g.int_(), "PX", g.pick(["100000", "0"])], None
    if c == 24: return ["HSET", k(), g.field(), g.value()], None
    if c == 25: return ["ZADD", k(), "1", g.member()], None
    if c == 26: return ["SORT", k()] + g.maybe(0.5, "ALPHA"), None
    return ["GET", k()], None


def geo(g):
    k = g.key
    c = g.r.randint(0, 12)
    lon = lambda: g.pick(["13.361389", "15.087269", "-122.27652", "0", "180", "-180", "180.1", "abc", "2.2945"]) if g.r.random() < 0.4 else "%.4f" % g.r.uniform(-179, 179)
    lat = lambda: g.pick(["38.115556", "37.502669", "37.805186", "0", "85.05112878", "85.06", "-85.05112878", "abc", "48.8584"]) if g.r.random() < 0.4 else "%.4f" % g.r.uniform(-84, 84)
    unit = lambda: g.pick(["m", "km", "mi", "ft", "KM", "yd"])
    if c in (0, 1, 2):
        a = ["GEOADD", k()] + g.maybe(0.2, g.pick(["NX", "XX", "CH"]))
        for _ in range(g.r.randint(1, 3)):
            a += [lon(), lat(), g.member()]
        return a, None
    if c == 3: return ["GEOPOS", k(), g.member(), g.member()], None
    if c == 4: return ["GEODIST", k(), g.member(), g.member()] + g.maybe(0.6, unit()), None
    if c == 5: return ["GEOHASH", k(), g.member(), g.member()], None
    if c in (6, 7, 8):
        a = ["GEOSEARCH", k()]
        a += ["FROMMEMBER", g.member()] if g.r.random() < 0.5 else ["FROMLONLAT", lon(), lat()]
        a += ["BYRADIUS", g.pick(["100", "500", "5000", "0", "-1", "x"]), unit()] if g.r.random() < 0.6 else ["BYBOX", g.pick(["100", "4000", "20000"]), g.pick(["100", "4000", "20000"]), unit()]
        a += [g.pick(["ASC", "DESC"])]  # without an order the replies' order is the index's
        a += g.maybe(0.4, "COUNT", g.pick(["1", "2", "5", "0", "-1"])) + g.maybe(0.4, "WITHCOORD") + g.maybe(0.4, "WITHDIST") + g.maybe(0.3, "WITHHASH")
        return a, None
    if c == 9:
        a = ["GEOSEARCHSTORE", k(), k(), "FROMLONLAT", lon(), lat(), "BYRADIUS", g.pick(["1000", "50000"]), "km", "ASC"] + g.maybe(0.3, "STOREDIST")
        return a, None
    if c == 10: return ["GEORADIUS", k(), lon(), lat(), g.pick(["100", "5000"]), unit(), "ASC"] + g.maybe(0.4, "WITHDIST") + g.maybe(0.3, "COUNT", "3"), None
    if c == 11: return ["GEORADIUSBYMEMBER", k(), g.member(), g.pick(["100", "5000"]), unit(), "DESC"] + g.maybe(0.4, "WITHCOORD"), None
    return ["ZRANGE", k(), "0", "-1", "WITHSCORES"], "doubles"


FAMILIES = {
    "string": (string, ["k1", "k2", "k3"], ("HSET", "h", "f", "v"), "h"),
    "bitmap": (bitmap, ["b1", "b2", "b3"], ("LPUSH", "l", "x"), "l"),
    "hash": (hash_, ["h1", "h2"], ("SET", "str", "x"), "str"),
    "list": (list_, ["l1", "l2", "l3"], ("SET", "str", "x"), "str"),
    "set": (set_, ["s1", "s2", "s3"], ("SET", "str", "x"), "str"),
    "sortedset": (sortedset, ["z1", "z2", "z3"], ("SET", "str", "x"), "str"),
    "hyperloglog": (hyperloglog, ["p1", "p2", "p3"], ("LPUSH", "l", "x"), "l"),
    "generic": (generic, ["k1", "k2", "k3", "k4"], ("SET", "str", "x"), "str"),
    "geo": (geo, ["g1", "g2"], ("SET", "str", "x"), "str"),
}


def commands(family, rng, n):
    """n commands of the family drawn from rng, after the family's setup: [(args, order)]."""
    gen, keys, setup, other = FAMILIES[family]
    g = Gen(rng, keys, other)
    out = [(list(setup), None)]
    while len(out) < n:
        out.append(gen(g))
    return out
