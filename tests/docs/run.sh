#!/bin/sh
# run.sh WARTA — the documentation and packaging tests, as tests/check.sh
# runs them (phase "docs"): the man page, the shell completions, make
# install / uninstall, the README's Quick start in a fresh clone.
# Each test script prints "ok WHAT", "FAIL WHAT: why" or "skip WHAT: why"
# lines; this sums them up in the suite's "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
WARTA=${1:-./warta}
case $WARTA in /*) ;; *) WARTA=$(pwd)/$WARTA ;; esac
export WARTA
PYTHON=${PYTHON:-python3}
export PYTHON
out=build/docs-tests.out
: > "$out"
for t in tests/docs/t_*.sh; do
	sh "$t" >> "$out" 2>&1 || echo "FAIL $t: exited $?" >> "$out"
done
cat "$out"
pass=$(grep -c '^ok ' "$out")
fail=$(grep -c '^FAIL ' "$out")
echo "$pass passed, $fail failed"
