#!/bin/sh
# deps.sh build|check — make sure what warta needs is installed.
#
# On Debian/Ubuntu it asks dpkg which packages are missing; as root it
# installs them with apt-get, otherwise it prints the exact command and
# fails, so `make` stops with the fix in view. "build" is what compiling
# needs; "check" adds what the test suite runs against (Python with
# feedparser for the test server and reader checks, jing, newsboat,
# xmllint, the sqlite3 shell, clang for the warning and fuzz builds).
set -eu

what=${1:-build}
build_pkgs="gcc libc6-dev make pkg-config libcurl4-openssl-dev libxml2-dev libsqlite3-dev libstemmer-dev"
check_pkgs="python3 python3-feedparser jing newsboat libxml2-utils sqlite3 clang libclang-rt-dev groff-base man-db bash zsh ca-certificates openssl"

case $what in
build) pkgs=$build_pkgs ;;
check) pkgs="$build_pkgs $check_pkgs" ;;
*) echo "usage: deps.sh build|check" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: say what is needed and trust the build to tell the rest.
	for c in cc pkg-config; do
		command -v $c >/dev/null 2>&1 || {
			echo "warta: '$c' is missing; install a C compiler, pkg-config, and the development files of libcurl, libxml2, sqlite3 and libstemmer" >&2
			exit 1
		}
	done
	exit 0
fi

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $st in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
	echo "warta: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
	exit 0
fi
echo "warta: missing packages:$missing" >&2
echo "warta: install them with:  sudo apt-get update && sudo $cmd" >&2
exit 1
