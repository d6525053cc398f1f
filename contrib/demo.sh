#!/bin/sh
# demo.sh WARTA — the main job on the bundled feeds, offline: subscribe to
# every sample under feeds/samples/ (as file:// URLs), fetch them into a
# fresh archive (build/demo.db), fetch again (nothing new: nothing
# written), and show what was stored. The archive stays for exploring:
#   ./warta --db build/demo.db feeds
set -eu
warta=${1:-./warta}
mkdir -p build
db=build/demo.db
rm -f "$db" "$db-wal" "$db-shm"
run() {
	echo "\$ warta $*"
	"$warta" --db "$db" "$@" || echo "(exit status $?)"
	echo
}
for f in feeds/samples/*.xml; do
	run add "$f" --no-fetch --tag sampel
done
run fetch -v
run fetch -v --force
run feeds
run stats
run show 1
run log -n 5
echo "The archive is $db: try  $warta --db $db show 2 --json"
