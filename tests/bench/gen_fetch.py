#!/usr/bin/env python3
"""gen_fetch.py — the feeds of the fetch benchmark, the same bytes on
every machine, and what each tool needs to fetch them.

    python3 tests/bench/gen_fetch.py --feeds N --entries E
        → prints the folder: BENCH_CACHE/fetch-N-E-vV/ with f0001.xml … and
          routes.case (one route per feed, with an ETag, for server.py)
    python3 tests/bench/gen_fetch.py --feeds N --entries E --lists PORT OUT
        → OUT/feeds.opml (warta import), OUT/urls (newsboat),
          OUT/sfeedrc (sfeed_update), OUT/urls.curl (curl -Z -K)

Each feed is a WordPress-style RSS 2.0 document of E items (title, link,
guid ?p=N, pubDate, dc:creator, two categories, an excerpt of about 600
bytes in description): about 1 kB an item, what the excerpt-only feeds
of municipal media centers send. Feed i is served as
http://fI.localhost:PORT/fI.xml: one host per feed, as in real life
(curl, and so warta, newsboat and sfeed's curl, read every *.localhost
name as this machine).

Python 3 standard library only; deterministic (a seeded PRNG).
"""

import argparse
import datetime
import os
import random
import sys

VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = """pemerintah kota kabupaten wali bupati warga masyarakat kegiatan
program pembangunan jalan jembatan pasar sekolah puskesmas kesehatan
pendidikan pelayanan publik dinas kecamatan kelurahan desa rapat koordinasi
anggaran daerah tahun bersama dengan untuk dalam pada yang dan akan telah
bantuan sosial bencana banjir longsor penanganan relawan petugas lalu lintas
transportasi terminal pelabuhan listrik air bersih sampah lingkungan taman
ekonomi usaha mikro pedagang petani nelayan harga beras cabai minyak
festival budaya tradisi adat musik pameran lomba juara peringatan hari jadi
investasi perizinan pajak digital aplikasi layanan inovasi informasi media
sosialisasi pelatihan tenaga kerja stunting gizi imunisasi posyandu""".split()
CATS = "Berita Pemerintahan Kesehatan Pendidikan Ekonomi Sosial Budaya".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
START = datetime.datetime(2025, 12, 2, 2, 30)


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def feed_xml(i, entries):
    rng = random.Random(i * 7919 + entries)
    site = "https://mc%d.contohkota.go.id" % i
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
           '<title>Media Center Kota %d</title>\n<link>%s</link>\n'
           '<atom:link href="%s/feed/" rel="self" '
           'type="application/rss+xml"/>\n'
           '<description>Portal Berita Resmi Kota %d</description>\n'
           '<language>id</language>\n' % (i, site, site, i)]
    for k in range(entries):
        t = START - datetime.timedelta(hours=3 * k, minutes=rng.randrange(60))
        title = words(rng, rng.randint(5, 9)).capitalize()
        slug = title.lower().replace(" ", "-")
        out.append(
            "<item>\n<title>%s</title>\n<link>%s/%s/</link>\n"
            "<dc:creator><![CDATA[Admin MC]]></dc:creator>\n"
            "<pubDate>%s, %02d %s %d %02d:%02d:00 +0000</pubDate>\n"
            "<category><![CDATA[%s]]></category>"
            "<category><![CDATA[%s]]></category>\n"
            '<guid isPermaLink="false">%s/?p=%d</guid>\n'
            "<description><![CDATA[<p>%s. %s [&#8230;]</p>]]>"
            "</description>\n</item>\n"
            % (title, site, slug, DAYS[t.weekday()], t.day,
               MONTHS[t.month - 1], t.year, t.hour, t.minute,
               rng.choice(CATS), rng.choice(CATS), site, 100000 - k,
               words(rng, 45).capitalize(), words(rng, 40).capitalize()))
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def name(i):
    return "f%04d" % i


def generate(folder, feeds, entries):
    if os.path.exists(os.path.join(folder, "routes.case")):
        return
    os.makedirs(folder, exist_ok=True)
    routes = []
    for i in range(1, feeds + 1):
        p = os.path.join(folder, name(i) + ".xml")
        with open(p, "w", encoding="utf-8") as f:
            f.write(feed_xml(i, entries))
        routes.append("route /%s.xml\n  type application/rss+xml; "
                      "charset=UTF-8\n  body-file %s\n  etag \"v%d-%d\"\n"
                      % (name(i), p, i, VERSION))
    tmp = os.path.join(folder, "routes.case.tmp")
    with open(tmp, "w") as f:
        f.write("desc fetch benchmark: %d feeds of %d entries\n"
                % (feeds, entries))
        f.write("".join(routes))
    os.replace(tmp, os.path.join(folder, "routes.case"))


def lists(feeds, port, out):
    os.makedirs(out, exist_ok=True)
    urls = ["http://%s.localhost:%d/%s.xml" % (name(i), port, name(i))
            for i in range(1, feeds + 1)]
    with open(os.path.join(out, "feeds.opml"), "w") as f:
        f.write('<?xml version="1.0"?>\n<opml version="2.0"><head><title>'
                'bench</title></head><body>\n')
        for i, u in enumerate(urls, 1):
            f.write('<outline type="rss" text="%s" xmlUrl="%s"/>\n'
                    % (name(i), u))
        f.write("</body></opml>\n")
    with open(os.path.join(out, "urls"), "w") as f:
        f.write("".join(u + "\n" for u in urls))
    with open(os.path.join(out, "sfeedrc"), "w") as f:
        f.write('sfeedpath="%s/sfeed"\nmaxjobs=16\nfeeds() {\n'
                % os.path.abspath(out))
        for i, u in enumerate(urls, 1):
            f.write('\tfeed "%s" "%s"\n' % (name(i), u))
        f.write("}\n")
    with open(os.path.join(out, "urls.curl"), "w") as f:
        for u in urls:
            f.write('url = "%s"\noutput = "/dev/null"\n' % u)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, required=True)
    ap.add_argument("--entries", type=int, required=True)
    ap.add_argument("--lists", nargs=2, metavar=("PORT", "OUT"))
    a = ap.parse_args()
    if a.lists:
        lists(a.feeds, int(a.lists[0]), a.lists[1])
        return 0
    cache = os.environ.get("BENCH_CACHE") or os.path.join(HERE, "cache")
    folder = os.path.join(cache, "fetch-%d-%d-v%d" % (a.feeds, a.entries,
                                                      VERSION))
    generate(folder, a.feeds, a.entries)
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
