#!/bin/sh
# run.sh WARTA [NAME…] — `make bench`: every tests/bench/bench_*.sh in turn
# (or only bench_NAME.sh for each NAME given), each as `sh bench_X.sh WARTA`
# with WARTA an absolute path and these in the environment:
#   PYTHON   the Python 3 to use (Debian's, which has feedparser)
#   MEASURE  "$PYTHON tests/bench/measure.py": wall, CPU, peak RSS, best of N
#   BENCH_DIR, BENCH_CACHE  this folder and its git-ignored cache/
# A bench prints what it measured, against what, and its targets; it says
# "skip TOOL: …" for a comparison tool that is not installed. A target
# missed is reported, not fatal; the exit status is 1 only when a bench
# could not run. Benchmarks never run in `make check`.
set -u
[ $# -ge 1 ] || { echo "usage: run.sh WARTA [NAME…]" >&2; exit 2; }
WARTA=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
BENCH_CACHE=$BENCH_DIR/cache
PYTHON=${PYTHON:-python3}
MEASURE="$PYTHON $BENCH_DIR/measure.py"
export WARTA PYTHON MEASURE BENCH_DIR BENCH_CACHE
mkdir -p "$BENCH_CACHE"

if [ $# -gt 0 ]; then
	list=
	for n in "$@"; do
		f=$BENCH_DIR/bench_${n#bench_}
		f=${f%.sh}.sh
		[ -f "$f" ] || { echo "run.sh: no $f" >&2; exit 2; }
		list="$list $f"
	done
else
	list=$(ls "$BENCH_DIR"/bench_*.sh 2>/dev/null)
fi

status=0
for b in $list; do
	name=$(basename "$b" .sh)
	echo "== ${name#bench_}"
	start=$(date +%s)
	if ! sh "$b" "$WARTA"; then
		echo "== ${name#bench_}: could not run"
		status=1
	fi
	echo "== ${name#bench_}: $(( $(date +%s) - start )) s"
done
exit $status
