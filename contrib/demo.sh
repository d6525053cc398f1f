#!/bin/sh
# demo.sh WARTA — the main job on the bundled feeds, offline.
# For now: parse a bundled sample and show what warta reads from it.
set -eu
warta=${1:-./warta}
for f in feeds/samples/*.xml; do
	echo "== warta parse $f"
	"$warta" parse "$f"
done
