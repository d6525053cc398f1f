#!/bin/sh
# bench_export.sh WARTA — how fast `warta export atom` streams 100,000
# archived entries to a file, and whether its memory stays flat: peak RSS
# for 10,000 entries against 100,000 (the same archive, -n 10000). RSS and
# JSON Feed are measured alongside, and Atom again through -o FILE (fsync
# and rename, what cron pays), for the record. Targets: at least
# 50,000 entries/s for Atom, and peak RSS for 100,000 entries within 10%
# (+2 MiB) of that for 10,000.
#
# The archive is built once and cached (BENCH_CACHE, git-ignored): 20
# WordPress-style feeds of 5,000 distinct posts each (~3 KB of HTML per
# post, so no two posts are the same story), fetched through file:// URLs;
# that takes minutes (10 on a busy 2-core machine), later runs reuse it.
# BENCH_FEEDS and BENCH_PER_FEED shrink it for a quick try.
# Best of $RUNS (default 3) runs each; measure.py gives wall, CPU, RSS.
set -u
WARTA=$1
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
cache=${BENCH_CACHE:-$here/cache}
RUNS=${RUNS:-3}
MEASURE=${MEASURE:-"$PYTHON $here/measure.py"}
FEEDS=${BENCH_FEEDS:-20}
PER_FEED=${BENCH_PER_FEED:-5000}
TOTAL=$((FEEDS * PER_FEED))
GEN=1 # bump when the generated feeds change

mkdir -p "$cache"
version=$("$WARTA" --version | tr -c 'a-z0-9.\n' '-')
db=$cache/export-${TOTAL}-g$GEN-$version.db
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build_archive() {
	rm -f "$db" "$db-wal" "$db-shm"
	dir=$cache/export-feeds-g$GEN-$PER_FEED
	mkdir -p "$dir"
	"$PYTHON" - "$dir" "$FEEDS" "$PER_FEED" <<'EOF' || return 1
import os, random, sys, time
d, feeds, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
words = ("pemerintah kota kabupaten warga program pembangunan jalan "
         "jembatan pasar sekolah puskesmas pelayanan publik dinas rapat "
         "koordinasi anggaran daerah bantuan sosial banjir relawan petugas "
         "ekonomi usaha pedagang petani nelayan harga beras festival "
         "budaya wisata investasi pajak digital aplikasi inovasi stunting "
         "gizi imunisasi posyandu olahraga stadion").split()
for k in range(feeds):
    path = os.path.join(d, "feed-%02d.xml" % k)
    if os.path.exists(path):
        continue
    rng = random.Random(1000 + k)
    site = "https://mc%02d.contoh.go.id" % k
    out = open(path + ".tmp", "w", encoding="utf-8")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
              'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
              'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
              '<title>Media Center %02d</title><link>%s</link>'
              '<description>bench</description>\n' % (k, site))
    for i in range(per):
        t = 1764642600 - (i * feeds + k) * 60
        words_ = lambda n: " ".join(rng.choice(words) for _ in range(n))
        paras = "".join("<p>%s, %d.</p>\n" % (words_(40).capitalize(), i)
                        for _ in range(8))
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))
        out.write(
            "<item><title>%s %d-%d</title><link>%s/berita/%d/</link>"
            "<guid isPermaLink=\"false\">%s/?p=%d</guid>"
            "<pubDate>%s</pubDate><dc:creator>Humas %02d</dc:creator>"
            "<category>Berita</category><category>%s</category>"
            "<description><![CDATA[<p>%s</p>]]></description>"
            "<content:encoded><![CDATA[%s]]></content:encoded></item>\n"
            % (words_(6).title(), k, i, site, i, site, i, date, k,
               rng.choice(words), words_(25), paras))
    out.write("</channel></rss>\n")
    out.close()
    os.replace(path + ".tmp", path)
EOF
	for f in "$dir"/feed-*.xml; do
		"$WARTA" --db "$db.tmp" add "file://$f" --no-fetch >/dev/null ||
			return 1
	done
	echo "building the archive ($TOTAL entries, once)..."
	"$WARTA" --db "$db.tmp" fetch -q || return 1
	mv "$db.tmp" "$db"
}

count() { # entries in an export, by format
	case $1 in
	atom) grep -c '^<entry' "$2" ;;
	rss) grep -c '^<item>' "$2" ;;
	jsonfeed) "$PYTHON" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$2" ;;
	esac
}

if [ ! -f "$db" ]; then
	rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
	build_archive || { echo "could not build the archive"; exit 1; }
fi
have=$("$WARTA" --db "$db" export jsonfeed -n 1 >/dev/null 2>&1 && echo ok)
[ "$have" = ok ] || { echo "warta export fails on $db"; exit 1; }
echo "archive: $db ($(wc -c < "$db") bytes)"

results=$work/results
: > "$results"
m() { # name, n (0: all), format, "file" to write with -o (fsync)
	limit=
	[ "$2" != 0 ] && limit="-n $2"
	out=$work/out.$3
	rm -f "$out"
	if [ "${4:-}" = file ]; then
		set -- "$1" "$2" "$3" -o "$out"
		dest=
	else
		set -- "$1" "$2" "$3"
		dest="--stdout $out"
	fi
	want=$2
	[ "$want" = 0 ] && want=$TOTAL
	name=$1 fmt=$3
	shift 3
	# shellcheck disable=SC2086
	if $MEASURE --kv --runs "$RUNS" --timeout 600 --name "$name" $dest -- \
		"$WARTA" --db "$db" export "$fmt" $limit "$@" >> "$results"; then
		got=$(count "$fmt" "$out")
		[ "$got" = "$want" ] ||
			echo "warning: $name wrote $got entries of $want"
		echo "entries_$name=$got bytes_$name=$(wc -c < "$out")" >> "$results"
	fi
	rm -f "$out"
}
m atom-10k 10000 atom
m atom-100k 0 atom
m rss-100k 0 rss
m jsonfeed-100k 0 jsonfeed
# What cron pays: -o FILE, fsync and rename included.
m atom-100k-o 0 atom file

awk -v runs="$RUNS" '
function val(line, key,   n, i, kv) {
	n = split(line, kv, " ")
	for (i = 1; i <= n; i++)
		if (index(kv[i], key "=") == 1)
			return substr(kv[i], length(key) + 2)
	return ""
}
/^entries_/ { split($1, kv, "="); sub(/^entries_/, "", kv[1]); ent[kv[1]] = kv[2]
              split($2, kb, "="); by[kv[1]] = kb[2]; next }
!/^name=/ { print; next }
{ name = val($0, "name"); order[++n] = name; rc[name] = val($0, "rc")
  wall[name] = val($0, "wall"); cpu[name] = val($0, "cpu")
  rss[name] = val($0, "rss_kib") }
END {
	printf "%-14s %8s %8s %8s %10s %10s %9s %13s\n", "export", "entries", "wall s", "cpu s", "entries/s", "by CPU", "MiB out", "peak RSS MiB"
	for (i = 1; i <= n; i++) {
		k = order[i]
		if (rc[k] != 0) { printf "%-14s failed (exit %s)\n", k, rc[k]; continue }
		printf "%-14s %8d %8.3f %8.3f %10.0f %10.0f %9.1f %13.1f\n", k, ent[k], wall[k], cpu[k], ent[k] / wall[k], ent[k] / cpu[k], by[k] / 1048576, rss[k] / 1024
	}
	printf "(best of %d runs each; \"by CPU\" is entries per CPU second, steadier than wall on a shared machine)\n", runs
	if (rc["atom-100k"] != 0 || rc["atom-10k"] != 0 || !("atom-100k" in wall)) {
		print "targets: not measured, the Atom export failed"
		exit
	}
	r = ent["atom-100k"] / wall["atom-100k"]
	c = ent["atom-100k"] / cpu["atom-100k"]
	printf "target: Atom >= 50000 entries/s: %.0f by wall, %.0f by CPU  %s\n", r, c, (r >= 50000 ? "met" : c >= 50000 ? "met by CPU only (machine busy?)" : "MISSED")
	small = rss["atom-10k"] / 1024; big = rss["atom-100k"] / 1024
	printf "target: peak RSS flat, 100k vs 10k entries: %.1f vs %.1f MiB  %s\n", big, small, (big <= small * 1.1 + 2 ? "met" : "MISSED")
}' "$results"
