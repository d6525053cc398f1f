#!/bin/sh
# check.sh — the whole test suite, as `make check` runs it.
#
# Phases: warning-free builds with gcc and clang; the unit tests; the
# declarative cases against the real binary; the documentation and
# packaging tests (tests/docs/); the first two again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Each phase ends with its
# own "N passed, N failed"; the last line of all sums them.
set -u
PYTHON=${PYTHON:-python3}
total_pass=0
total_fail=0
log=build/check.log
: > "$log"

tally() { # phase name, then the phase's output on stdin
	out=$(cat)
	printf '%s\n' "$out" | grep -v '^ok ' | grep -v '^[0-9]* passed, [0-9]* failed$' || true
	last=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$last" ]; then
		echo "== $1: no summary line (crashed?)"
		total_fail=$((total_fail + 1))
		return
	fi
	p=${last%% passed*}
	f=${last#*, }; f=${f%% failed*}
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	echo "== $1: $last"
}

warnings() { # compiler
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "0 passed, 0 failed"
		return
	fi
	flags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 $(pkg-config --cflags libcurl libxml-2.0 sqlite3)"
	bad=0
	for f in src/*.c tests/unit/*.c; do
		"$1" $flags -Isrc -c "$f" -o /dev/null 2>>"$log" || { echo "  $1 warns on $f"; bad=1; }
	done
	[ $bad = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
}

# A pipeline would run tally in a subshell and lose the sums: go through
# a file.
phase() { # name, command…
	name=$1; shift
	"$@" > build/phase.out 2>&1
	tally "$name" < build/phase.out
}

phase "gcc -Wall -Wextra -Werror" warnings gcc
phase "clang -Wall -Wextra -Werror" warnings clang
# VALGRIND=1 (make check VALGRIND=1): the unit tests and the cases once
# under valgrind's memcheck on the plain binary, instead of the plain and
# ASan runs (valgrind finds what they do, 20-50 times slower). A memory
# error or a definite leak fails the test (exit 97, or a report in the
# case's sanitizer folder: tests/valgrind/valgrind-warta); timeouts are scaled,
# and the timing-bound (nosanitizer) cases skipped as under ASan.
if [ "${VALGRIND:-0}" = 1 ]; then
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "warta: valgrind is missing; install it with: apt-get install valgrind" >&2
		exit 1
	fi
	vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --error-exitcode=97 --suppressions=tests/valgrind/warta.supp"
	phase "unit tests (valgrind)" $vg ./build/unit-tests
	phase "cases (valgrind)" env WARTA_REAL="$(pwd)/warta" \
		$PYTHON tests/harness.py --warta tests/valgrind/valgrind-warta --sanitizer \
		--timeout-scale 25 -j 2
	echo "$total_pass passed, $total_fail failed"
	[ "$total_fail" = 0 ]
	exit
fi
phase "unit tests" ./build/unit-tests
if [ -f tests/harness.py ]; then
	phase "cases" $PYTHON tests/harness.py --warta ./warta
fi
# The man page, completions, make install, the README's Quick start
# (tests/docs/): once, on the plain binary.
phase "docs" env PYTHON="$PYTHON" sh tests/docs/run.sh ./warta
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
phase "unit tests (ASan+UBSan)" ./build/asan/unit-tests
if [ -f tests/harness.py ]; then
	phase "cases (ASan+UBSan)" $PYTHON tests/harness.py --warta ./build/asan/warta --sanitizer
fi
echo "$total_pass passed, $total_fail failed"
# for .ci/run, which adds the fuzz pass to this total
echo "$total_pass passed, $total_fail failed" > build/check.summary
[ "$total_fail" = 0 ]
