#!/bin/sh
# demo.sh WARTA — the main job on the bundled feeds, offline: subscribe to
# every sample under feeds/samples/ (as file:// URLs), fetch them into a
# fresh archive (build/demo.db), fetch again (nothing changed: nothing
# written), and show what was stored: a story two feeds carried, an entry
# its feed gave no readable date, a search. The archive stays for
# exploring:  ./warta --db build/demo.db feeds
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
# the city's own feed first: the provincial portal republishes one of its
# stories, and the archive keeps it as one story with two sources
first=feeds/samples/mediacenter-banjarbaru.xml
run add "$first" --no-fetch --tag kalsel
for f in feeds/samples/*.xml; do
	[ "$f" = "$first" ] || run add "$f" --no-fetch --tag sampel
done
run fetch -v
run fetch -v --force
run feeds
run stats
run show 1
run show 8
run search pemberdayaan
run log -n 4
echo "The archive is $db: try  $warta --db $db show 5 --json"
