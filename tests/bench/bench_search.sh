#!/bin/sh
# bench_search.sh WARTA — how fast `warta search` answers over a big archive.
#
# An archive of $SEARCH_N (default 1,000,000) generated Indonesian entries
# (gen_search.c: real roots through the affix rules, names, a Zipf law
# over a long-tailed vocabulary) is built once and cached in
# $BENCH_CACHE, with its FTS index built by warta's own tokenizer; the same
# text goes into a plain unicode61 FTS5 table for the sqlite3 shell.
# Then 200 queries (a quarter each: one word, two words, a "phrase", a
# prefix*), each run as a whole process, best of $RUNS (default 3):
#   warta --db ARCHIVE search -n 20 QUERY
#   sqlite3 PLAIN "SELECT rowid, title, snippet(…) … MATCH … ORDER BY
#                  bm25(…) LIMIT 20"
# Reported: index size against the text it indexes, p50 / p95 / max
# latency (wall and CPU) of both, and their ratio. Targets: p50 under
# 20 ms, p95 under 100 ms, within 2x of the plain FTS5 shell, index
# under 1.5x the text.
set -u
WARTA=$1
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${BENCH_CACHE:-$here/cache}
N=${SEARCH_N:-1000000}
RUNS=${RUNS:-3}
SEED=1
mkdir -p "$cache"

command -v sqlite3 >/dev/null 2>&1 || {
	echo "skip sqlite3: not installed (apt-get install sqlite3)"
	echo "(the plain FTS5 side cannot run; warta alone is measured)"
}
command -v cc >/dev/null 2>&1 || { echo "bench_search: needs cc"; exit 1; }

# What the cached archive depends on: the generator, the tokenizer and
# the index schema. Change one and the archive is built again.
stamp=$( (cat "$here/gen_search.c" "$root/src/tokenizer.c";
	awk '/^const char search_schema/ { p = 1 } p { print } /";$/ { p = 0 }' \
		"$root/src/search.c";
	echo "$N $SEED") | cksum | cut -d' ' -f1)
base=$cache/search-$N-$stamp
archive=$base.db
plain=$base-plain.db
queries=$base-queries.txt
gen=$cache/gen_search-$stamp

if [ ! -x "$gen" ]; then
	cc -O2 -std=c11 -D_GNU_SOURCE -I"$root/src" \
		$(pkg-config --cflags sqlite3 2>/dev/null) \
		"$here/gen_search.c" "$root/src/tokenizer.c" -o "$gen.tmp" \
		$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) \
		-lstemmer -lm || { echo "bench_search: cannot build gen_search"; exit 1; }
	mv "$gen.tmp" "$gen"
fi

if [ ! -f "$archive" ] || [ ! -f "$plain" ] || [ ! -f "$queries" ]; then
	rm -f "$cache"/search-* 2>/dev/null
	echo "building the archive of $N entries (once; cached in $cache)"
	t0=$(date +%s)
	"$gen" entries "$base-gen.db" "$N" "$SEED" || exit 1
	t1=$(date +%s)
	echo "  generated the text: $((t1 - t0)) s"
	"$WARTA" --db "$archive.tmp" stats >/dev/null || exit 1
	"$gen" load "$archive.tmp" "$base-gen.db" || exit 1
	t2=$(date +%s)
	echo "  archived, then indexed with warta's tokenizer: $((t2 - t1)) s" \
	     "($((N / ($t2 - $t1 + 1))) entries/s)"
	"$gen" plain "$plain.tmp" "$base-gen.db" || exit 1
	t3=$(date +%s)
	echo "  the plain unicode61 table: $((t3 - t2)) s"
	"$gen" queries "$base-gen.db" 200 7 > "$queries.tmp" || exit 1
	rm -f "$base-gen.db" "$archive.tmp-wal" "$archive.tmp-shm"
	mv "$archive.tmp" "$archive"
	mv "$plain.tmp" "$plain"
	mv "$queries.tmp" "$queries"
fi

echo "archive: $archive ($(wc -c < "$archive") bytes, $N entries)"
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 -batch -init /dev/null "$archive" "
		SELECT 'text indexed: ' || sum(length(CAST(title AS BLOB)) +
			length(CAST(body AS BLOB)) +
			coalesce(length(CAST(author AS BLOB)), 0) +
			coalesce(length(CAST(category AS BLOB)), 0) +
			length(CAST(feed AS BLOB))) FROM search_content;
		SELECT 'warta index:  ' || sum(pgsize) FROM dbstat WHERE name IN
			('search_data', 'search_idx', 'search_docsize',
			 'search_config');" > "$base-sizes.txt"
	sqlite3 -batch -init /dev/null "$plain" "
		SELECT 'plain index:  ' || sum(pgsize) FROM dbstat WHERE name IN
			('p_data', 'p_idx', 'p_docsize', 'p_config');" \
		>> "$base-sizes.txt"
	awk '
		/^text indexed:/ { text = $3 }
		/^warta index:/ { w = $3 }
		/^plain index:/ { p = $3 }
		END {
			printf "text indexed  %.1f MB\n", text / 1e6
			printf "warta index   %.1f MB = %.2fx the text (target < 1.5x: %s)\n",
				w / 1e6, w / text, w / text < 1.5 ? "met" : "MISSED"
			printf "plain index   %.1f MB = %.2fx the text (unicode61, no stems)\n",
				p / 1e6, p / text
		}' "$base-sizes.txt"
fi

WARTA=$WARTA ARCHIVE=$archive PLAIN=$plain QUERIES=$queries RUNS=$RUNS \
$PYTHON - <<'EOF'
import os, shutil, subprocess, sys, time

warta, archive, plain = os.environ["WARTA"], os.environ["ARCHIVE"], os.environ["PLAIN"]
runs = int(os.environ["RUNS"])
queries = [l.rstrip("\n").split("\t") for l in open(os.environ["QUERIES"])]
have_sqlite = shutil.which("sqlite3") is not None
kinds = ["one word", "two words", "phrase", "prefix"]

def plain_sql(q):
    return ("SELECT rowid, title, snippet(p, 1, '[', ']', '…', 24) FROM p "
            "WHERE p MATCH '%s' ORDER BY bm25(p, 8.0, 1.0, 2.0, 2.0, 0.5) "
            "LIMIT 20;" % q.replace("'", "''"))

def once(cmd):
    """Wall and CPU seconds of one run, and its output's line count."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit("failed (%d): %s" % (p.returncode, " ".join(cmd)))
    return wall, ru.ru_utime + ru.ru_stime, out

def best(cmd):
    r = [once(cmd) for _ in range(runs)]
    return min(x[0] for x in r), min(x[1] for x in r), r[0][2]

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]

w_cmd = lambda q: [warta, "--db", archive, "search", "-n", "20", q]
p_cmd = lambda q: ["sqlite3", "-batch", "-init", "/dev/null", plain, plain_sql(q)]

# warm the page cache and the binaries once, unmeasured
for user, fts in queries:
    once(w_cmd(user))
    if have_sqlite:
        once(p_cmd(fts))

rows, empty = [], 0
for i, (user, fts) in enumerate(queries):
    ww, wc, out = best(w_cmd(user))
    if not out.strip():
        empty += 1
    pw = pc = None
    if have_sqlite:
        pw, pc, _ = best(p_cmd(fts))
    rows.append((kinds[i % 4], user, ww, wc, pw, pc))

def line(name, sel):
    ww = [r[2] for r in sel]; wc = [r[3] for r in sel]
    s = "%-10s n=%-3d warta wall p50 %5.1f p95 %6.1f max %6.1f ms, cpu p50 %5.1f p95 %6.1f" % (
        name, len(sel), 1e3 * pct(ww, .5), 1e3 * pct(ww, .95), 1e3 * max(ww),
        1e3 * pct(wc, .5), 1e3 * pct(wc, .95))
    if have_sqlite:
        pw = [r[4] for r in sel]; pc = [r[5] for r in sel]
        s += " | sqlite3 wall p50 %5.1f p95 %6.1f, cpu p50 %5.1f p95 %6.1f" % (
            1e3 * pct(pw, .5), 1e3 * pct(pw, .95), 1e3 * pct(pc, .5), 1e3 * pct(pc, .95))
    print(s)

print("%d queries, each the best of %d runs as a whole process" % (len(rows), runs))
for k in kinds:
    line(k, [r for r in rows if r[0] == k])
line("all", rows)
print("warta printed no hit for %d of %d queries" % (empty, len(rows)))
ww = [r[2] for r in rows]
p50, p95 = 1e3 * pct(ww, .5), 1e3 * pct(ww, .95)
print("target p50 < 20 ms: %s (%.1f ms)" % ("met" if p50 < 20 else "MISSED", p50))
print("target p95 < 100 ms: %s (%.1f ms)" % ("met" if p95 < 100 else "MISSED", p95))
if have_sqlite:
    for name, i in (("wall", 2), ("cpu", 3)):
        w50, w95 = pct([r[i] for r in rows], .5), pct([r[i] for r in rows], .95)
        s50, s95 = pct([r[i + 2] for r in rows], .5), pct([r[i + 2] for r in rows], .95)
        print("warta / plain FTS5 (%s): p50 %.2fx, p95 %.2fx" % (name, w50 / s50, w95 / s95))
    w50 = pct([r[2] for r in rows], .5); s50 = pct([r[4] for r in rows], .5)
    print("target within 2x of the plain FTS5 shell (p50 wall): %s" % (
        "met" if w50 <= 2 * s50 else "MISSED"))
slow = sorted(rows, key=lambda r: -r[2])[:5]
print("slowest for warta: " + "; ".join("%s %.0f ms" % (r[1], 1e3 * r[2]) for r in slow))
EOF
