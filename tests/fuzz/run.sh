#!/bin/sh
# run.sh SECONDS BINARY… — `make fuzz`: each libFuzzer target for SECONDS,
# one after another, on its corpus in build/fuzz/corpus/NAME (kept between
# runs, git-ignored) seeded afresh from tests/fixtures/ by seeds.py.
# Prints, per target, executions, seconds and crashes; a crash (or a
# leak, a timeout, an out-of-memory) fails the target and leaves its
# reproducer in build/fuzz/crashes/NAME/, with the command that replays
# it. Ends with "N passed, N failed" over the targets.
set -u
secs=$1; shift
PYTHON=${PYTHON:-python3}
SHARED=${SHARED:-../shared}
here=$(dirname "$0")
pass=0 fail=0
for bin in "$@"; do
	name=${bin##*/fuzz_}
	seeds=build/fuzz/seeds/$name corpus=build/fuzz/corpus/$name
	crashes=build/fuzz/crashes/$name log=build/fuzz/$name.log
	rm -rf "$seeds"
	mkdir -p "$seeds" "$corpus" "$crashes"
	$PYTHON "$here/seeds.py" "$name" "$seeds" "$SHARED" >/dev/null || {
		echo "fuzz $name: cannot write the seeds"; fail=$((fail + 1)); continue; }
	# FUZZ_SEED (CI sets one): the same mutations on each run, so a
	# red CI means the code changed, not that the dice did
	set -- ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
		-max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -malloc_limit_mb=2048 -artifact_prefix="$crashes/"
	case $name in
	parse|opml) set -- "$@" -dict="$here/xml.dict" -max_len=262144 ;;
	html) set -- "$@" -dict="$here/html.dict" -max_len=65536 ;;
	date) set -- "$@" -dict="$here/date.dict" -max_len=256 ;;
	search) set -- "$@" -dict="$here/search.dict" -max_len=4160 ;;
	http) [ -f "$here/http.dict" ] && set -- "$@" -dict="$here/http.dict"
	      set -- "$@" -max_len=65536 ;;
	esac
	# Every crash found so far is kept in tests/fuzz/regress/NAME/:
	# replayed first, so a regression fails at once.
	if [ -d "$here/regress/$name" ] && [ -n "$(ls "$here/regress/$name")" ]; then
		if ! "$bin" "$here/regress/$name"/* >"$log" 2>&1; then
			echo "fuzz $name: a reproducer in tests/fuzz/regress/$name fails again (log: $log)"
			grep -E '^fuzz:|SUMMARY|Running:' "$log" | tail -n 4 | sed 's/^/    /'
			fail=$((fail + 1))
			continue
		fi
	fi
	before=$(ls "$crashes" | wc -l)
	# warta's warnings (warnmsg) would drown the log: libFuzzer's own
	# lines go to stderr too, so only the target's stdout is closed.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" "$@" -close_fd_mask=1 "$corpus" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	found=$(( $(ls "$crashes" | wc -l) - before ))
	if [ "$rc" = 0 ] && [ "$found" = 0 ]; then
		echo "fuzz $name: ${execs:-?} executions in ${took:-$secs} s, 0 crashes"
		pass=$((pass + 1))
	else
		[ "$found" = 0 ] && found="?"
		echo "fuzz $name: ${execs:-?} executions, exit $rc, $found crashes (log: $log)"
		grep -E 'ERROR|^fuzz:|SUMMARY|Test unit written' "$log" | head -n 8 | sed 's/^/    /'
		for f in $(ls -t "$crashes" | head -n 3); do
			echo "    replay: $bin $crashes/$f"
		done
		fail=$((fail + 1))
	fi
done
echo "== fuzz: $pass passed, $fail failed"
# .ci/run: the last line sums make check's phases and the fuzz targets
if [ -n "${FUZZ_ADD_SUMMARY:-}" ] && [ -f "$FUZZ_ADD_SUMMARY" ]; then
	line=$(cat "$FUZZ_ADD_SUMMARY")
	echo "== make check: $line"
	p=${line%% passed*}
	f=${line#*, }; f=${f%% failed*}
	pass=$((pass + p)) fail=$((fail + f))
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
