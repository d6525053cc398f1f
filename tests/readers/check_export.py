#!/usr/bin/env python3
"""check_export.py — read warta's exports with real readers.

    check_export.py REFERENCE.json [EXPORT.atom|EXPORT.rss ...]

REFERENCE is a `jsonfeed` export of the same entries. It is checked
against JSON Feed 1.1 (what a reader relies on: version, title, items,
each item's string id, content_html or content_text, RFC 3339 dates,
attachments with url and mime_type). Each other EXPORT is read by Python
feedparser (Debian's python3-feedparser), which must report bozo false and
give, entry by entry and in the same order, the reference's ids, links,
titles, dates, tags, enclosure URLs and source. Atom exports are also held
to the two rules of RFC 4287 that its RELAX NG schema cannot say (every
entry has an author through itself, its source or its feed; every entry
has an alternate link or a content). feedparser 6.0 does not read JSON
Feed, hence the structural check of the reference.

Prints one line per problem and "N passed, N failed" last; exit 1 when
anything failed.
"""
import calendar
import json
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")
IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|\\^`\x7f]+$')

problems = []


def bad(where, msg):
    problems.append("%s: %s" % (where, msg))


def epoch(s):
    """RFC 3339 to seconds, or None."""
    m = RFC3339.match(s or "")
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(g) for g in m.groups()[:6])
    t = calendar.timegm((y, mo, d, h, mi, sec, 0, 0, 0))
    z = m.group(8)
    if z != "Z":
        off = int(z[1:3]) * 3600 + int(z[4:6]) * 60
        t -= off if z[0] == "+" else -off
    return t


def atom_id(i):
    """What the Atom writer makes of an id (export.h)."""
    if IRI.match(i):
        return i
    return "urn:warta:guid:" + urllib.parse.quote(i, safe="!*'():/@")


def check_reference(path):
    where = path
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except ValueError as e:
        bad(where, "not JSON: %s" % e)
        return None
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        bad(where, "version is %r" % doc.get("version"))
    if not isinstance(doc.get("title"), str):
        bad(where, "no title")
    items = doc.get("items")
    if not isinstance(items, list):
        bad(where, "no items array")
        return None
    for n, it in enumerate(items):
        w = "%s: item %d" % (where, n + 1)
        if not isinstance(it.get("id"), str) or not it["id"]:
            bad(w, "id must be a non-empty string")
        if not isinstance(it.get("content_html", it.get("content_text")),
                          str):
            bad(w, "neither content_html nor content_text")
        for k in ("date_published", "date_modified"):
            if k in it and epoch(it[k]) is None:
                bad(w, "%s %r is not RFC 3339" % (k, it[k]))
        for a in it.get("attachments", []):
            if not a.get("url") or "/" not in a.get("mime_type", ""):
                bad(w, "attachment without url or mime_type: %r" % a)
        for k in ("url", "title", "summary", "language"):
            if k in it and not isinstance(it[k], str):
                bad(w, "%s is not a string" % k)
        if "tags" in it and not all(isinstance(t, str) for t in it["tags"]):
            bad(w, "tags must be strings")
    return items


def atom_rules(path, data):
    """The Schematron rules of RFC 4287 Appendix B, which jing skips."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        bad(path, "not well-formed: %s" % e)
        return
    feed_author = root.find(ATOM + "author") is not None
    for n, e in enumerate(root.findall(ATOM + "entry")):
        w = "%s: entry %d" % (path, n + 1)
        if not (e.find(ATOM + "author") is not None or feed_author or
                e.find(ATOM + "source/" + ATOM + "author") is not None):
            bad(w, "no author in the entry, its source or the feed")
        alt = [l for l in e.findall(ATOM + "link")
               if l.get("rel", "alternate") == "alternate"]
        if not alt and e.find(ATOM + "content") is None:
            bad(w, "neither an alternate link nor a content")
        if len(e.findall(ATOM + "id")) != 1:
            bad(w, "not exactly one id")
        i = e.findtext(ATOM + "id") or ""
        if not IRI.match(i):
            bad(w, "id %r is not an IRI" % i)


def ts(struct):
    return calendar.timegm(struct) if struct else None


def compare(path, items):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        bad(path, str(e))
        return
    is_atom = path.endswith(".atom") or b"<feed" in data[:400]
    d = feedparser.parse(data)
    if d.bozo:
        bad(path, "feedparser: bozo: %s" % d.get("bozo_exception"))
    want_version = "atom10" if is_atom else "rss20"
    if d.version != want_version:
        bad(path, "feedparser: version %r, want %r" % (d.version,
                                                        want_version))
    if is_atom:
        atom_rules(path, data)
    if len(d.entries) != len(items):
        bad(path, "%d entries, the reference has %d" % (len(d.entries),
                                                        len(items)))
    for n, (e, it) in enumerate(zip(d.entries, items)):
        w = "%s: entry %d" % (path, n + 1)

        def same(what, got, want):
            if got != want:
                bad(w, "%s %r, want %r" % (what, got, want))

        same("id", e.get("id"), atom_id(it["id"]) if is_atom else it["id"])
        if it.get("url"):
            same("link", e.get("link"), it["url"])
        same("title", e.get("title") or "", it.get("title", ""))
        pub = epoch(it.get("date_published"))
        mod = epoch(it.get("date_modified"))
        undated = it.get("_warta", {}).get("undated", False)
        if is_atom:
            same("updated", ts(e.get("updated_parsed")),
                 mod if mod is not None else pub)
            same("published", ts(e.get("published_parsed")),
                 None if undated else pub)
        else:
            same("pubDate", ts(e.get("published_parsed")),
                 pub if pub is not None else mod)
        same("tags", [t.term for t in e.get("tags", [])],
             it.get("tags", []))
        same("enclosures", [x.get("href") for x in e.get("enclosures", [])],
             [a["url"] for a in it.get("attachments", [])])
        src = it.get("_warta", {}).get("source")
        if src and (is_atom or src.get("url")):
            fs = e.get("source", {})
            same("source title", fs.get("title"),
                 src.get("title") or (None if is_atom else src.get("url")))
            if not is_atom:
                same("source url", fs.get("href"), src.get("url"))


def main(argv):
    if len(argv) < 2:
        print("usage: check_export.py REFERENCE.json [EXPORT...]",
              file=sys.stderr)
        return 2
    failed = 0
    items = check_reference(argv[1])
    failed += bool(problems)
    for path in argv[2:]:
        before = len(problems)
        if items is not None:
            compare(path, items)
        failed += len(problems) > before
    for p in problems:
        print(p)
    print("%d passed, %d failed" % (len(argv) - 1 - failed, failed))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
