#!/bin/sh
# make install / uninstall with PREFIX and DESTDIR: the files installed
# are exactly those the man page's FILES section lists under /usr/local
# (read as PREFIX), the installed program runs, the example units pass
# systemd-analyze verify (which also runs man on their Documentation=, so
# the installed page must be where man finds it), and uninstall leaves no
# file behind.
. tests/docs/lib.sh
d=$tmp/dest
prefix=/opt/warta-test
if ! make -s install DESTDIR="$d" PREFIX="$prefix" > "$tmp/install.out" 2>&1; then
	fail "install: make install DESTDIR PREFIX: $(tail -n 3 "$tmp/install.out" | tr '\n' ' ')"
	exit 0
fi
ok "install: make install DESTDIR=… PREFIX=$prefix"
# the paths the man page promises, as installed under this PREFIX
sed -n '/^\.SH FILES/,/^\.SH/p' contrib/warta.1 | sed -n 's/^\.I \(\/usr\/local\/[^ ]*\)$/\1/p' |
	sed 's/\\-/-/g; s|^/usr/local|'"$prefix"'|' | sort > "$tmp/promised"
(cd "$d" && find . -type f | sed 's|^\.||' | sort) > "$tmp/installed"
if [ ! -s "$tmp/promised" ]; then
	fail "install: no /usr/local path found in the man page's FILES"
elif cmp -s "$tmp/promised" "$tmp/installed"; then
	ok "install: the files installed are the man page's FILES ($(wc -l < "$tmp/installed"))"
else
	fail "install: installed and man FILES differ: $(diff "$tmp/promised" "$tmp/installed" | grep '^[<>]' | tr '\n' ' ')"
fi
check "install: the installed warta runs" "$d$prefix/bin/warta" --version
check "install: the examples name the PREFIX's binary" \
	grep -q "$prefix/bin/warta" "$d$prefix/share/warta/crontab" \
	"$d$prefix/share/warta/systemd/warta-fetch.service"
check "install: man finds the installed page" \
	env MANPATH="$d$prefix/share/man" man -w warta
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$tmp/units"
	cp "$d$prefix/share/warta/systemd/"* "$tmp/units/"
	sed -i "s|^ExecStart=$prefix/bin/warta|ExecStart=$d$prefix/bin/warta|" \
		"$tmp/units/warta-fetch.service"
	# verify exits 0 on a line it ignores: any word from it is a failure
	(cd "$tmp/units" && MANPATH="$d$prefix/share/man" systemd-analyze verify \
		./warta-fetch.service ./warta-fetch.timer) > "$tmp/verify.out" 2>&1
	rc=$?
	if [ $rc = 0 ] && [ ! -s "$tmp/verify.out" ]; then
		ok "install: systemd-analyze verify accepts the service and the timer"
	else
		fail "install: systemd-analyze verify (exit $rc): $(head -c 600 "$tmp/verify.out" | tr '\n' ' ')"
	fi
else
	skip "install: systemd-analyze is not installed: units not verified"
fi
make -s uninstall DESTDIR="$d" PREFIX="$prefix" > "$tmp/uninstall.out" 2>&1
left=$(cd "$d" && find . -type f -o -type l)
if [ -z "$left" ] && [ ! -e "$d$prefix/share/warta" ]; then
	ok "install: make uninstall leaves no file (nor share/warta)"
else
	fail "install: make uninstall left: $left"
fi
