#!/bin/sh
# The README's Quick start, exactly as written, in a fresh clone of this
# repository's HEAD: the commands are taken from the first fenced block
# under "## Quick start", so the test breaks when the README drifts from
# what works. Of the two, only the demo command is run here: the other is
# `make check`, which is what runs this test (running it here would
# recurse); .ci/run is where a fresh clone runs it. The demo's output must
# show the feeds of feeds/samples/ archived, and its archive must answer
# a search.
. tests/docs/lib.sh
readme=README.md
awk '/^## Quick start/ { q = 1; next }
     q && /^## / { exit }
     q && /^```/ { if (f) exit; f = 1; next }
     f { print }' "$readme" > "$tmp/quick"
if [ "$(sed -n '$=' "$tmp/quick")" = 2 ] && grep -qx 'make check' "$tmp/quick"; then
	ok "readme: Quick start's first block is two commands, one of them make check"
else
	fail "readme: Quick start's first block is not two commands with make check: $(tr '\n' ';' < "$tmp/quick")"
	exit 0
fi
demo=$(grep -vx 'make check' "$tmp/quick")
if ! command -v git >/dev/null 2>&1; then
	skip "readme: git is not installed: no clone"
	exit 0
fi
if ! git rev-parse --git-dir > /dev/null 2>&1; then
	skip "readme: not a git checkout (a tarball?): no clone"
	exit 0
fi
git clone -q "$(pwd)" "$tmp/clone" > "$tmp/clone.out" 2>&1 ||
	{ fail "readme: git clone: $(cat "$tmp/clone.out")"; exit 0; }
ok "readme: git clone of HEAD"
(cd "$tmp/clone" && sh -c "$demo") > "$tmp/demo.out" 2>&1
rc=$?
[ $rc = 0 ] && ok "readme: '$demo' in the clone exits 0" ||
	fail "readme: '$demo' in the clone exits $rc: $(tail -n 5 "$tmp/demo.out" | tr '\n' ' ')"
missing=
for f in "$tmp"/clone/feeds/samples/*.xml; do
	grep -q "feeds/samples/$(basename "$f")" "$tmp/demo.out" || missing="$missing $(basename "$f")"
done
[ -z "$missing" ] && ok "readme: the demo subscribes to every sample feed" ||
	fail "readme: the demo's output does not name:$missing"
grep -Eq '^[0-9]+ feeds: [0-9]+ fetched, 0 not modified, 0 failed; [1-9][0-9]* new entries' "$tmp/demo.out" &&
	ok "readme: the demo's first fetch archives new entries, no failure" ||
	fail "readme: no '… fetched, 0 failed; N new entries' summary in the demo's output"
grep -q '\[pemberdayaan\]' "$tmp/demo.out" &&
	ok "readme: the demo's search shows a marked match" ||
	fail "readme: the demo's search shows no [pemberdayaan] match"
db=$tmp/clone/build/demo.db
"$tmp/clone/warta" --db "$db" search berdaya --json > "$tmp/hits.json" 2> "$tmp/hits.err"
if "$PYTHON" -c '
import json, sys
hits = json.load(open(sys.argv[1]))
assert hits, "no hit"
assert all("banjarbaru" in h["url"] or "kalselprov" in h["url"] for h in hits), hits
' "$tmp/hits.json" 2> "$tmp/py.err"; then
	ok "readme: the demo's archive finds 'berdaya' (pemberdayaan) in the sample feeds"
else
	fail "readme: search berdaya on the demo archive: $(cat "$tmp/hits.err" "$tmp/py.err" | tail -n 3 | tr '\n' ' ')"
fi
