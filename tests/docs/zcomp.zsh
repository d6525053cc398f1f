# zcomp.zsh COMPLETION_DIR PATH_DIR LINE WANT — type LINE and a TAB in an
# interactive zsh (on a pseudo-terminal, zsh/zpty) with the completion
# from COMPLETION_DIR, and wait up to 10 s for WANT in what it shows.
# Exit 0 when it came, 1 when not (the screen is printed).
zmodload zsh/zpty || exit 2
zpty z 'TERM=dumb zsh -f -i'
zpty -w z "PS1='>'; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D; path=(${(q)2} \$path)"
zpty -n -w z "$3"$'\t'
acc=""
for i in {1..50}; do
	while zpty -r -t z line; do acc+="$line"; done
	[[ $acc == *"$4"* ]] && break
	sleep 0.2
done
zpty -d z
[[ $acc == *"$4"* ]] && exit 0
print -r -- "${acc//$'\r'/}" | tail -n 5
exit 1
