#!/usr/bin/env python3
"""server.py — the test HTTP(S) server that misbehaves on purpose.

One process serves many test cases at once: the first path segment of a
request names the case (`/CASE/feed.xml`), and each case declares its own
routes in the format of tests/cases/README.md ("The server"). The harness
imports this module and runs a TestServer in its own threads:

    srv = TestServer().start()
    base = srv.bases("mycase")         # {'url': 'http://127.0.0.1:P/mycase', …}
    srv.add_case("mycase", routes)     # routes: {path: [Route, …]}
    srv.requests("mycase")             # what the server saw, in order
    srv.remove_case("mycase")

Listeners, all on 127.0.0.1 with ports the kernel picks: plain HTTP/1.1
with keep-alive, and three HTTPS ones with the self-signed certificates of
certs/ (see certs/make-certs.sh): one for 127.0.0.1, one for another host
name, one expired. Each connection has its own thread; bodies of any size
are streamed, never held.

Stand-alone, for benchmarks and debugging:

    python3 tests/server/server.py --routes FILE [--prefix NAME] [--delay MS]

serves the `route` blocks of FILE (a .case file works; other lines are
ignored), prints its base URLs on stdout, and runs until SIGINT/SIGTERM.
GET /.stats answers with a JSON summary (requests, statuses, bytes sent).

Python 3 standard library only.
"""

import argparse
import collections
import email.utils
import http
import json
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
CERTS = os.path.join(HERE, "certs")
CACERT = os.path.join(CERTS, "bundle.crt")

# Listener name -> (scheme, certificate base name or None).
LISTENERS = {
    "http": ("http", None),
    "tls": ("https", "local"),
    "tls-other": ("https", "other"),
    "tls-expired": ("https", "expired"),
}

DEFAULT_FILLER = (b"warta test filler: the quick brown fox jumps over the "
                  b"lazy dog 0123456789\n")
CHUNK = 64 * 1024


class RouteError(ValueError):
    """A route option that cannot be understood; the message says why."""


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\([ntr0\\])")


def unescape(s):
    r"""The escapes of the case format: \n \t \r \0 \\ ."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(1)], s)


def _int(arg, what):
    try:
        v = int(arg.replace("_", ""), 0)
    except ValueError:
        raise RouteError("%s wants a number, not %r" % (what, arg))
    if v < 0:
        raise RouteError("%s wants a number >= 0, not %r" % (what, arg))
    return v


def parse_size(arg, what):
    """A byte count, with optional K, M, G (powers of 1024)."""
    m = re.fullmatch(r"\s*(\d[\d_]*)\s*([kKmMgG]?)[bB]?\s*", arg)
    if not m:
        raise RouteError("%s wants a size like 1048576 or 1M, not %r"
                         % (what, arg))
    mult = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    return int(m.group(1).replace("_", "")) * mult[m.group(2).lower()]


def _crc32_zeros(n):
    """crc32 of n zero bytes without looking at them: appending zeros is
    an affine map on the CRC register, so square it like a number."""
    def apply(m, v):  # m = (constant, columns)
        c, cols = m
        r = c
        for i in range(32):
            if v >> i & 1:
                r ^= cols[i]
        return r

    def make(f):
        c = f(0)
        return (c, [f(1 << i) ^ c for i in range(32)])

    def compose(a, b):  # a after b
        return make(lambda v: apply(a, apply(b, v)))

    result = make(lambda v: v)
    step = make(lambda v: zlib.crc32(b"\0", v))
    while n:
        if n & 1:
            result = compose(step, result)
        step = compose(step, step)
        n >>= 1
    return apply(result, 0)


class Route:
    """One answer to one request. Options are set with option(name, arg)
    in the order a case gives them; prepare() then checks they fit."""

    def __init__(self, path, line=0, base_dir=TESTS):
        self.path = path
        self.line = line
        self.base_dir = base_dir
        self.status = 200
        self.headers = []            # [(name, value)]
        self.body = None             # bytes, or None
        self.body_path = None        # body-file, read at each request
        self.body_size = None        # total size of a streamed body
        self.filler = DEFAULT_FILLER
        self.body_end = b""
        self.gzip = False
        self.gzip_bomb = None
        self.etag = None
        self.last_modified = None
        self.location = None
        self.delay = 0.0
        self.trickle = None
        self.cut_after = None
        self.hang_after = None
        self.trickle_head = None
        self.reset_after = None
        self.no_length = False
        self.length = None
        self.chunked = False
        self.raw = None
        self.close = False

    def _file(self, arg):
        p = arg if os.path.isabs(arg) else os.path.join(self.base_dir, arg)
        try:
            with open(p, "rb") as f:
                return f.read()
        except OSError as e:
            raise RouteError("cannot read %s: %s" % (p, e.strerror))

    def option(self, name, arg, subst=lambda s: s):
        """Apply one option line; substitutions apply to its argument."""
        arg = subst(arg)
        if name == "status":
            self.status = _int(arg, "status")
        elif name == "header":
            k, sep, v = arg.partition(":")
            if not sep or not k.strip():
                raise RouteError("header wants 'NAME: VALUE', not %r" % arg)
            self.headers.append((k.strip(), v.strip()))
        elif name == "type":
            self.headers.append(("Content-Type", arg.strip()))
        elif name == "body":
            self.body = unescape(arg).encode("utf-8")
            self.body_path = None
        elif name == "body-file":
            # A relative path is a fixture and must be there now; an
            # absolute one may be made by a step before it is asked for.
            p = arg.strip()
            if not os.path.isabs(p):
                p = os.path.join(self.base_dir, p)
                if not os.path.isfile(p):
                    raise RouteError("no file %s" % p)
            self.body_path = p
            self.body = None
        elif name == "body-template":
            self.body_path = None
            self.body = subst(self._file(arg.strip()).decode(
                "utf-8", "surrogateescape")).encode("utf-8",
                                                    "surrogateescape")
        elif name == "body-size":
            self.body_size = parse_size(arg, "body-size")
        elif name == "filler":
            self.filler = unescape(arg).encode("utf-8")
            if not self.filler:
                raise RouteError("filler wants some text")
        elif name == "body-end":
            self.body_end = unescape(arg).encode("utf-8")
        elif name == "gzip":
            self.gzip = True
        elif name == "gzip-bomb":
            self.gzip_bomb = parse_size(arg, "gzip-bomb")
        elif name == "etag":
            self.etag = arg.strip()
        elif name == "last-modified":
            self.last_modified = arg.strip()
            if _http_date(self.last_modified) is None:
                raise RouteError("last-modified wants an HTTP date, not %r"
                                 % arg)
        elif name == "redirect":
            code, _, target = arg.strip().partition(" ")
            self.status = _int(code, "redirect")
            if not target.strip():
                raise RouteError("redirect wants 'STATUS TARGET'")
            self.location = target.strip()
        elif name == "delay":
            self.delay = _int(arg, "delay") / 1000.0
        elif name == "trickle":
            self.trickle = _int(arg, "trickle")
            if self.trickle == 0:
                raise RouteError("trickle wants at least 1 byte a second")
        elif name == "trickle-head":
            self.trickle_head = _int(arg, "trickle-head")
            if self.trickle_head == 0:
                raise RouteError("trickle-head wants at least 1 byte a "
                                 "second")
        elif name == "hang-after":
            self.hang_after = parse_size(arg, "hang-after")
        elif name == "cut-after":
            self.cut_after = parse_size(arg, "cut-after")
        elif name == "reset-after":
            self.reset_after = parse_size(arg, "reset-after")
        elif name == "no-length":
            self.no_length = True
        elif name == "length":
            self.length = _int(arg, "length")
        elif name == "chunked":
            self.chunked = True
        elif name == "close":
            self.close = True
        elif name == "header-repeat":
            n, _, rest = arg.strip().partition(" ")
            k, sep, v = rest.partition(":")
            if not sep:
                raise RouteError("header-repeat wants 'N NAME: VALUE'")
            self.headers.extend([(k.strip(), v.strip())]
                                * _int(n, "header-repeat"))
        elif name == "header-long":
            k, _, n = arg.strip().partition(" ")
            if not k:
                raise RouteError("header-long wants 'NAME SIZE'")
            self.headers.append((k, "x" * parse_size(n, "header-long")))
        elif name == "raw":
            self.raw = unescape(arg).encode("utf-8")
        else:
            raise RouteError("unknown route option %r" % name)

    def prepare(self):
        """Check the options fit together; compress what must be."""
        if self.gzip_bomb is not None and (
                self.body is not None or self.body_path is not None
                or self.body_size is not None):
            raise RouteError("gzip-bomb is a body of its own; drop body*")
        if (self.gzip and self.body_size is None and self.body is not None
                and self.body_path is None):
            self.body = _gzip(self.body)
        return self

    # --- the body as it goes on the wire ---
    def answer(self):
        """(length, pieces) of the body for one request; length is None
        when only the end tells (a streamed gzip). A body-file is read
        now, not when the case was set up, so a file a step made can be
        served, and a big one is never held. OSError when it is gone."""
        if self.gzip_bomb is not None:
            return (len(_bomb_head()) + _bomb_len(self.gzip_bomb),
                    _bomb(self.gzip_bomb))
        body = self.body
        if self.body_path is not None:
            if self.body_size is None and not self.gzip:
                f = open(self.body_path, "rb")
                return os.fstat(f.fileno()).st_size, _file_pieces(f)
            with open(self.body_path, "rb") as f:
                body = f.read()
            if self.gzip and self.body_size is None:
                body = _gzip(body)
        if self.body_size is None:
            body = body or b""
            return len(body), (body[i:i + CHUNK]
                               for i in range(0, len(body), CHUNK))
        gen = self._filled(body)
        if not self.gzip:
            return self.body_size, gen
        return None, _gzip_stream(gen)

    def _filled(self, head):
        head = head or b""
        tail = self.body_end
        n = max(0, self.body_size - len(head) - len(tail))
        if head:
            yield head[:self.body_size]
        unit = self.filler
        block = unit * (CHUNK // len(unit) + 2)
        off = 0
        while off < n:
            k = min(CHUNK, n - off)
            s = off % len(unit)
            yield block[s:s + k]
            off += k
        if tail and len(head) + len(tail) <= self.body_size:
            yield tail


def _gzip(data):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def _gzip_stream(gen):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    for piece in gen:
        out = c.compress(piece)
        if out:
            yield out
    yield c.flush()


def _file_pieces(f):
    with f:
        while True:
            b = f.read(CHUNK)
            if not b:
                return
            yield b


_BOMB_UNIT = 1 << 20
_bomb_cache = {}


def _bomb_block():
    if "block" not in _bomb_cache:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        _bomb_cache["block"] = (c.compress(b"\0" * _BOMB_UNIT)
                                + c.flush(zlib.Z_FULL_FLUSH))
    return _bomb_cache["block"]


def _bomb_head():
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"


def _bomb_tail(n):
    rem = n % _BOMB_UNIT
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = c.compress(b"\0" * rem) + c.flush(zlib.Z_FINISH)
    return body + struct.pack("<II", _crc32_zeros(n), n & 0xFFFFFFFF)


def _bomb_len(n):
    return len(_bomb_block()) * (n // _BOMB_UNIT) + len(_bomb_tail(n))


def _bomb(n):
    """A gzip member that inflates to n zero bytes: after a full flush
    deflate starts afresh, so one compressed megabyte of zeros can be
    sent again and again."""
    yield _bomb_head()
    block = _bomb_block()
    group = block * 64
    k = n // _BOMB_UNIT
    while k >= 64:
        yield group
        k -= 64
    if k:
        yield block * k
    yield _bomb_tail(n)


def _http_date(s):
    try:
        d = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    if d is None:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=__import__("datetime").timezone.utc)
    return d


def routes_from_text(text, subst=lambda s: s, base_dir=TESTS):
    """The route blocks of a case (or routes) file: {path: [Route, …]}.
    Lines outside route blocks are ignored. Raises RouteError with the
    line number."""
    routes = collections.OrderedDict()
    cur = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indented = line[0] in " \t"
        word, arg = split_directive(line)
        try:
            if not indented:
                if cur is not None:
                    cur.prepare()
                cur = None
                if word == "route":
                    cur = Route(subst(arg.strip()) or "/", n, base_dir)
                    routes.setdefault(cur.path, []).append(cur)
                continue
            if cur is None:
                continue
            cur.option(word, arg, subst)
        except RouteError as e:
            raise RouteError("line %d: %s" % (n, e))
    if cur is not None:
        cur.prepare()
    return routes


def split_directive(line):
    """'word  the rest' -> ('word', 'the rest'); the argument keeps its
    inner and trailing spaces."""
    s = line.lstrip(" \t").rstrip("\r\n")
    m = re.match(r"(\S+)(?:[ \t]+(.*))?$", s, re.S)
    if not m:
        return "", ""
    return m.group(1), m.group(2) or ""


class Request:
    __slots__ = ("method", "path", "headers", "listener", "time")

    def __init__(self, method, path, headers, listener):
        self.method = method
        self.path = path
        self.headers = headers       # [(name, value)] as received
        self.listener = listener
        self.time = time.time()

    def header(self, name):
        """Every value of header NAME (any case)."""
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    def as_dict(self):
        return {"method": self.method, "path": self.path,
                "headers": self.headers, "listener": self.listener}


class _Case:
    def __init__(self, routes):
        self.routes = routes
        self.hits = collections.Counter()
        self.log = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "warta-test-server/1"
    sys_version = ""
    timeout = 120
    # Headers and body go out in separate writes: with Nagle on, the
    # second waits for the client's delayed ACK, 40 ms a request.
    disable_nagle_algorithm = True

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
        super().setup()

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        try:
            self._serve()
        except (ConnectionError, socket.timeout, ssl.SSLError, OSError):
            self.close_connection = True

    do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    # ---
    def _serve(self):
        top = self.server.top
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            self.rfile.read(n)
        raw_path = self.path
        if "://" in raw_path:  # absolute-form
            raw_path = "/" + raw_path.split("://", 1)[1].partition("/")[2]
        path, _, query = raw_path.partition("?")
        if path == "/.stats" and top.standalone:
            return self._stats()
        if top.prefix_mode:
            seg = path.split("/", 2)
            case_name = seg[1] if len(seg) > 1 else ""
            rest = "/" + seg[2] if len(seg) > 2 else "/"
        else:
            case_name, rest = "", path or "/"
        key = rest + ("?" + query if query else "")
        req = Request(self.command, key, list(self.headers.items()),
                      self.server.listener)
        route, base = top.lookup(case_name, key, req, self.server.listener)
        if top.delay:
            time.sleep(top.delay)
        if route is None:
            top.count(404, 0)
            return self._simple(404, b"no route for this path\n")
        self._respond(route, base)

    def _stats(self):
        body = json.dumps(self.server.top.stats(), indent=1).encode() + b"\n"
        self._simple(200, body, "application/json")

    def _simple(self, status, body, ctype="text/plain"):
        self._status(status)
        self._header("Content-Type", ctype)
        self._header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _status(self, code):
        try:
            reason = http.HTTPStatus(code).phrase
        except ValueError:
            reason = "Status %d" % code
        self._headers_buffer = [("HTTP/1.1 %d %s\r\n" % (code, reason))
                                .encode("latin-1")]
        self._header("Date", self.date_time_string())
        self._header("Server", self.server_version)

    def _header(self, k, v):
        self._headers_buffer.append(("%s: %s\r\n" % (k, v))
                                    .encode("latin-1", "replace"))

    def _end_headers(self, rate):
        self._headers_buffer.append(b"\r\n")
        head = b"".join(self._headers_buffer)
        self._headers_buffer = []
        self._write(head, rate, time.monotonic(), 0)

    def _not_modified(self, route):
        if self.command not in ("GET", "HEAD") or route.status != 200:
            return False
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            # RFC 9110 13.1.2: If-None-Match wins; weak comparison.
            if route.etag is None:
                return False
            tags = [t.strip() for t in inm.split(",")]

            def weak(t):
                return t[2:] if t.startswith("W/") else t
            return "*" in tags or any(weak(t) == weak(route.etag)
                                      for t in tags)
        ims = self.headers.get("If-Modified-Since")
        if ims is not None and route.last_modified:
            a, b = _http_date(ims), _http_date(route.last_modified)
            return a is not None and b is not None and a >= b
        return False

    def _respond(self, route, base):
        top = self.server.top
        if route.delay:
            time.sleep(route.delay)
        if route.raw is not None:
            self.close_connection = True
            self.wfile.write(route.raw)
            top.count(0, len(route.raw))
            return
        status = 304 if self._not_modified(route) else route.status
        bodyless = (self.command == "HEAD" or status in (204, 304)
                    or 100 <= status < 200)
        try:
            length, pieces = route.answer()
        except OSError as e:
            top.count(500, 0)
            return self._simple(500, ("test server: cannot read %s: %s\n"
                                      % (route.body_path, e.strerror))
                                .encode())
        closing = (route.close or route.no_length or route.cut_after
                   is not None or route.reset_after is not None
                   or route.hang_after is not None
                   or route.length is not None)
        chunked = route.chunked or (length is None and not route.no_length)
        self._status(status)
        if status not in (204, 304) and not (100 <= status < 200):
            if route.length is not None:
                self._header("Content-Length", str(route.length))
            elif route.no_length:
                pass
            elif chunked:
                self._header("Transfer-Encoding", "chunked")
            else:
                self._header("Content-Length", str(length))
            if route.gzip or route.gzip_bomb is not None:
                self._header("Content-Encoding", "gzip")
        if route.etag:
            self._header("ETag", route.etag)
        if route.last_modified:
            self._header("Last-Modified", route.last_modified)
        if route.location:
            loc = route.location
            if loc.startswith("/"):
                loc = base + loc
            self._header("Location", loc)
        for k, v in route.headers:
            self._header(k, v)
        if closing:
            self._header("Connection", "close")
            self.close_connection = True
        self._end_headers(route.trickle_head)
        if bodyless:
            top.count(status, 0)
            return
        self._send_body(route, pieces, chunked and route.length is None
                        and not route.no_length, status)

    def _send_body(self, route, body, chunked, status):
        top = self.server.top
        limit = route.cut_after
        if route.reset_after is not None:
            limit = route.reset_after
        if route.hang_after is not None:
            limit = route.hang_after
        sent = 0
        start = time.monotonic()

        def pieces():
            for c in body:
                if not c:
                    continue
                if chunked:
                    yield b"%x\r\n" % len(c) + c + b"\r\n"
                else:
                    yield c
            if chunked:
                yield b"0\r\n\r\n"

        try:
            for piece in pieces():
                if limit is not None and sent + len(piece) >= limit:
                    piece = piece[:limit - sent]
                    self._write(piece, route.trickle, start, sent)
                    sent += len(piece)
                    break
                self._write(piece, route.trickle, start, sent)
                sent += len(piece)
        finally:
            top.count(status, sent)
        if route.reset_after is not None and sent >= route.reset_after:
            self._reset()
        if route.hang_after is not None and sent >= route.hang_after:
            self._hang()

    def _hang(self):
        # Send nothing more and keep the connection open until the
        # client gives up (or five minutes pass).
        s = self.connection
        end = time.monotonic() + 300
        try:
            s.settimeout(1)
            while time.monotonic() < end:
                try:
                    if not s.recv(4096):
                        break
                except socket.timeout:
                    continue
        except (OSError, ValueError):
            pass
        self.close_connection = True

    def _write(self, data, rate, start, sent):
        if not rate:
            self.wfile.write(data)
            return
        step = max(1, rate // 10)
        for i in range(0, len(data), step):
            due = start + (sent + i) / rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.wfile.write(data[i:i + step])

    def _reset(self):
        # Give the peer a moment to read what was sent, then close with
        # SO_LINGER 0: the kernel answers with RST instead of FIN.
        time.sleep(0.05)
        s = self.connection
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            self.rfile.close()
            s.close()
        except OSError:
            pass
        self.close_connection = True


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, top, listener, port, ctx):
        self.top = top
        self.listener = listener
        self.ctx = ctx
        super().__init__((top.host, port), Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        if self.ctx is not None:
            # The handshake happens in the connection's own thread, so a
            # client that stalls it cannot hold the accept loop.
            sock = self.ctx.wrap_socket(sock, server_side=True,
                                        do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        pass  # a client hanging up or refusing a certificate is normal here


class TestServer:
    """The listeners and the per-case routes and request logs."""

    def __init__(self, host="127.0.0.1", delay_ms=0, prefix_mode=True,
                 standalone=False):
        self.host = host
        self.delay = delay_ms / 1000.0
        self.prefix_mode = prefix_mode
        self.standalone = standalone
        self.lock = threading.Lock()
        self.cases = {}
        self.servers = {}
        self.ports = {}
        self.statuses = collections.Counter()
        self.nrequests = 0
        self.bytes_out = 0
        self.threads = []

    def start(self, ports=None):
        ports = ports or {}
        for name, (scheme, cert) in LISTENERS.items():
            ctx = None
            if cert:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(os.path.join(CERTS, cert + ".crt"),
                                    os.path.join(CERTS, cert + ".key"))
            srv = _Listener(self, name, ports.get(name, 0), ctx)
            self.servers[name] = srv
            self.ports[name] = srv.server_address[1]
            t = threading.Thread(target=srv.serve_forever,
                                 kwargs={"poll_interval": 0.2},
                                 name="server-" + name, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self):
        # Each listener notices the shutdown at its next poll: wait for
        # them all at once, not one after the other.
        ts = [threading.Thread(target=srv.shutdown)
              for srv in self.servers.values()]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        for srv in self.servers.values():
            srv.server_close()

    def base(self, listener, case=""):
        scheme = LISTENERS[listener][0]
        b = "%s://%s:%d" % (scheme, self.host, self.ports[listener])
        return b + ("/" + case if case else "")

    def bases(self, case=""):
        """The substitutions a case gets for this server."""
        return {
            "url": self.base("http", case),
            "host": "%s:%d" % (self.host, self.ports["http"]),
            "tls": self.base("tls", case),
            "tls-host": "%s:%d" % (self.host, self.ports["tls"]),
            "tls-other": self.base("tls-other", case),
            "tls-expired": self.base("tls-expired", case),
            "cacert": CACERT,
        }

    def add_case(self, name, routes):
        with self.lock:
            self.cases[name] = _Case(routes)

    def remove_case(self, name):
        with self.lock:
            self.cases.pop(name, None)

    def requests(self, name):
        with self.lock:
            c = self.cases.get(name)
            return list(c.log) if c else []

    def lookup(self, case_name, key, req, listener):
        """Log the request and pick the answer: the n-th block of a
        sequence for the n-th request, the last one over and over."""
        with self.lock:
            self.nrequests += 1
            c = self.cases.get(case_name)
            if c is None:
                return None, None
            c.log.append(req)
            seq = c.routes.get(key)
            if not seq:
                return None, None
            i = c.hits[key]
            c.hits[key] += 1
            return seq[min(i, len(seq) - 1)], self.base(listener, case_name)

    def count(self, status, nbytes):
        with self.lock:
            self.statuses[status] += 1
            self.bytes_out += nbytes

    def stats(self):
        with self.lock:
            return {"requests": self.nrequests,
                    "statuses": {str(k): v for k, v in
                                 sorted(self.statuses.items())},
                    "bytes": self.bytes_out}


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="The warta test server, stand-alone: serves the route "
        "blocks of FILE (format: tests/cases/README.md).")
    ap.add_argument("--routes", required=True, metavar="FILE")
    ap.add_argument("--prefix", default="",
                    help="serve under /PREFIX, as the harness does for a "
                    "case named PREFIX")
    ap.add_argument("--port", type=int, default=0, help="HTTP port")
    ap.add_argument("--tls-port", type=int, default=0, help="HTTPS port")
    ap.add_argument("--delay", type=int, default=0, metavar="MS",
                    help="added before every answer")
    a = ap.parse_args(argv)
    srv = TestServer(delay_ms=a.delay, prefix_mode=bool(a.prefix),
                     standalone=True)
    srv.start({"http": a.port, "tls": a.tls_port})
    subs = srv.bases(a.prefix)
    # The names a case may use, so that a .case file can be served as is
    # ({tmp} is a fresh folder, named on stderr).
    tmp = tempfile.mkdtemp(prefix="warta-server-")
    print("server.py: {tmp} is %s" % tmp, file=sys.stderr)
    subs.update(root=os.path.dirname(TESTS), tests=TESTS, tmp=tmp,
                db=os.path.join(tmp, "warta.db"), name=a.prefix,
                fixtures=os.path.join(TESTS, "fixtures"))

    def subst(s):
        return re.sub(r"\{([a-z-]+)\}",
                      lambda m: subs.get(m.group(1), m.group(0)), s)
    with open(a.routes, encoding="utf-8") as f:
        text = f.read()
    try:
        routes = routes_from_text(text, subst)
    except RouteError as e:
        print("server.py: %s: %s" % (a.routes, e), file=sys.stderr)
        return 2
    srv.add_case(a.prefix, routes)
    print(subs["url"])
    print(subs["tls"])
    sys.stdout.flush()
    stop = threading.Event()
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    srv.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(srv.stats()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
