#!/bin/sh
# bench_parse.sh WARTA — how fast `warta parse` reads a big WordPress feed
# (~50 MB of Indonesian posts with content:encoded, made by gen_feed.py and
# cached), against `xmllint --stream --noout` (libxml2 reading the same
# bytes and building nothing), sfeed and Python's feedparser where they are
# installed. Best of $RUNS (default 3) for each; throughput in MiB/s, the
# ratio to xmllint, peak RSS. Targets: at least half of xmllint's
# throughput, peak RSS under 64 MiB.
set -u
WARTA=$1
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-3}
MEASURE="$PYTHON $here/measure.py"

feed=$($PYTHON "$here/gen_feed.py") || { echo "gen_feed.py failed"; exit 1; }
items=$($PYTHON "$here/gen_feed.py" --items)
size=$(wc -c < "$feed")
echo "input: $feed ($size bytes, $items items)"
results=$(mktemp)
trap 'rm -f "$results" "$results.json"' EXIT

m() { # name, measure options…, -- command…
	name=$1; shift
	$MEASURE --kv --runs "$RUNS" --bytes "$size" --timeout 600 \
		--name "$name" "$@" >> "$results" 2>&1
}

if m warta -- "$WARTA" parse "$feed"; then
	# A fast run that did not parse would be a lie: count what came out.
	"$WARTA" parse "$feed" > "$results.json" 2>/dev/null
	got=$($PYTHON -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$results.json" 2>/dev/null || echo "no JSON")
	if [ "$got" = "$items" ]; then
		echo "check: warta parse printed all $items items"
	else
		echo "warning: warta parse printed $got items of $items"
	fi
fi
if command -v xmllint >/dev/null 2>&1; then
	m "xmllint" -- xmllint --stream --noout "$feed"
else
	echo "skip xmllint: not installed (apt-get install libxml2-utils)"
fi
if command -v sfeed >/dev/null 2>&1; then
	m "sfeed" --stdin "$feed" -- sfeed
else
	echo "skip sfeed: not installed (apt-get install sfeed)"
fi
if $PYTHON -c 'import feedparser' 2>/dev/null; then
	m "feedparser" -- $PYTHON -c 'import sys, feedparser; feedparser.parse(sys.argv[1])' "$feed"
else
	echo "skip feedparser: $PYTHON cannot import it (apt-get install python3-feedparser)"
fi

awk -v runs="$RUNS" -v size="$size" '
function val(line, key,   n, i, kv) {
	n = split(line, kv, " ")
	for (i = 1; i <= n; i++)
		if (index(kv[i], key "=") == 1)
			return substr(kv[i], length(key) + 2)
	return ""
}
!/^name=/ { print; next }
{ name = val($0, "name"); order[++n] = name; rc[name] = val($0, "rc")
  wall[name] = val($0, "wall"); cpu[name] = val($0, "cpu")
  rss[name] = val($0, "rss_kib"); mibps[name] = val($0, "mibps") }
END {
	x = ("xmllint" in mibps && rc["xmllint"] == 0) ? mibps["xmllint"] : 0
	xc = x ? size / 1048576 / cpu["xmllint"] : 0
	printf "%-11s %8s %8s %8s %8s %11s %9s\n", "parser", "wall s", "cpu s", "MiB/s", "by cpu", "vs xmllint", "peak RSS"
	for (i = 1; i <= n; i++) {
		k = order[i]
		if (rc[k] != 0) { printf "%-11s failed (exit %s)\n", k, rc[k]; continue }
		c = size / 1048576 / cpu[k]
		ratio = x ? sprintf("%.2fx", mibps[k] / x) : "-"
		printf "%-11s %8.3f %8.3f %8.1f %8.1f %11s %5.1f MiB\n", k, wall[k], cpu[k], mibps[k], c, ratio, rss[k] / 1024
	}
	printf "(best of %d runs each; \"by cpu\" is MiB per CPU second, steadier than wall time on a shared machine)\n", runs
	if (!("warta" in rc) || rc["warta"] != 0) {
		print "targets: not measured, warta parse failed"
		exit
	}
	if (x) {
		r = mibps["warta"] / x
		rc_ = (size / 1048576 / cpu["warta"]) / xc
		printf "target: throughput >= 0.50x xmllint: %.2fx by wall, %.2fx by cpu  %s\n", r, rc_, (r >= 0.5 || rc_ >= 0.5 ? (r >= 0.5 && rc_ >= 0.5 ? "met" : "met by cpu only (machine busy?)") : "MISSED")
	} else
		print "target: throughput vs xmllint: not measured (no xmllint)"
	m = rss["warta"] / 1024
	printf "target: peak RSS < 64 MiB: %.1f MiB  %s\n", m, (m < 64 ? "met" : "MISSED")
}' "$results"
