"""man_options.py WARTA MANPAGE — compare the options of each command's
--help with those the man page documents for it, and the command lists.

From --help: the bracketed options of the Usage lines and the option
lines (an indented line that starts with '-'). From the man page: the
.SS section of each command (its .TP tags and its synopsis), and the
GLOBAL OPTIONS section for `warta --help`. -h/--help, which every
command takes, is said once in the page's DESCRIPTION.
Prints "ok …" / "FAIL …" lines for tests/docs/run.sh."""
import re
import subprocess
import sys

OPT = re.compile(r'(?<![\w-])(--?[A-Za-z][\w-]*)')


def help_opts(text):
    opts = set()
    lines = text.splitlines()
    usage = []
    for i, line in enumerate(lines):
        if line.startswith('Usage:'):
            usage.append(line)
            for more in lines[i + 1:]:
                if not more.strip():
                    break
                usage.append(more)
    for line in usage:
        opts.update(re.findall(r'\[(--?[A-Za-z][\w-]*)', line))
    for line in lines:
        m = re.match(r'^\s{2,}(-[A-Za-z]|--[A-Za-z][\w-]*)'
                     r'(?:, (--[A-Za-z][\w-]*))?', line)
        if m:
            opts.update(o for o in m.groups() if o)
    return opts


def man_sections(src):
    """{name: [lines]} of the .SH and .SS sections, escapes undone."""
    secs, cur = {}, None
    for line in src.splitlines():
        line = line.replace('\\-', '-')
        m = re.match(r'^\.(SH|SS)\s+"?([^"]*)"?\s*$', line)
        if m:
            cur = m.group(2).strip()
            secs[cur] = []
        elif cur:
            secs[cur].append(line)
    return secs


def man_opts(lines):
    opts = set()
    for i, line in enumerate(lines):
        tag = i > 0 and lines[i - 1].startswith('.TP')
        synopsis = line.startswith('.RB [')
        if tag or synopsis:
            text = re.sub(r'\\f[BIRP]', '', line)
            opts.update(OPT.findall(text))
    return opts


def main():
    warta, manpage = sys.argv[1], sys.argv[2]
    secs = man_sections(open(manpage, encoding='utf-8').read())
    fails = 0

    def compare(what, h, m):
        nonlocal fails
        if h == m:
            print(f'ok man: {what}: the options of --help and the man '
                  f'page agree ({" ".join(sorted(h)) or "none"})')
        else:
            fails += 1
            print(f'FAIL man: {what}: only in --help: '
                  f'{sorted(h - m)}, only in the man page: {sorted(m - h)}')

    top = subprocess.run([warta, '--help'], capture_output=True,
                         text=True).stdout
    cmds = re.findall(r'(?m)^  ([a-z]+) {2,}\S', top)
    documented = [s for s in secs if re.fullmatch(r'[a-z]+', s)]
    if cmds and sorted(cmds) == sorted(documented):
        print(f'ok man: every command has its section ({len(cmds)})')
    else:
        print(f'FAIL man: commands of warta --help {cmds}, '
              f'man page sections {documented}')
    compare('global', help_opts(top), man_opts(secs.get('GLOBAL OPTIONS', [])))
    for c in cmds:
        h = subprocess.run([warta, c, '--help'], capture_output=True,
                           text=True).stdout
        compare(c, help_opts(h), man_opts(secs.get(c, [])))
    if not re.search(r'-h ", " --help', '\n'.join(secs.get('DESCRIPTION', []))):
        print('FAIL man: DESCRIPTION no longer says every command takes '
              '-h, --help')


if __name__ == '__main__':
    main()
