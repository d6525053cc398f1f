#!/bin/sh
# bench_fetch.sh WARTA — `warta fetch` against a local server that adds
# 50 ms to every answer (tests/server/server.py --delay 50), side by side
# with `newsboat -x reload` (reload-threads 16) and `sfeed_update`
# (maxjobs=16) where they are installed, all at 16 transfers at once:
#   500 feeds x 10 entries and 2,000 feeds x 50 entries (gen_fetch.py),
#   each cold (empty archive/cache), then again with nothing changed.
# Every feed is on a host of its own (fNNNN.localhost), as in real life.
# Reported: wall and CPU seconds, peak RSS (measure.py), and what the
# server saw: requests, 304s, bytes sent. The network floor is
# feeds / 16 x 50 ms; `curl -Z` (curl's own parallel mode, bodies thrown
# away) shows what this server and machine can do at all, and warta-file
# (the same documents as file:// URLs) what parsing and archiving cost
# without any network.
# Targets: 500 cold within 1.5x the floor; 2,000 cold under 15 s and
# unchanged under 8 s with every answer a 304; peak RSS under 64 MiB.
# SIZES="500x10 2000x50" and TOOLS="warta newsboat sfeed curl" choose.
set -u
WARTA=$1
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
MEASURE=${MEASURE:-"$PYTHON $here/measure.py"}
SIZES=${SIZES:-"500x10 2000x50"}
TOOLS=${TOOLS:-"curl warta newsboat sfeed"}
JOBS=16
DELAY=50

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-fetch-XXXXXX")
srvpid=
cleanup() {
	[ -n "$srvpid" ] && kill "$srvpid" 2>/dev/null && wait "$srvpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
results=$work/results
: > "$results"

have() { command -v "$1" >/dev/null 2>&1; }

stats() { # requests 304s bytes, from the server
	curl -s "$base/.stats" | $PYTHON -c 'import json,sys; s=json.load(sys.stdin); print(s["requests"], s["statuses"].get("304", 0), s["bytes"])'
}

# one measured run: label, size, then the command
m() {
	label=$1 size=$2; shift 2
	before=$(stats)
	line=$($MEASURE --kv --name "$label" --timeout 900 -- "$@" 2>"$work/err")
	rc=$?
	after=$(stats)
	set -- $before $after
	req=$(( $4 - $1 )) n304=$(( $5 - $2 )) bytes=$(( $6 - $3 ))
	echo "$size $line requests=$req n304=$n304 bytes=$bytes" >> "$results"
	[ $rc = 0 ] || { echo "$label ($size): failed"; sed 's/^/    /' "$work/err" | tail -n 5; }
}

for size in $SIZES; do
	feeds=${size%x*} entries=${size#*x}
	dir=$($PYTHON "$here/gen_fetch.py" --feeds "$feeds" --entries "$entries") ||
		{ echo "gen_fetch.py failed"; exit 1; }
	# a file per size: the last server, stopping, may still write to its own
	$PYTHON "$here/../server/server.py" --routes "$dir/routes.case" \
		--delay $DELAY > "$work/urls-$size" 2> "$work/server.err" &
	srvpid=$!
	i=0
	# 2,000 routes load slowly on a busy machine: up to a minute
	while [ ! -s "$work/urls-$size" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	base=$(head -n 1 "$work/urls-$size")
	[ -n "$base" ] || { echo "the server did not start"; cat "$work/server.err"; exit 1; }
	port=${base##*:}
	lists=$work/lists-$size
	$PYTHON "$here/gen_fetch.py" --feeds "$feeds" --entries "$entries" \
		--lists "$port" "$lists"
	echo "$size: $feeds feeds x $entries entries ($(du -sk "$dir" | cut -f1) KiB), server $base, +${DELAY} ms an answer, $JOBS at once; load average $(cut -d' ' -f1-3 /proc/loadavg)"

	for tool in $TOOLS; do
		case $tool in
		curl)
			have curl || { echo "skip curl: not installed"; continue; }
			m curl-Z "$size" curl -s -Z --parallel-max $JOBS -K "$lists/urls.curl"
			;;
		warta)
			db=$work/warta-$size.db
			"$WARTA" --db "$db" import "$lists/feeds.opml" > /dev/null || exit 1
			m warta-cold "$size" "$WARTA" --db "$db" fetch -j $JOBS -q
			m warta-same "$size" "$WARTA" --db "$db" fetch -j $JOBS -q --force
			n=$("$WARTA" --db "$db" stats --json | $PYTHON -c 'import json,sys; print(json.load(sys.stdin)["entries"])')
			[ "$n" = $((feeds * entries)) ] || echo "warning: warta archived $n entries of $((feeds * entries))"
			# the same documents from local files: what parsing and
			# archiving cost without any network
			sed "s|http://\(f[0-9]*\)\.localhost:$port/f[0-9]*\.xml|file://$dir/\1.xml|" \
				"$lists/feeds.opml" > "$lists/local.opml"
			db=$work/warta-local-$size.db
			"$WARTA" --db "$db" import "$lists/local.opml" > /dev/null || exit 1
			m warta-file "$size" "$WARTA" --db "$db" fetch -j $JOBS -q
			;;
		newsboat)
			have newsboat || { echo "skip newsboat: not installed (apt-get install newsboat)"; continue; }
			nb=$work/newsboat-$size
			mkdir -p "$nb"
			printf 'reload-threads %d\n' $JOBS > "$nb/config"
			m newsboat-cold "$size" env HOME="$nb" newsboat -x reload -u "$lists/urls" -c "$nb/cache.db" -C "$nb/config"
			m newsboat-same "$size" env HOME="$nb" newsboat -x reload -u "$lists/urls" -c "$nb/cache.db" -C "$nb/config"
			;;
		sfeed)
			have sfeed_update || { echo "skip sfeed: not installed (apt-get install sfeed)"; continue; }
			m sfeed-cold "$size" env HOME="$lists" sfeed_update "$lists/sfeedrc"
			m sfeed-same "$size" env HOME="$lists" sfeed_update "$lists/sfeedrc"
			;;
		esac
	done
	kill "$srvpid" 2>/dev/null
	wait "$srvpid" 2>/dev/null
	srvpid=
done

awk -v jobs=$JOBS -v delay=$DELAY '
function val(line, key,   n, i, kv) {
	n = split(line, kv, " ")
	for (i = 1; i <= n; i++)
		if (index(kv[i], key "=") == 1)
			return substr(kv[i], length(key) + 2)
	return ""
}
{
	size = $1; name = val($0, "name"); rc = val($0, "rc")
	k = size " " name; order[++n] = k
	# +0: numbers, not strings, in the comparisons below
	r[k] = rc; wall[k] = val($0, "wall") + 0; cpu[k] = val($0, "cpu") + 0
	rss[k] = val($0, "rss_kib") + 0; req[k] = val($0, "requests") + 0
	n304[k] = val($0, "n304") + 0; bytes[k] = val($0, "bytes") + 0
}
END {
	printf "%-8s %-14s %8s %8s %9s %9s %6s %9s\n", "size", "run", "wall s", "cpu s", "peak RSS", "requests", "304s", "MiB sent"
	for (i = 1; i <= n; i++) {
		k = order[i]; split(k, p, " ")
		if (r[k] != 0) { printf "%-8s %-14s failed (exit %s)\n", p[1], p[2], r[k]; continue }
		printf "%-8s %-14s %8.2f %8.2f %5.1f MiB %9d %6d %9.1f\n", p[1], p[2], wall[k], cpu[k], rss[k] / 1024, req[k], n304[k], bytes[k] / 1048576
	}
	print "targets (network floor = feeds / " jobs " x " delay " ms):"
	for (i = 1; i <= n; i++) {
		k = order[i]; split(k, p, " ")
		if (p[2] !~ /^warta-/ || r[k] != 0) continue
		split(p[1], s, "x"); feeds = s[1]; floor = feeds / jobs * delay / 1000
		if (feeds == 500 && p[2] == "warta-cold")
			printf "  500 cold: %.2f s, %.2fx the %.2f s floor (want <= 1.5x): %s\n", wall[k], wall[k] / floor, floor, wall[k] <= 1.5 * floor ? "met" : "MISSED"
		if (feeds == 2000 && p[2] == "warta-cold")
			printf "  2000 cold: %.2f s (want < 15 s): %s\n", wall[k], wall[k] < 15 ? "met" : "MISSED"
		if (feeds == 2000 && p[2] == "warta-same")
			printf "  2000 unchanged: %.2f s (want < 8 s), %d of %d answers 304: %s\n", wall[k], n304[k], feeds, (wall[k] < 8 && n304[k] == feeds) ? "met" : "MISSED"
		if (feeds == 2000)
			printf "  2000 %s peak RSS: %.1f MiB (want < 64): %s\n", p[2], rss[k] / 1024, rss[k] < 65536 ? "met" : "MISSED"
	}
}' "$results"
