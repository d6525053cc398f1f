#!/bin/sh
# reliability.sh — `make reliability`: the figures of README's
# "Reliability" section, measured again and printed.
#
#   - the hostile, security, crash and concurrency cases (ours, and those
#     of the other suites that answer the same questions) with a count;
#   - the tallies of the kill, reader and purge drivers
#     (tests/fixtures/hostile/hostile.py), run once more in the open;
#   - `make fuzz` at FUZZ_SECONDS a target (its own lines).
# Ends with "N passed, N failed" over the cases, the drivers and the
# fuzz targets.
set -u
PYTHON=${PYTHON:-python3}
WARTA=${WARTA:-./warta}
H=tests/fixtures/hostile/hostile.py
pass=0 fail=0
add() { # the "N passed, N failed" line of some output, on stdin
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	[ -n "$last" ] || { fail=$((fail + 1)); return; }
	pass=$((pass + ${last%% passed*}))
	f=${last#*, }; fail=$((fail + ${f%% failed*}))
}

echo "== hostile input, security, crash and concurrency cases"
ours="hostile_* security_* crash_* concurrency_*"
theirs="parse_hostile fetch_redirect_limits fetch_slow fetch_broken_bodies \
fetch_gzip_bomb fetch_big fetch_tls fetch_total_timeout fetch_lock \
archive_damaged archive_newer archive_file archive_crash archive_readers \
export_readers"
have=""
for c in $theirs; do
	[ -f "tests/cases/$c.case" ] && have="$have $c"
done
# shellcheck disable=SC2086
$PYTHON tests/harness.py --warta "$WARTA" $ours $have > build/reliability.cases 2>&1
grep -v '^ok ' build/reliability.cases
add < build/reliability.cases

echo "== kill points, readers and purges (hostile.py, in the open)"
d=build/reliability
rm -rf "$d" && mkdir -p "$d"
$PYTHON $H feeds "$d/feeds" 40 100
seed=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
for step in "kill $WARTA $d/feeds 50 $seed" "readers $WARTA $d/feeds" \
	"purge $WARTA $d/feeds"; do
	# shellcheck disable=SC2086
	if $PYTHON $H $step > "$d/out" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	sed 's/^/  /' "$d/out"
done

echo "== fuzzing, ${FUZZ_SECONDS:-60} s a target"
make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}" > build/reliability.fuzz 2>&1
grep -E '^(fuzz |    )' build/reliability.fuzz
add < build/reliability.fuzz
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
