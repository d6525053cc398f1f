#!/bin/sh
# The bash and zsh completions: they parse, bash completes commands and
# the feed numbers of a real archive (--db as typed), and both offer, for
# each command, exactly the options its --help lists.
. tests/docs/lib.sh
bc=contrib/completion/warta.bash
zc=contrib/completion/_warta
if ! command -v bash >/dev/null 2>&1; then
	skip "completion: bash is not installed"
else
	check "completion: bash -n $bc" bash -n "$bc"
	db=$tmp/c.db
	for f in feeds/samples/mediacenter-banjarbaru.xml \
	         feeds/samples/kominfo-kulonprogo.xml; do
		"$WARTA" --db "$db" add "$f" --no-fetch > /dev/null
	done
	# complete WORDS…: what bash offers for the last word
	cat > "$tmp/complete.bash" <<'EOS'
. "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
_warta
printf '%s\n' "${COMPREPLY[@]}"
EOS
	comp() { bash "$tmp/complete.bash" "$(pwd)/$bc" "$@" | tr '\n' ' '; }
	got=$(comp "$WARTA" se)
	[ "$got" = "search " ] && ok "completion: bash: 'warta se' gives search" \
		|| fail "completion: bash: 'warta se' gives '$got'"
	got=$(comp "$WARTA" --db "$db" fetch "")
	[ "$got" = "1 2 " ] && ok "completion: bash: 'warta --db DB fetch ' gives the feed numbers" \
		|| fail "completion: bash: 'warta --db DB fetch ' gives '$got', not '1 2 '"
	got=$(comp "$WARTA" --db="$db" search banjir --feed "")
	[ "$got" = "1 2 " ] && ok "completion: bash: 'search --feed ' gives the feed numbers" \
		|| fail "completion: bash: 'search --feed ' gives '$got'"
	got=$(comp "$WARTA" --db "$db" export "")
	[ "$got" = "opml atom rss jsonfeed " ] && ok "completion: bash: 'export ' gives the formats" \
		|| fail "completion: bash: 'export ' gives '$got'"
	got=$(comp "$WARTA" search banjir --sort "")
	[ "$got" = "rank date " ] && ok "completion: bash: '--sort ' gives rank date" \
		|| fail "completion: bash: '--sort ' gives '$got'"
fi
if command -v zsh >/dev/null 2>&1; then
	check "completion: zsh -n $zc" zsh -n "$zc"
else
	skip "completion: zsh is not installed (contrib/deps.sh check installs it)"
fi
"$PYTHON" tests/docs/completion_options.py "$WARTA" "$bc" "$zc" "$tmp"
