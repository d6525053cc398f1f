# bash completion for warta — commands, each command's options, feed
# numbers (from `warta feeds`, on the archive --db names) where a FEED
# goes. Installed as share/bash-completion/completions/warta.

# The numbers of the subscribed feeds, one a line. The words typed so far
# may name the archive with --db, which must come before the command.
_warta_feed_numbers()
{
	local db=() i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--db) db=(--db "${COMP_WORDS[i + 1]}") ;;
		--db=*) db=("${COMP_WORDS[i]}") ;;
		esac
	done
	"${COMP_WORDS[0]}" "${db[@]}" feeds 2>/dev/null |
		awk '$1 ~ /^[0-9]+$/ { print $1 }'
}

_warta()
{
	local cur prev cmd="" i opts
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="add remove feeds import fetch search show export parse
		backfill log stats help"

	# the command is the first word that is not a global option
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--db) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $prev == --db ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--db --help --version -h -V" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	case $prev in
	--feed)
		COMPREPLY=($(compgen -W "$(_warta_feed_numbers)" -- "$cur"))
		return ;;
	--format)
		case $cmd in
		show) COMPREPLY=($(compgen -W "text html json" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "text json atom rss jsonfeed" -- "$cur")) ;;
		esac
		return ;;
	--sort)
		COMPREPLY=($(compgen -W "rank date" -- "$cur"))
		return ;;
	-o|--output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--title|--tag|--since|--until|--query|--self|--url|--content-type|-n|--limit|-j|--jobs|--pages)
		return ;;
	esac

	case $cmd in
	add) opts="--title --tag --no-fetch --insecure" ;;
	remove) opts="--purge" ;;
	feeds|stats) opts="--json" ;;
	import) opts="" ;;
	fetch) opts="-j --jobs --force --wait -q --quiet -v --verbose" ;;
	search) opts="--feed --tag --since --until -n --limit --sort --format --json" ;;
	show) opts="--format --revisions --json" ;;
	export) opts="--feed --tag --query --since -n --limit --title --self -o --output" ;;
	parse) opts="--url --content-type --pretty" ;;
	backfill) opts="--pages -q --quiet -v --verbose" ;;
	log) opts="-n --json" ;;
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
	*) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
		return
	fi
	case $cmd in
	fetch|remove|backfill|log)
		COMPREPLY=($(compgen -W "$(_warta_feed_numbers)" -- "$cur")) ;;
	import|parse)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	export)
		# the format is the first word after the command
		if [[ ${COMP_WORDS[COMP_CWORD - 1]} == export ]]; then
			COMPREPLY=($(compgen -W "opml atom rss jsonfeed" -- "$cur"))
		fi ;;
	esac
}
complete -F _warta warta
