#!/usr/bin/env python3
"""gen_feed.py — a large WordPress-style RSS 2.0 feed of Indonesian news,
the same bytes on every machine, for the parse benchmark.

    python3 tests/bench/gen_feed.py [--mb 50] [--out PATH]

Writes (once) and prints the path of the feed, by default
tests/bench/cache/wp-50mb-vN.xml (the cache folder is git-ignored). Each
item looks like what a municipal media-center WordPress site sends:
title with WordPress's numeric entities, dc:creator, several categories,
a guid `?p=N`, an excerpt in description and the whole post in
content:encoded (paragraphs, links, an image with srcset, a list),
wfw:commentRss and slash:comments. `--items` prints the item count of a
feed made with the same --mb, for a benchmark that checks the output.

Python 3 standard library only; deterministic (a seeded PRNG).
"""

import argparse
import datetime
import os
import random
import sys

VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = """
pemerintah kota kabupaten wali bupati warga masyarakat kegiatan program
pembangunan jalan jembatan pasar sekolah puskesmas rumah sakit kesehatan
pendidikan pelayanan publik dinas kecamatan kelurahan desa rapat koordinasi
anggaran daerah tahun ini bersama dengan untuk dalam pada yang dan atau
akan telah sudah sedang baru lama besar kecil tinggi rendah banyak sedikit
bantuan sosial bencana banjir longsor gempa kebakaran penanganan darurat
relawan petugas aparat polisi tentara satpol pamong praja lalu lintas
transportasi angkutan umum terminal pelabuhan bandara listrik air bersih
sampah lingkungan hidup taman kota ruang terbuka hijau penghijauan pohon
ekonomi usaha mikro kecil menengah pedagang petani nelayan peternak
harga beras cabai bawang minyak goreng gula telur daging ayam ikan
festival budaya tradisi adat tari musik pameran lomba juara peringatan
hari jadi kemerdekaan upacara bendera pahlawan sejarah museum wisata
pantai gunung danau air terjun hotel restoran kuliner khas oleh-oleh
investasi perizinan pajak retribusi pendapatan asli digital aplikasi
layanan daring inovasi teknologi informasi komunikasi media pusat berita
sosialisasi edukasi pelatihan keterampilan tenaga kerja lowongan pencari
stunting gizi imunisasi vaksinasi posyandu ibu anak balita lansia
disabilitas perempuan pemuda olahraga stadion sepak bola voli bulu tangkis
""".split()

PLACES = """Banjarmasin Balikpapan Samarinda Pontianak Makassar Manado Kupang
Ambon Jayapura Mataram Denpasar Surabaya Semarang Bandung Medan Padang
Pekanbaru Jambi Palembang Bengkulu Lampung Serang Yogyakarta Malang Kediri
Madiun Blitar Magelang Salatiga Tegal Cirebon Bogor Depok Bekasi Tangerang
Palu Kendari Gorontalo Ternate Sorong Tarakan Bontang""".split()

NAMES = """Admin Humas Redaksi Diskominfo Budi Santoso Siti Rahmawati Agus
Setiawan Dewi Lestari Ahmad Fauzi Rina Wulandari Hendra Gunawan Putri
Maharani Yusuf Hidayat Nur Aini""".split()

CATS = """Berita Pemerintahan Kesehatan Pendidikan Ekonomi Sosial Budaya
Olahraga Pariwisata Infrastruktur Lingkungan Pengumuman Kecamatan
Kelurahan Pelayanan Publik Agenda Galeri""".split()

START = datetime.datetime(2025, 12, 2, 2, 30)
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def sentence(rng, lo=8, hi=22):
    w = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    if rng.random() < 0.3:
        w.insert(rng.randrange(len(w)), rng.choice(PLACES))
    s = " ".join(w)
    return s[0].upper() + s[1:] + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def item(rng, n, site):
    place = rng.choice(PLACES)
    title_words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10)))
    title = ("%s &#8211; %s %s" % (place, title_words[0].upper()
                                   + title_words[1:], rng.choice(
                                       ["", "&#8220;Bersama Kita Bisa&#8221;",
                                        "Tahun 2025", "&amp; Sekitarnya"]))
             ).rstrip()
    slug = title_words.replace(" ", "-")
    # Newest first, a post every three hours or so, as a site's feed is.
    t = START - datetime.timedelta(seconds=n * 10800 + rng.randrange(3600))
    y, mo, day = t.year, t.month, t.day
    when = "%s, %02d %s %d %02d:%02d:%02d +0000" % (
        DAYS[t.weekday()], day, MONTHS[mo - 1], y, t.hour, t.minute,
        t.second)
    link = "%s/%d/%02d/%02d/%s/" % (site, y, mo, day, slug)
    paras = [paragraph(rng) for _ in range(rng.randint(5, 9))]
    img = ("%s/wp-content/uploads/%d/%02d/IMG_%05d.jpg" % (site, y, mo, n))
    body = ['<p><strong>%s</strong> &#8211; %s</p>' % (place.upper(),
                                                         paras[0])]
    body.append('<figure class="wp-block-image size-large"><img '
                'decoding="async" width="1024" height="683" src="%s" '
                'alt="%s" class="wp-image-%d" srcset="%s 1024w, %s 300w, '
                '%s 768w" sizes="(max-width: 1024px) 100vw, 1024px" />'
                '<figcaption>%s</figcaption></figure>'
                % (img, title_words, n, img, img.replace(".jpg",
                                                         "-300x200.jpg"),
                   img.replace(".jpg", "-768x512.jpg"), sentence(rng, 5, 9)))
    for p in paras[1:]:
        if rng.random() < 0.3:
            w = rng.choice(WORDS)
            p = p.replace(" %s " % w, ' <a href="%s/tag/%s/">%s</a> ' % (
                site, w, w), 1)
        body.append("<p>%s</p>" % p)
    if rng.random() < 0.4:
        body.append("<ul>%s</ul>" % "".join(
            "<li>%s</li>" % sentence(rng, 3, 7) for _ in range(rng.randint(
                2, 5))))
    body.append('<p>&nbsp;</p><p>(%s/%s)</p>' % (rng.choice(NAMES),
                                                  rng.choice(NAMES)))
    excerpt = paras[0][:240].rsplit(" ", 1)[0]
    cats = "".join("\t\t<category><![CDATA[%s]]></category>\n" % c
                   for c in rng.sample(CATS, rng.randint(1, 4)))
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
        % (title, link, link, rng.choice(NAMES), when, cats, site,
           100000 - n, excerpt, link, title, site, "\n".join(body), link,
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
	<title>Media Center Kota Contoh</title>
	<atom:link href="%(site)s/feed/" rel="self" type="application/rss+xml" />
	<link>%(site)s</link>
	<description>Portal Berita Resmi Pemerintah Kota Contoh</description>
	<lastBuildDate>Tue, 02 Dec 2025 02:30:00 +0000</lastBuildDate>
	<language>id-ID</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.4.2</generator>
<image>
	<url>%(site)s/wp-content/uploads/2021/01/logo-32x32.png</url>
	<title>Media Center Kota Contoh</title>
	<link>%(site)s</link>
	<width>32</width>
	<height>32</height>
</image>
"""


def generate(path, mb):
    rng = random.Random(20251202 + mb)
    site = "https://mediacenter.contoh.go.id"
    target = mb * 1000 * 1000
    tmp = path + ".tmp"
    n = 0
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEAD % {"site": site})
        size = f.tell()
        while size < target:
            s = item(rng, n, site)
            f.write(s)
            size += len(s.encode("utf-8"))
            n += 1
        f.write("</channel>\n</rss>\n")
    os.replace(tmp, path)
    with open(path + ".items", "w") as f:
        f.write("%d\n" % n)
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=int, default=50,
                    help="size in millions of bytes (default 50)")
    ap.add_argument("--out", help="where to write it (default: the cache)")
    ap.add_argument("--items", action="store_true",
                    help="print the number of items instead of the path")
    a = ap.parse_args()
    path = a.out or os.path.join(HERE, "cache", "wp-%dmb-v%d.xml"
                                 % (a.mb, VERSION))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if not (os.path.exists(path) and os.path.exists(path + ".items")):
        generate(path, a.mb)
    if a.items:
        with open(path + ".items") as f:
            print(f.read().strip())
    else:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
