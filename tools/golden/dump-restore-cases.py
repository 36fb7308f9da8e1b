#!/usr/bin/env python3
"""Writes proxy/src/test/resources/golden/dump-restore.cases.json, the cases of DumpRestoreGoldenTest.

    tools/golden/dump-restore-cases.py && tools/golden/record.sh dump-restore

RESTORE needs payloads in the cases themselves: those of redis-server are taken from a throw-away
redis-server started here (DUMP of the same values), the older encodings (ziplist, quicklist v1,
text scores) and Redis 7.2/7.4's (SET_LISTPACK, RDB version 11 and 12) are built here, with their
CRC-64. redis-server 7.0 refuses versions above 10: those steps carry 7.4's reply (redis_7_4).
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resp_conn  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../proxy/src/test/resources/golden')


def crc64(data):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x95ac9329ac4bc9b5 if crc & 1 else crc >> 1
    return crc


def payload(obj, version=10):
    body = obj + bytes([version & 0xff, version >> 8])
    return body + crc64(body).to_bytes(8, 'little')


def rdb_len(n):
    if n < 64:
        return bytes([n])
    if n < 16384:
        return bytes([0x40 | (n >> 8), n & 0xff])
    return b'\x80' + n.to_bytes(4, 'big')


def rdb_str(s):
    return rdb_len(len(s)) + s


def ziplist(entries):
    body = b''
    prev = 0
    last = 10
    for e in entries:
        head = bytes([prev]) if prev < 254 else b'\xfe' + prev.to_bytes(4, 'little')
        if isinstance(e, int):
            enc = bytes([0xf1 + e]) if 0 <= e <= 12 else b'\xfe' + e.to_bytes(1, 'little', signed=True)
        else:
            enc = bytes([len(e)]) + e
        last = 10 + len(body)
        body += head + enc
        prev = len(head + enc)
    total = 10 + len(body) + 1
    return total.to_bytes(4, 'little') + last.to_bytes(4, 'little') + len(entries).to_bytes(2, 'little') + body + b'\xff'


def listpack(entries):
    body = b''
    for e in entries:
        enc = bytes([e]) if isinstance(e, int) else bytes([0x80 | len(e)]) + e
        body += enc + bytes([len(enc)])
    total = 6 + len(body) + 1
    return total.to_bytes(4, 'little') + len(entries).to_bytes(2, 'little') + body + b'\xff'


def h(b):
    return {'hex': b.hex()}


BUILD = [
    ['SET', 'str', 'hello'], ['SET', 'int', '12345'], ['SET', 'neg', '-7'], ['SET', 'big', '9999999999'],
    ['SET', 'long', 'abc' * 40], ['PFADD', 'hll', 'a', 'b', 'c'],
    ['RPUSH', 'list', 'a', '1', '-5', '300', '70000', '-9000000000', 'x' * 70],
    ['RPUSH', 'biglist'] + ['element-%d' % i for i in range(1200)],
    ['SADD', 'intset', '3', '1', '2'], ['SADD', 'intset32', '1', '100000', '-5'],
    ['SADD', 'intset64', '1', '10000000000'], ['SADD', 'oneset', 'a'],
    ['HSET', 'hash', 'f1', 'v1', 'f2', '2', 'f3', '-3'], ['HSET', 'onebig', 'f', 'v' * 100],
    ['ZADD', 'zset', '1', 'a', '1.5', 'b', '-2', 'c', 'inf', 'd', '-inf', 'e'],
    ['ZADD', 'bigz'] + [x for i in range(150) for x in (str(i * 0.25), 'member%d' % i)],
    ['ZADD', 'longmember', '1', 'm' * 100, '2', 'n'],
    ['XADD', 'stream', '1-1', 'f', 'v', 'n', '1'],
]
# further entries of 'stream', added before its DUMP: same fields, other fields, a new node at 100
STREAM = [['XADD', 'stream', '%d-%d' % (i // 3 + 1, i % 3), 'other' if i % 7 == 0 else 'f', 'v%d' % i, 'n', str(i)]
          for i in range(3, 130)]
GROUPS = [['XGROUP', 'CREATE', 'stream', 'grp', '0'],
          ['XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>'],
          ['XGROUP', 'CREATECONSUMER', 'stream', 'grp', 'bob'], ['XACK', 'stream', 'grp', '1-1']]
READ = {
    'string': lambda k: [['GET', k], ['STRLEN', k]],
    'list': lambda k: [['LLEN', k], ['LRANGE', k, '0', '9'], ['LRANGE', k, '-3', '-1']],
    'set': lambda k: [['SCARD', k], ['SMISMEMBER', k, '1', '2', '3', 'a', '100000', '10000000000', '-5']],
    'hash': lambda k: [['HLEN', k], ['HGETALL', k]],
    'zset': lambda k: [['ZCARD', k], ['ZRANGE', k, '0', '4', 'WITHSCORES'], ['ZRANGE', k, '-2', '-1', 'WITHSCORES']],
    'stream': lambda k: [['XLEN', k], ['XRANGE', k, '-', '+', 'COUNT', '5'], ['XREVRANGE', k, '+', '-', 'COUNT', '3'],
                         ['XINFO', 'GROUPS', k], ['XPENDING', k, 'grp'], ['XPENDING', k, 'grp', '-', '+', '10', 'bob']],
}
TYPES = {'SET': 'string', 'PFADD': 'string', 'RPUSH': 'list', 'SADD': 'set', 'HSET': 'hash', 'ZADD': 'zset', 'XADD': 'stream'}


def redis_payloads():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    d = tempfile.mkdtemp()
    p = subprocess.Popen(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                          '--appendonly', 'no', '--dir', d], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                c = resp_conn.Conn(port)
                break
            except OSError:
                time.sleep(0.05)
        out = {}
        for cmd in BUILD:
            c.call(*cmd)
            if cmd[1] == 'stream':
                for extra in STREAM + GROUPS:
                    c.call(*extra)
            reply = c.call('DUMP', cmd[1]).encode('latin-1')
            out[cmd[1]] = reply[reply.index(b'\r\n') + 2:-2]
        return out
    finally:
        p.terminate()
        p.wait()


def main():
    dumps = redis_payloads()
    cases = []
    for cmd in BUILD:
        key = cmd[1]
        extra = [{'cmd': x} for x in STREAM] if key == 'stream' else []
        cases.append({'name': 'DUMP ' + key, 'steps': [{'cmd': cmd}] + extra + [{'cmd': ['DUMP', key]}]})
    for cmd in BUILD:
        key = cmd[1]
        steps = [{'cmd': ['RESTORE', key, '0', h(dumps[key])], 'dirty': True}, {'cmd': ['TYPE', key]}]
        steps += [{'cmd': r} for r in READ[TYPES[cmd[0]]](key)]
        cases.append({'name': 'RESTORE ' + key + ' from redis-server', 'steps': steps})

    old = {
        'LIST (1)': (b'\x01' + rdb_len(3) + rdb_str(b'a') + rdb_str(b'b') + b'\xc0\x07', 'list'),
        'LIST_ZIPLIST (10)': (b'\x0a' + rdb_str(ziplist([b'a', 5, -100, b'bcd'])), 'list'),
        'LIST_QUICKLIST (14)': (b'\x0e' + rdb_len(2) + rdb_str(ziplist([b'a', 1])) + rdb_str(ziplist([b'z'])), 'list'),
        'ZSET (3) text scores': (b'\x03' + rdb_len(3) + rdb_str(b'a') + b'\x031.5' + rdb_str(b'b') + b'\xfe'
                                 + rdb_str(b'c') + b'\xff', 'zset'),
        'ZSET_ZIPLIST (12)': (b'\x0c' + rdb_str(ziplist([b'a', 1, b'b', b'2.5'])), 'zset'),
        'HASH_ZIPLIST (13)': (b'\x0d' + rdb_str(ziplist([b'f', b'v', b'g', 7])), 'hash'),
        'SET (2)': (b'\x02' + rdb_len(2) + rdb_str(b'a') + rdb_str(b'1'), 'set'),
    }
    for name, (obj, kind) in old.items():
        steps = [{'cmd': ['RESTORE', 'k', '0', h(payload(obj))]}, {'cmd': ['TYPE', 'k']}]
        steps += [{'cmd': r} for r in READ[kind]('k')]
        cases.append({'name': 'RESTORE older encoding ' + name, 'steps': steps})

    ok = '+OK\r\n'
    newer = [
        ('SET_LISTPACK (20), version 11', payload(b'\x14' + rdb_str(listpack([b'a', b'b'])), 11),
         [['SCARD', 'k'], ['SISMEMBER', 'k', 'b']], [':2\r\n', ':1\r\n']),
        ('string, version 12', payload(b'\x00' + rdb_str(b'v'), 12), [['GET', 'k']], ['$1\r\nv\r\n']),
    ]
    for name, p, reads, replies74 in newer:
        steps = [{'cmd': ['RESTORE', 'k', '0', h(p)], 'redis_7_4': ok}]
        steps += [{'cmd': r, 'redis_7_4': x} for r, x in zip(reads, replies74)]
        cases.append({'name': 'RESTORE Redis 7.2/7.4 payload ' + name, 'steps': steps})

    # a Redis 7.2 stream (STREAM_LISTPACKS_3, consumers with an active time): entry 1-1 f=v, group
    # g at 1-1 with it pending for consumer c
    raw_id = (1).to_bytes(8, 'big') + (1).to_bytes(8, 'big')
    millis = (1700000000000).to_bytes(8, 'little')
    stream3 = (b'\x15' + rdb_len(1) + rdb_str(raw_id) + rdb_str(listpack([1, 0, 1, b'f', 0, 2, 0, 0, b'v', 4]))
               + rdb_len(1) + b'\x01\x01' + b'\x01\x01' + b'\x00\x00' + rdb_len(1)
               + rdb_len(1) + rdb_str(b'g') + b'\x01\x01' + rdb_len(1)
               + rdb_len(1) + raw_id + millis + rdb_len(1)
               + rdb_len(1) + rdb_str(b'c') + millis + millis + rdb_len(1) + raw_id)
    cases.append({'name': 'RESTORE Redis 7.2/7.4 payload STREAM_LISTPACKS_3 (21), version 11', 'steps': [
        {'cmd': ['RESTORE', 'k', '0', h(payload(stream3, 11))], 'redis_7_4': ok},
        {'cmd': ['XRANGE', 'k', '-', '+'], 'redis_7_4': '*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n'},
        {'cmd': ['XPENDING', 'k', 'g'],
         'redis_7_4': '*4\r\n:1\r\n$3\r\n1-1\r\n$3\r\n1-1\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n'},
    ]})

    good = payload(b'\x00' + rdb_str(b'v'))
    bad_crc = good[:-1] + bytes([good[-1] ^ 1])
    cases.append({'name': 'RESTORE errors', 'steps': [{'cmd': c} for c in [
        ['DUMP', 'missing'],
        ['RESTORE', 'k', '0'],
        ['SET', 'k', 'x'],
        ['RESTORE', 'k', '0', h(good)],
        ['RESTORE', 'k', '-1', h(good)],
        ['RESTORE', 'k2', '-1', h(good)],
        ['RESTORE', 'k2', 'abc', h(good)],
        ['RESTORE', 'k2', '0', h(bad_crc)],
        ['RESTORE', 'k2', '0', 'short'],
        ['RESTORE', 'k2', '0', h(payload(b'\x00' + rdb_str(b'v'), 13))],
        ['RESTORE', 'k2', '0', h(payload(b'\x00\x05ab'))],
        ['GET', 'k2'],
        ['DEL', 'k2'],
        ['RESTORE', 'k2', '0', h(payload(b'\x00\x3fab'))],
        ['RESTORE', 'k2', '0', h(payload(b'\x63\x00'))],
        ['RESTORE', 'k2', '0', h(payload(b'\x02\x00'))],
        ['RESTORE', 'k2', '0', h(payload(b'\x02' + rdb_len(2) + rdb_str(b'a') + rdb_str(b'a')))],
        ['RESTORE', 'k2', '0', h(payload(b'\x05\x01' + rdb_str(b'a') + b'\x00\x00\x00\x00\x00\x00\xf8\x7f'))],
        ['RESTORE', 'k2', '0', h(payload(b'\x01\x80\xff\xff\xff\xff'))],
        ['RESTORE', 'k2', '0', h(good), 'IDLETIME', '-1'],
        ['RESTORE', 'k2', '0', h(good), 'IDLETIME', 'x'],
        ['RESTORE', 'k2', '0', h(good), 'FREQ', '256'],
        ['RESTORE', 'k2', '0', h(good), 'FREQ', '-1'],
        ['RESTORE', 'k2', '0', h(good), 'IDLETIME', '1', 'FREQ', '1'],
        ['RESTORE', 'k2', '0', h(good), 'FREQ'],
        ['RESTORE', 'k2', '0', h(good), 'BOGUS'],
        ['EXISTS', 'k2'],
    ]]})
    cases.append({'name': 'RESTORE REPLACE, ABSTTL, IDLETIME, FREQ', 'steps': [{'cmd': c} for c in [
        ['SET', 'k', 'x'],
        ['RESTORE', 'k', '0', h(good), 'REPLACE'],
        ['GET', 'k'],
        ['PTTL', 'k'],
        ['RESTORE', 'k', '4102444800000', h(good), 'REPLACE', 'ABSTTL'],
        ['PEXPIRETIME', 'k'],
        ['RESTORE', 'k', '1', h(good), 'REPLACE', 'ABSTTL'],
        ['EXISTS', 'k'],
        ['RESTORE', 'k', '1', h(good), 'ABSTTL'],
        ['EXISTS', 'k'],
        ['RESTORE', 'k', '0', h(good), 'IDLETIME', '1000'],
        ['RESTORE', 'k3', '0', h(good), 'FREQ', '7', 'replace'],
        ['DBSIZE'],
    ]]})
    with open(os.path.join(GOLDEN, 'dump-restore.cases.json'), 'w') as f:
        json.dump({'setup': [], 'cases': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
