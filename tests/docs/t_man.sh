#!/bin/sh
# The man page renders with no groff warning, and documents exactly the
# options each command's --help lists (and the commands warta --help
# lists): a new option must reach both, and neither may keep a stale one.
. tests/docs/lib.sh
man=contrib/warta.1
if command -v groff >/dev/null 2>&1; then
	groff -ww -man -Tutf8 "$man" > "$tmp/man.txt" 2> "$tmp/man.err"
	if [ -s "$tmp/man.err" ]; then
		fail "man: groff -ww warns: $(head -n 5 "$tmp/man.err" | tr '\n' ' ')"
	elif ! sed "s/.$(printf '\b')//g" "$tmp/man.txt" | grep -q 'EXIT STATUS'
	then
		fail "man: groff rendered no EXIT STATUS section"
	else
		ok "man: groff -ww -man renders contrib/warta.1 with no warning"
	fi
else
	skip "man: groff is not installed (contrib/deps.sh check installs groff-base)"
fi
"$PYTHON" tests/docs/man_options.py "$WARTA" "$man"
