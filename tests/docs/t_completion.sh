#!/bin/sh
# The bash and zsh completions: they parse, bash completes commands and
# the feed numbers of a real archive (--db as typed), and both offer, for
# each command, exactly the options its --help lists.
. tests/docs/lib.sh
bc=contrib/completion/warta.bash
zc=contrib/completion/_warta
# a real small archive: two sample feeds, fetched (so they have titles)
db=$tmp/c.db
for f in feeds/samples/mediacenter-banjarbaru.xml \
         feeds/samples/kominfo-kulonprogo.xml; do
	"$WARTA" --db "$db" add "$f" > /dev/null
done
if ! command -v bash >/dev/null 2>&1; then
	skip "completion: bash is not installed"
else
	check "completion: bash -n $bc" bash -n "$bc"
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
	# the real thing: an interactive zsh on a pseudo-terminal, a TAB
	mkdir "$tmp/zbin" && ln -s "$WARTA" "$tmp/zbin/warta"
	zc_dir=$(cd "$(dirname "$zc")" && pwd)
	zcomp() { timeout 60 zsh -f tests/docs/zcomp.zsh "$zc_dir" "$tmp/zbin" "$@"; }
	if ! zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
		skip "completion: zsh: no zsh/zpty module to type a TAB with"
	else
		check "completion: zsh: 'warta --db DB fetch ' lists the feeds by title" \
			zcomp "warta --db $db fetch " "Kominfo Kulon Progo"
		check "completion: zsh: 'warta fetch --' lists --verbose" \
			zcomp "warta fetch --" "--verbose"
	fi
else
	skip "completion: zsh is not installed (contrib/deps.sh check installs it)"
fi
"$PYTHON" tests/docs/completion_options.py "$WARTA" "$bc" "$zc" "$tmp"
