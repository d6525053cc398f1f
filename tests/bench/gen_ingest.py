#!/usr/bin/env python3
"""gen_ingest.py — many WordPress-style feeds of Indonesian news as local
files, the same bytes on every machine, for the ingest benchmark.

    python3 tests/bench/gen_ingest.py --feeds 2000 --items 50 --out DIR
        [--build N]

Writes DIR/feed-NNNN.xml (one municipal media-center site each: RSS 2.0
as WordPress sends it, with dc:creator, categories, a ?p=N guid, an
excerpt ending in "The post … appeared first on …", the post in
content:encoded, wfw:commentRss, slash:comments) and DIR/feeds.opml
listing them as file:// URLs, then prints DIR. One item in fifty is a
story two neighbouring sites both carry (the same link), as city and
regency portals republish each other's news. --build N changes only each channel's
lastBuildDate (what WordPress does on every new post elsewhere on the
site): the bytes differ, every entry is the same. Files that already
hold what would be written are left alone.

Python 3 standard library only; deterministic (seeded per feed).
"""

import argparse
import datetime
import os
import random
import sys
from xml.sax.saxutils import quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_feed import CATS, DAYS, MONTHS, NAMES, PLACES, sentence  # noqa

START = datetime.datetime(2025, 12, 2, 2, 30)


def rfc822(t):
    return "%s, %02d %s %d %02d:%02d:%02d +0000" % (
        DAYS[t.weekday()], t.day, MONTHS[t.month - 1], t.year, t.hour,
        t.minute, t.second)


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


def site_of(k):
    return "https://mediacenter.kota%04d.go.id" % k


def item(rng, k, n):
    site = site_of(k)
    # one item in fifty is a story two neighbouring sites both carry,
    # under the first one's link
    shared = n % 50 == 7
    place = rng.choice(PLACES)
    words = " ".join(sentence(rng, 5, 9).rstrip(".").lower().split())
    title = "%s &#8211; %s" % (place, words[0].upper() + words[1:])
    slug = "-".join(words.split()[:8])
    t = START - datetime.timedelta(seconds=n * 10800 + rng.randrange(3600))
    link = "%s/%d/%02d/%02d/%s/" % (site, t.year, t.month, t.day, slug)
    if shared:
        link = "%s/berita/bersama-%d/" % (site_of(k & ~1), n)
    paras = [paragraph(rng) for _ in range(rng.randint(3, 5))]
    img = "%s/wp-content/uploads/%d/%02d/IMG_%05d.jpg" % (site, t.year,
                                                          t.month, n)
    body = ['<p><strong>%s</strong> &#8211; %s</p>' % (place.upper(),
                                                         paras[0]),
            '<figure class="wp-block-image size-large"><img decoding="async"'
            ' width="1024" height="683" src="%s" alt="%s" /></figure>'
            % (img, slug)]
    body += ["<p>%s</p>" % p for p in paras[1:]]
    body.append("<p>(%s/%s)</p>" % (rng.choice(NAMES), rng.choice(NAMES)))
    excerpt = paras[0][:200].rsplit(" ", 1)[0]
    cats = "".join("\t\t<category><![CDATA[%s]]></category>\n" % c
                   for c in rng.sample(CATS, rng.randint(1, 3)))
    return (
        "\t<item>\n"
        "\t\t<title>%s</title>\n"
        "\t\t<link>%s</link>\n"
        "\t\t<comments>%s#respond</comments>\n"
        "\t\t<dc:creator><![CDATA[%s]]></dc:creator>\n"
        "\t\t<pubDate>%s</pubDate>\n"
        "%s"
        "\t\t<guid isPermaLink=\"false\">%s/?p=%d</guid>\n"
        "\t\t<description><![CDATA[<p>%s [&#8230;]</p>\n<p>The post <a "
        "rel=\"nofollow\" href=\"%s\">%s</a> appeared first on <a "
        "rel=\"nofollow\" href=\"%s\">Media Center</a>.</p>\n]]>"
        "</description>\n"
        "\t\t<content:encoded><![CDATA[%s]]></content:encoded>\n"
        "\t\t<wfw:commentRss>%sfeed/</wfw:commentRss>\n"
        "\t\t<slash:comments>%d</slash:comments>\n"
        "\t</item>\n"
        % (title, link, link, rng.choice(NAMES), rfc822(t), cats, site,
           90000 - n, excerpt, link, title, site, "\n".join(body), link,
           rng.randrange(12)))


HEAD = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>Media Center Kota %(k)04d</title>
	<atom:link href="%(site)s/feed/" rel="self" type="application/rss+xml" />
	<link>%(site)s</link>
	<description>Portal Berita Resmi Pemerintah Kota %(k)04d</description>
	<lastBuildDate>%(build)s</lastBuildDate>
	<language>id-ID</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.4.2</generator>
"""


def feed(k, items, build):
    rng = random.Random(20251202 * 7919 + k)
    b = rfc822(START + datetime.timedelta(minutes=build))
    parts = [HEAD % {"k": k, "site": site_of(k), "build": b}]
    parts += [item(rng, k, n) for n in range(items)]
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode("utf-8")


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--build", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    out = os.path.abspath(a.out)
    opml = ['<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
            '<head><title>ingest bench</title></head>\n<body>\n']
    for k in range(a.feeds):
        path = os.path.join(out, "feed-%04d.xml" % k)
        write_if_changed(path, feed(k, a.items, a.build))
        opml.append('<outline type="rss" text=%s xmlUrl=%s/>\n' % (
            quoteattr("Kota %04d" % k), quoteattr("file://" + path)))
    opml.append("</body>\n</opml>\n")
    write_if_changed(os.path.join(out, "feeds.opml"),
                     "".join(opml).encode("utf-8"))
    print(out)


if __name__ == "__main__":
    main()
