#!/bin/sh
# bench_ingest.sh WARTA — the archive's ingest: 2,000 WordPress-style feeds
# of 50 entries (100,000 entries, local files, gen_ingest.py) fetched into
# a fresh archive, then again two ways:
#   nothing changed   every document as it was: each is skipped by its
#                     SHA-256 (the 304 of sites that send no validators)
#   no entry changed  every document differs (a new lastBuildDate, as
#                     WordPress sends), no entry does: all 100,000 are
#                     parsed and compared by their version hash, and
#                     nothing is written
# and a cold run of a tenth of the feeds, to see peak RSS not follow;
# against the floor: FTS5 alone indexing that run's texts (fts_floor.c).
# Targets: >= 10,000 new entries/s cold; the re-run with nothing changed
# >= 5x faster than the cold one; peak RSS < 64 MiB and flat in the
# number of feeds. INGEST_FEEDS and INGEST_ITEMS change the size; RUNS is not used
# (each run changes the archive, so each is measured once).
set -eu
WARTA=$1
FEEDS=${INGEST_FEEDS:-2000}
ITEMS=${INGEST_ITEMS:-50}
SMALL=$((FEEDS / 10))
root=$BENCH_CACHE/ingest-$FEEDS-$ITEMS
db=$BENCH_CACHE/ingest.db

gen() { # dir feeds build
	$PYTHON "$BENCH_DIR/gen_ingest.py" --feeds "$2" --items "$ITEMS" \
		--build "$3" --out "$1" >/dev/null
}
echo "generating $FEEDS feeds x $ITEMS entries (cached in $root)"
# Two copies that differ only in each channel's lastBuildDate; the
# archive's URLs go through the "cur" link, so switching is instant.
gen "$root/b0" "$FEEDS" 0
gen "$root/b1" "$FEEDS" 1
bytes=$(cat "$root"/b0/feed-*.xml | wc -c)
ln -sfn b0 "$root/cur"
sed "s|$root/b0/|$root/cur/|" "$root/b0/feeds.opml" > "$root/cur.opml"

fresh() { # opml
	rm -f "$db" "$db-wal" "$db-shm"
	"$WARTA" --db "$db" import "$1" >/dev/null
}
kv() { # key, from the last measure line
	printf '%s\n' "$last" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
measure() { # name, command…
	name=$1
	shift
	last=$($MEASURE --kv --name "$name" -- "$@")
	printf '%s\n' "$last"
}
count() { # stats key
	"$WARTA" --db "$db" stats --json | $PYTHON -c \
		"import json,sys; print(json.load(sys.stdin)['$1'])"
}

n=$((FEEDS * ITEMS))
fresh "$root/cur.opml"
measure cold "$WARTA" --db "$db" fetch -q
cold=$(kv wall)
cold_rss=$(kv rss_kib)
cold_cpu=$(kv cpu)
got=$(count entries)
[ "$got" -ge "$n" ] || { echo "bench_ingest: only $got of $n entries archived"; exit 1; }
size=$(count bytes)

measure nothing-changed "$WARTA" --db "$db" fetch -q --force
same_bytes=$(kv wall)
same_bytes_rss=$(kv rss_kib)
same_bytes_cpu=$(kv cpu)

ln -sfn b1 "$root/cur"
measure no-entry-changed "$WARTA" --db "$db" fetch -q --force
same=$(kv wall)
same_rss=$(kv rss_kib)
same_cpu=$(kv cpu)
ln -sfn b0 "$root/cur"
revs=$(count revisions)
got2=$(count entries)
[ "$revs" = 0 ] && [ "$got2" = "$got" ] ||
	{ echo "bench_ingest: the re-run wrote ($got2 entries, $revs revisions)"; exit 1; }

# the same, a tenth of the feeds: peak RSS must not follow
$PYTHON - "$root/cur.opml" "$SMALL" > "$root/small.opml" <<'EOF'
import sys
lines = open(sys.argv[1]).read().splitlines(True)
head = [l for l in lines if "xmlUrl" not in l and "</body>" not in l
        and "</opml>" not in l]
feeds = [l for l in lines if "xmlUrl" in l][:int(sys.argv[2])]
sys.stdout.write("".join(head + feeds + ["</body>\n</opml>\n"]))
EOF
# the same feeds as `warta add URL` leaves them, without a title: their
# first fetch names them, which must not index their entries twice
sed 's/ text="[^"]*"//; s/ title="[^"]*"//' "$root/small.opml" > "$root/untitled.opml"
fresh "$root/untitled.opml"
measure cold-$SMALL-untitled "$WARTA" --db "$db" fetch -q
untitled_cpu=$(kv cpu)
fresh "$root/small.opml"
measure cold-$SMALL-feeds "$WARTA" --db "$db" fetch -q
small_rss=$(kv rss_kib)
small_cpu=$(kv cpu)
# The floor: FTS5 alone indexing the same texts, 50 a transaction, in
# memory (fts_floor.c), with unicode61 and with warta's tokenizer.
floor=$BENCH_CACHE/fts_floor
src=$(cd "$BENCH_DIR/../../src" && pwd)
if [ ! -x "$floor" ] || [ "$BENCH_DIR/fts_floor.c" -nt "$floor" ] ||
   [ "$src/tokenizer.c" -nt "$floor" ]; then
	cc -O2 -std=c11 -D_GNU_SOURCE -I"$src" \
		$(pkg-config --cflags sqlite3 2>/dev/null) \
		"$BENCH_DIR/fts_floor.c" "$src/tokenizer.c" -o "$floor" \
		$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) \
		-lstemmer || floor=
fi
floor_u61=0 floor_warta=0
if [ -n "$floor" ]; then
	floor_u61=$("$floor" "$db" unicode61 | sed -n 's/.*per_cpu_s=//p')
	floor_warta=$("$floor" "$db" warta | sed -n 's/.*per_cpu_s=//p')
fi
rm -f "$db" "$db-wal" "$db-shm"

$PYTHON - "$n" "$bytes" "$size" "$cold" "$same" "$same_bytes" "$cold_rss" \
	"$same_rss" "$same_bytes_rss" "$small_rss" "$FEEDS" "$SMALL" \
	"$cold_cpu" "$same_cpu" "$same_bytes_cpu" "$small_cpu" "$floor_u61" \
	"$floor_warta" "$ITEMS" "$untitled_cpu" <<'EOF'
import sys
(n, nbytes, size, cold, same, same_bytes, rss, same_rss, sb_rss, small_rss,
 feeds, small, cold_cpu, same_cpu, sb_cpu, small_cpu, floor_u61,
 floor_warta, items, untitled_cpu) = sys.argv[1:]
n, nbytes, size = int(n), int(nbytes), int(size)
cold, same, same_bytes = float(cold), float(same), float(same_bytes)
cold_cpu, same_cpu, sb_cpu = float(cold_cpu), float(same_cpu), float(sb_cpu)
small_cpu = float(small_cpu)
floor_u61, floor_warta = float(floor_u61 or 0), float(floor_warta or 0)
small_n = int(small) * int(items)
peak = max(int(rss), int(same_rss), int(sb_rss)) / 1024
small_peak = int(small_rss) / 1024
print("%d entries, %.0f MB of feeds (%.1f KB an entry), archive %.0f MB"
      % (n, nbytes / 1e6, nbytes / n / 1e3, size / 1e6))
print("(wall seconds on this machine as it is; CPU seconds beside them:"
      " the 2 cores are shared, and wall can be several times CPU)")
print("cold:                    %6.2f s  %7.0f entries/s (target >= 10000: %s)"
      "; CPU %.1f s, %.0f entries per CPU-second"
      % (cold, n / cold, "met" if n / cold >= 10000 else "MISSED",
         cold_cpu, n / cold_cpu))
print("again, nothing changed:  %6.2f s  %5.1fx faster than cold "
      "(target >= 5x: %s)" % (same_bytes, cold / same_bytes,
                              "met" if cold / same_bytes >= 5 else "MISSED"))
print("again, no entry changed: %6.2f s  %5.1fx faster than cold "
      "(%.0f entries/s parsed and compared, none written); CPU %.1f s"
      % (same, cold / same, n / same, same_cpu))
print("first fetch of %s feeds with no title (as `warta add URL` leaves "
      "them): CPU %.1f s, against %.1f s for the same feeds titled"
      % (small, float(untitled_cpu), small_cpu))
if floor_u61 > 0 and floor_warta > 0:
    print("the floor, FTS5 alone indexing the same %d texts (in memory, 50 "
          "a transaction): %.0f per CPU-second with unicode61, %.0f with "
          "warta's tokenizer (each word and its stem); 10,000/s would take "
          "%.1f cores for the index alone, of the 2"
          % (small_n, floor_u61, floor_warta, 10000 / floor_warta))
print("peak RSS: %.1f MiB with %s feeds, %.1f MiB with %s (target "
      "< 64 MiB and flat: %s)" % (peak, feeds, small_peak, small,
                                  "met" if peak < 64 and peak < small_peak * 1.25 + 4
                                  else "MISSED"))
EOF
