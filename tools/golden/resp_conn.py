"""A minimal RESP2/RESP3 client for the golden-file tools: raw replies as Latin-1 strings (every
byte kept), and a canonical form of a reply whose element order Redis leaves open."""
import math
import socket


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("the server closed the connection")
        self.buf += data

    def _line(self, pos):
        while True:
            end = self.buf.find(b"\r\n", pos)
            if end >= 0:
                return end
            self._fill()

    def _skip(self, pos):
        """Returns the position after the reply starting at pos."""
        end = self._line(pos)
        kind, head = self.buf[pos:pos + 1], self.buf[pos + 1:end]
        pos = end + 2
        if kind in b"+-:,#_(":
            return pos
        if kind in b"$=!":
            n = int(head)
            if n < 0:
                return pos
            while len(self.buf) < pos + n + 2:
                self._fill()
            return pos + n + 2
        if kind in b"*~>%|":
            n = int(head)
            for _ in range(max(n, 0) * (2 if kind in b"%|" else 1)):
                pos = self._skip(pos)
            return pos
        raise ValueError("unknown RESP type %r" % kind)

    def send(self, *args):
        """Sends a command: str as UTF-8, bytes as they are, {"hex": "..."} as those bytes."""
        frame = b"*%d\r\n" % len(args)
        for a in args:
            if isinstance(a, dict):
                a = bytes.fromhex(a["hex"])
            a = a.encode("utf-8") if isinstance(a, str) else a
            frame += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(frame)

    def call(self, *args):
        self.send(*args)
        return self.read()

    def read(self):
        """The next reply or push, waiting for it."""
        end = self._skip(0)
        reply, self.buf = self.buf[:end], self.buf[end:]
        return reply.decode("latin-1")

    def close(self):
        self.sock.close()


def _parse(s, pos):
    """(node, next position): a node is (header, [children]) for aggregates, else the raw text."""
    end = s.index("\r\n", pos)
    kind, head = s[pos], s[pos + 1:end]
    if kind in "$=!" and int(head) >= 0:
        stop = end + 2 + int(head) + 2
        return s[pos:stop], stop
    if kind in "*~>%|" and int(head) >= 0:
        children, p = [], end + 2
        for _ in range(int(head) * (2 if kind in "%|" else 1)):
            child, p = _parse(s, p)
            children.append(child)
        return (s[pos:end + 2], children), p
    return s[pos:end + 2], end + 2


def _text(node):
    if isinstance(node, str):
        return node
    return node[0] + "".join(_text(c) for c in node[1])


def _sorted(children, pairs):
    if pairs:
        units = [_text(children[i]) + _text(children[i + 1]) for i in range(0, len(children) - 1, 2)]
    else:
        units = [_text(c) for c in children]
    return "".join(sorted(units))


def _number(node):
    """A bulk string's or double's finite number, else None."""
    if not isinstance(node, str) or node[0] not in "$,":
        return None
    text = node.split("\r\n")[1] if node[0] == "$" else node[1:-2]
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _close(a, b):
    """Same shape, and numbers within a relative 1e-12 of each other (see canonical: doubles)."""
    if isinstance(a, str) or isinstance(b, str):
        x, y = _number(a), _number(b)
        if x is not None and y is not None:
            return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-300)
        return a == b
    return a[0] == b[0] and len(a[1]) == len(b[1]) and all(_close(x, y) for x, y in zip(a[1], b[1]))


def same(a, b, order):
    """Whether two raw replies are the same up to what order leaves open (see canonical)."""
    if order == "doubles":
        return _close(_parse(a, 0)[0], _parse(b, 0)[0])
    return canonical(a, order) == canonical(b, order)


def _c_string(node):
    """A bulk string's content up to its first NUL: what strcoll compares."""
    text = _text(node)
    content = text[text.index("\r\n") + 2:-2] if text[0] == "$" else text
    return content.split("\0")[0]


def _ties_sorted(children):
    """Runs of elements that strcoll finds equal, each run sorted: their order is the input's."""
    out, run = [], []
    for c in children:
        if run and _c_string(run[-1]) != _c_string(c):
            out += sorted(_text(x) for x in run)
            run = []
        run.append(c)
    out += sorted(_text(x) for x in run)
    return "".join(out)


def canonical(reply, order):
    """The reply with its open order sorted: set | pairs | scan | scan_pairs (see difftest.py);
    (doubles, numbers within a relative 1e-12, is compared by same() only); ttl: a positive integer as such; ties: SORT
    ALPHA's runs of elements that strcoll finds equal (alike up to a NUL) in any order, since
    their order is that of the input, a set's hash order."""
    if not order:
        return reply
    node, _ = _parse(reply, 0)
    if order == "ttl":
        return ":+\r\n" if reply[0] == ":" and int(reply[1:-2]) > 0 else reply
    if isinstance(node, str):
        return reply
    header, children = node
    if order == "ties":
        return header + _ties_sorted(children)
    if order in ("set", "pairs"):
        # RESP3 gives pairs as a map, or as two-element arrays (each then one unit)
        flat_pairs = header[0] == "%" or (order == "pairs" and all(isinstance(c, str) for c in children))
        return header + _sorted(children, flat_pairs)
    if len(children) == 2 and not isinstance(children[1], str):
        inner_header, inner = children[1]
        return header + _text(children[0]) + inner_header + _sorted(inner, order == "scan_pairs")
    return reply
