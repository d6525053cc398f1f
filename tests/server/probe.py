#!/usr/bin/env python3
"""probe.py — one request through urllib, its outcome as JSON on stdout.

    python3 tests/server/probe.py URL [-H 'Name: value']… [--follow]
                                      [--gunzip] [--cafile F] [--insecure]

Prints {"status", "headers" (names lower-cased), "length" (body bytes
read), "head" (the first 200 characters), "url" (after redirects),
"error" (why the body or the connection broke, or null), "elapsed"}.
The server's self-test case (tests/cases/server_selftest.case) reads it
with `json`; it is also handy by hand. Exit 0 whatever the answer was;
1 only when no answer came at all.
"""

import argparse
import gzip
import http.client
import json
import ssl
import sys
import time
import urllib.error
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("-H", "--header", action="append", default=[])
    ap.add_argument("--follow", action="store_true")
    ap.add_argument("--gunzip", action="store_true")
    ap.add_argument("--cafile")
    ap.add_argument("--insecure", action="store_true")
    ap.add_argument("--timeout", type=float, default=20)
    a = ap.parse_args()
    ctx = ssl.create_default_context(cafile=a.cafile)
    if a.insecure:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    handlers = [urllib.request.HTTPSHandler(context=ctx),
                urllib.request.ProxyHandler({})]
    if not a.follow:
        handlers.append(NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(a.url)
    for h in a.header:
        k, _, v = h.partition(":")
        req.add_header(k.strip(), v.strip())
    out = {"status": None, "headers": {}, "length": 0, "head": "",
           "url": a.url, "error": None}
    t0 = time.monotonic()
    try:
        resp = opener.open(req, timeout=a.timeout)
    except urllib.error.HTTPError as e:
        resp = e
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        out["error"] = "%s: %s" % (type(reason).__name__, reason)
        out["elapsed"] = time.monotonic() - t0
        print(json.dumps(out))
        return 1
    out["status"] = resp.status if hasattr(resp, "status") else resp.code
    out["url"] = resp.geturl()
    out["headers"] = {k.lower(): v for k, v in resp.headers.items()}
    body = b""
    try:
        body = resp.read()
    except http.client.IncompleteRead as e:
        body += e.partial
        out["error"] = "IncompleteRead"
    except (ConnectionError, OSError) as e:
        out["error"] = type(e).__name__
    out["length"] = len(body)
    if a.gunzip and body:
        try:
            body = gzip.decompress(body)
            out["gunzipped"] = len(body)
        except (OSError, EOFError) as e:
            out["error"] = out["error"] or "gunzip: %s" % e
    out["head"] = body[:200].decode("utf-8", "replace")
    out["elapsed"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
