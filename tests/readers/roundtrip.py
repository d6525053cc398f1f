#!/usr/bin/env python3
"""roundtrip.py — warta reads its own exports back to the same entries.

    roundtrip.py [--skip FIELD]... REFERENCE.json FORMAT PARSED.json

REFERENCE is a `warta export jsonfeed`; PARSED is `warta parse` of the
`warta export FORMAT` (atom, rss or jsonfeed) of the same selection. Entry
by entry, in order, the ids, links, titles, content, dates, tags,
attachment URLs, author names and source must come back, except where the
format cannot carry a field (export.h says which):
  - Atom wraps an id that is not an IRI ("urn:warta:guid:" + quoted id);
  - Atom always has an updated date (published when the entry had none);
  - RSS has one date (pubDate: published, else updated) and no plain-text
    content type (text is escaped into HTML), and a source only with URL.
--skip FIELD leaves a field (id, url, title, content, dates, tags,
attachments, authors, source) out, for a reader known not to carry it yet.
Prints one line per difference and "N passed, N failed"; exit 1 on any.
"""
import json
import re
import sys
import urllib.parse

IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|\\^`\x7f]+$')


def main(argv):
    skip = set()
    while len(argv) > 2 and argv[1] == "--skip":
        skip.add(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) != 4 or argv[2] not in ("atom", "rss", "jsonfeed"):
        print("usage: roundtrip.py [--skip FIELD]... REFERENCE.json "
              "atom|rss|jsonfeed PARSED.json", file=sys.stderr)
        return 2
    ref = json.load(open(argv[1], encoding="utf-8"))["items"]
    fmt = argv[2]
    got = json.load(open(argv[3], encoding="utf-8"))["items"]
    bad = []
    if len(got) != len(ref):
        bad.append("%d entries back, %d sent" % (len(got), len(ref)))
    for n, (r, g) in enumerate(zip(ref, got)):
        def same(what, a, b):
            field = what.split()[0].split("_")[0]
            field = {"date": "dates", "content": "content"}.get(field, field)
            if field in skip:
                return
            if a != b:
                bad.append("%s: entry %d: %s %r, sent %r" %
                           (fmt, n + 1, what, a, b))

        rid = r["id"]
        if fmt == "atom" and not IRI.match(rid):
            rid = "urn:warta:guid:" + urllib.parse.quote(rid,
                                                         safe="!*'():/@")
        same("id", g.get("id"), rid)
        same("url", g.get("url"), r.get("url"))
        same("title", g.get("title") or "", r.get("title") or "")
        if fmt != "rss" or "content_text" not in r:
            for k in ("content_html", "content_text"):
                if r.get(k):
                    # An entry with only a summary goes out in JSON Feed
                    # as content_html (one of the two is required), in
                    # Atom and RSS as the summary it was.
                    same(k, g.get(k) or g.get("summary"), r.get(k))
        pub, mod = r.get("date_published"), r.get("date_modified")
        if fmt == "rss":
            same("date_published", g.get("date_published"), pub or mod)
        elif fmt == "atom":
            undated = r.get("_warta", {}).get("undated", False)
            same("date_published", g.get("date_published"),
                 None if undated else pub)
            same("date_modified", g.get("date_modified"), mod or pub)
        else:
            same("date_published", g.get("date_published"), pub)
            same("date_modified", g.get("date_modified"), mod)
        same("tags", g.get("tags", []), r.get("tags", []))
        same("attachments", [a["url"] for a in g.get("attachments", [])],
             [a["url"] for a in r.get("attachments", [])])
        same("authors", [a.get("name") for a in g.get("authors", [])],
             [a.get("name") for a in r.get("authors", [])])
        rs = r.get("_warta", {}).get("source")
        gs = g.get("_warta", {}).get("source")
        if rs and (fmt != "rss" or rs.get("url")):
            gs = gs or {}
            same("source title", gs.get("title"), rs.get("title") or
                 (rs.get("url") if fmt == "rss" else None))
            # warta parse shapes a source as feedparser does: RSS url= in
            # href, Atom's rel=self among its links.
            url = gs.get("url") or gs.get("href") or next(
                (l.get("href") for l in gs.get("links", [])
                 if l.get("rel") == "self"), None)
            same("source url", url, rs.get("url"))
    for b in bad:
        print(b)
    print("%d passed, %d failed" % (0 if bad else 1, 1 if bad else 0))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
