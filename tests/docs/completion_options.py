"""completion_options.py WARTA BASH_COMPLETION ZSH_COMPLETION TMP — for
each command, the options the completions offer are those of its --help.

bash: what COMPREPLY holds after `warta CMD -<TAB>` (plus --help, which
every command takes). zsh: the option names in the _arguments specs of
the command's branch of _warta. Prints ok/FAIL lines for run.sh."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from man_options import help_opts  # noqa: E402

OPT = re.compile(r'(?<![\w-])(--?[A-Za-z][\w-]*)')


def main():
    warta, bash_c, zsh_c, tmp = sys.argv[1:5]
    top = subprocess.run([warta, '--help'], capture_output=True,
                         text=True).stdout
    cmds = re.findall(r'(?m)^  ([a-z]+) {2,}\S', top)
    zsrc = open(zsh_c, encoding='utf-8').read()
    script = os.path.join(tmp, 'opts.bash')
    with open(script, 'w') as f:
        f.write('. "$1"; COMP_WORDS=(warta "$2" -); COMP_CWORD=2; _warta\n'
                'printf "%s\\n" "${COMPREPLY[@]}"\n')
    for c in cmds:
        want = help_opts(subprocess.run([warta, c, '--help'],
                                        capture_output=True,
                                        text=True).stdout) | {'-h', '--help'}
        got = set(subprocess.run(['bash', script, bash_c, c],
                                 capture_output=True,
                                 text=True).stdout.split())
        want_b = want - {'-h'}   # bash offers the long form only
        if got == want_b:
            print(f'ok completion: bash: {c} offers the options of --help')
        else:
            print(f'FAIL completion: bash: {c}: missing {sorted(want_b - got)}'
                  f', not in --help {sorted(got - want_b)}')
        m = re.search(r'(?ms)^\t\t(?:[a-z|]+\|)?' + c + r'(?:\|[a-z|]+)?\)\n'
                      r'(.*?);;', zsrc)
        if not m:
            print(f'FAIL completion: zsh: no branch for {c}')
            continue
        z = set(OPT.findall(m.group(1).replace('$h', '-h --help')))
        z = {o.rstrip('+') for o in z} - {'-', '--'}
        if z == want:
            print(f'ok completion: zsh: {c} offers the options of --help')
        else:
            print(f'FAIL completion: zsh: {c}: missing {sorted(want - z)}, '
                  f'not in --help {sorted(z - want)}')


main()
