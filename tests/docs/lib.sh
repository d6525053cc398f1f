# lib.sh — what the tests/docs/t_*.sh scripts share: ok/fail/skip lines
# for run.sh to count, and a temporary folder removed on exit.
set -u
ok() { echo "ok $*"; }
fail() { echo "FAIL $*"; }
skip() { echo "skip $*"; }
check() { # WHAT, then a command: ok if it succeeds
	what=$1; shift
	if "$@" > "$tmp/check.out" 2>&1; then ok "$what"
	else fail "$what: $(head -c 600 "$tmp/check.out" | tr '\n' ' ')"; fi
}
: "${WARTA:=$(pwd)/warta}"
: "${PYTHON:=python3}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warta-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
