#!/usr/bin/env python3
"""seeds.py TARGET OUTDIR [SHARED] — write the seed corpus of one fuzz
target into OUTDIR (a git-ignored folder under build/fuzz/), from the
documents under tests/fixtures/, the feedparser corpus of SHARED
(../shared by default) when it is there, and a few hand-written inputs.
Each target's input layout is its source file's opening comment."""

import glob
import hashlib
import html
import os
import re
import sys

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(TESTS, "fixtures")


def files(root, exts):
    out = []
    for dp, _, fns in os.walk(root):
        for fn in sorted(fns):
            if fn.endswith(exts):
                out.append(os.path.join(dp, fn))
    return sorted(out)


def read(p):
    with open(p, "rb") as f:
        return f.read()


def documents(shared):
    docs = [read(p) for p in files(FIXTURES, (".xml", ".rss", ".atom",
                                              ".json", ".rdf"))]
    fp = os.path.join(shared, "conformance", "feedparser")
    if os.path.isdir(fp):
        docs += [read(p) for p in files(fp, (".xml",))]
    return docs


TAG_TEXT = re.compile(rb"<(?:description|content:encoded|content|summary|"
                      rb"title|subtitle|body|info)\b[^>]*>(.*?)</", re.S)
DATES = re.compile(rb"<(?:pubDate|dc:date|updated|published|modified|"
                   rb"issued|created|lastBuildDate|dcterms:\w+)\b[^>]*>"
                   rb"([^<]{1,120})</")

# A list of our own (not copied from any corpus): the shapes of attack
# SECURITY.md lists, for the sanitiser to start from.
XSS = [
    b'<a href="javascript:alert(1)">x</a>',
    b'<a href="&#106;avascript:alert(1)">x</a>',
    b'<a href="java&#x09;script:alert(1)">x</a>',
    b'<a href=" JaVaScRiPt:alert(1)">x</a>',
    b'<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    b'<iframe src="http://a/"></iframe><p>after</p>',
    b'<svg><script>alert(1)</script><a xlink:href="javascript:x">y</a></svg>',
    b'<svg><animate attributeName="href" to="javascript:x"/></svg>',
    b'<p style="width: expression(alert(1))">x</p>',
    b'<p style="background: url(javascript:x)">x</p>',
    b'<div style="color: red; -moz-binding: url(x)">x</div>',
    b'<img src=x onerror=alert(1)>',
    b'<form action="http://a/"><input name=q></form>',
    b'<!--[if IE]><script>x</script><![endif]-->',
    b'<p>Banjir &amp; longsor &nbsp; di <b>Banjarbaru</b></p><br>',
    b'<table background="javascript:x"><tr><td>a</td></tr></table>',
    b'<math><maction actiontype="statusline" xlink:href="javascript:x">'
    b'm</maction></math>',
]


def main():
    target, out = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(TESTS), "..", "shared")
    os.makedirs(out, exist_ok=True)
    seeds = []
    docs = documents(shared)
    if target == "parse":
        # byte 0: content type and URL; byte 1: the chunking seed
        seeds = [bytes([i % 8, 1 + i % 200]) + d for i, d in enumerate(docs)]
    elif target == "html":
        frags = list(XSS)
        for d in docs:
            for m in TAG_TEXT.finditer(d):
                t = m.group(1)
                if t.startswith(b"<![CDATA["):
                    t = t[9:].split(b"]]>")[0]
                else:
                    t = html.unescape(t.decode("utf-8", "replace")).encode()
                if b"<" in t or b"&" in t:
                    frags.append(t)
        for p in files(os.path.join(FIXTURES, "html"), (".html", ".htm")):
            frags.append(read(p))
        seeds = [bytes([1 + (i % 4) | (0x80 if i % 5 == 0 else 0)]) + f
                 for i, f in enumerate(frags)]
    elif target == "date":
        seeds = [b"Selasa, 02 Desember 2025 10:30 WITA",
                 b"Tue, 02 Dec 2025 10:30:00 +0700",
                 b"2025-12-02T10:30:00+07:00", b"20031231T101455Z",
                 b"December 2, 2025 at 10:30 am", b"02/12/2025 pukul 7.30 pagi",
                 b"2004-W53-6", b"2003-335", b"Thu Dec  4 10:30:00 2025"]
        for d in docs:
            seeds += [m.group(1).strip() for m in DATES.finditer(d)]
    elif target == "opml":
        seeds = [read(p) for p in files(FIXTURES, (".opml",))]
        seeds += [
            b'<?xml version="1.0"?><opml version="2.0"><head><title>t'
            b'</title></head><body><outline text="Kalsel"><outline '
            b'text="Banjarbaru" type="rss" xmlUrl="https://a.go.id/feed/"'
            b' htmlUrl="https://a.go.id/" category="/pemda,berita"/>'
            b'</outline><outline text="x" xmlUrl="http://b/?a=1&amp;b=2"/>'
            b'</body></opml>',
            b'<opml version="1.0"><body><outline title="A"><outline '
            b'title="B"><outline XMLURL="file:///x" text="&#233;"/>'
            b'</outline></outline></body></opml>',
        ]
    elif target == "search":
        qs = [b"banjir", b'"banjir"', b"berdaya*", b"title:banjir OR "
              b"body:masjid", b"NEAR(banjir warga, 5)", b"banjir NOT masjid",
              b"Jum'at 09.30", b"e-KTP covid-19", b"{title body}:umkm",
              b"-title:banjir", b"^banjir", b"judul:banjir + warga",
              b"'; DROP TABLE entries; --", b'"unbalanced', b"a AND",
              b"penulis:humas", b"kategori:ekonomi"]
        seeds = [bytes([i % 64]) + q for i, q in enumerate(qs)]
    elif target == "http":
        for p in files(os.path.join(TESTS, "fuzz", "http"), (".http",)):
            seeds.append(read(p))
    else:
        sys.exit("seeds.py: no seeds for target %r" % target)
    for s in seeds:
        name = hashlib.sha1(s).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(s)
    print("%d seeds" % len(seeds))


if __name__ == "__main__":
    main()
