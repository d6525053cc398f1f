#!/usr/bin/env python3
"""harness.py — run the declarative cases of tests/cases/ (format: its
README) against the real binary and the test server of tests/server/.

    python3 tests/harness.py --warta ./warta [--sanitizer] [--jobs N]
                             [--verbose] [--keep] [NAME|GLOB…]

Each case runs in its own temporary folder (removed when it passes, kept
and named when it fails) with its own URL prefix on one shared, in-process
server. Prints `ok NAME (0.4s)`, `FAIL NAME: line N: …` with what came,
`skip NAME: why`, and ends with `N passed, N failed`. Exit status: 0 when
nothing failed, 1 otherwise, 2 for a usage error.

Python 3 standard library only.
"""

import argparse
import builtins
import concurrent.futures
import fcntl
import fnmatch
import glob
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import traceback

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)
CASES = os.path.join(TESTS, "cases")
sys.path.insert(0, os.path.join(TESTS, "server"))
import server as testserver  # noqa: E402

DEFAULT_TIMEOUT = 30.0

# What a sanitizer says when it has found something.
SANITIZER_RE = re.compile(
    r"ERROR: (?:Address|Leak|Memory|Thread)Sanitizer|runtime error:|"
    r"SUMMARY: \w+Sanitizer|LeakSanitizer|"
    r"==\d+== (?:Invalid |Conditional jump|Use of uninitiali|Mismatched|"
    r"Syscall param|Source and destination|.* definitely lost)")

# A shell reports a child killed by one of these as 128+N.
CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT,
                 signal.SIGILL, signal.SIGFPE}

# Variables that would send 127.0.0.1 through a proxy or make runs
# depend on who runs them.
SCRUB = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
         "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "ftp_proxy",
         "WARTA_DB", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
         "NO_COLOR", "TERM", "COLUMNS", "LINES", "CURL_CA_BUNDLE",
         "SSL_CERT_FILE", "SSL_CERT_DIR")

STEPS = {"run", "sh", "stdin", "stdin-file", "spawn", "wait", "signal",
         "sleep", "env", "unset", "timeout", "tty"}
EXPECTS = {"exit", "stdout-has", "stdout-lacks", "stderr-has",
           "stderr-lacks", "stdout-re", "stderr-re", "stdout-is", "stderr-is",
           "stdout-empty", "stderr-empty", "stderr-lines", "stdout-lines",
           "json", "sql", "file-mode", "requests", "request-header",
           "request-lacks-header"}

unescape = testserver.unescape
split_directive = testserver.split_directive


class CaseError(Exception):
    """The case failed (or is malformed) at a line."""

    def __init__(self, line, msg, details=()):
        super().__init__(msg)
        self.line = line
        self.msg = msg
        self.details = list(details)


class Skip(Exception):
    pass


def tail(text, n=12, width=200):
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    out = [ln if len(ln) <= width else ln[:width] + "…" for ln in lines[-n:]]
    if len(lines) > n:
        out.insert(0, "… (%d lines before)" % (len(lines) - n))
    return out


def short(text, n=300):
    r = repr(text)
    return r if len(r) <= n else r[:n] + "…' (%d chars)" % len(text)


class Case:
    """A parsed case file: its settings, route blocks and steps."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".case")]
        self.desc = None
        self.requires = []
        self.nosanitizer = False
        self.own_server = False
        self.routes = []        # (line, path, [(line, option, arg)])
        self.steps = []         # (line, directive, arg)
        self.error = None       # CaseError: malformed case
        try:
            self._parse()
        except CaseError as e:
            self.error = e
        except (OSError, UnicodeDecodeError) as e:
            self.error = CaseError(0, "cannot read the case: %s" % e)

    def _parse(self):
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        cur = None
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            word, arg = split_directive(line)
            if line[0] in " \t":
                if cur is None:
                    raise CaseError(n, "an indented line belongs to a "
                                    "route, and there is none above it")
                cur[2].append((n, word, arg))
                continue
            cur = None
            if word == "desc":
                self.desc = arg.strip()
            elif word == "requires":
                self.requires.extend(arg.split())
            elif word == "nosanitizer":
                self.nosanitizer = True
            elif word == "own-server":
                self.own_server = True
            elif word == "route":
                cur = (n, arg.strip() or "/", [])
                self.routes.append(cur)
            elif word in STEPS or word in EXPECTS:
                self.steps.append((n, word, arg))
            else:
                raise CaseError(n, "unknown directive %r (see "
                                "tests/cases/README.md)" % word)
        if not self.desc:
            raise CaseError(0, "the case has no 'desc' line")


class Ran:
    """What one command did: the "last run" the expectations look at."""

    def __init__(self, line, kind, shown, argv):
        self.line = line
        self.kind = kind          # run, sh, spawn
        self.shown = shown        # the line as written in the case
        self.argv = argv
        self.rc = None
        self.stdout = ""
        self.stderr = ""
        self.elapsed = 0.0
        self.proc = None
        self.signal = None
        self.out_path = self.err_path = None
        self.start = 0.0
        self.deadline = 0.0
        self.signalled = set()
        self.timed_out = False
        self.tty = None           # (which, drain thread)

    def command_line(self):
        return " ".join(shlex.quote(a) for a in self.argv)


class Runner:
    """Runs one case, step by step."""

    def __init__(self, case, opts, srv, pybin):
        self.case = case
        self.opts = opts
        self.srv = srv
        self.own = None
        self.key = case.name
        if case.own_server:
            # Listeners of its own, paths from the root: for what must
            # live at /feed/ or /?feed=rss2 of a host.
            self.own = self.srv = testserver.TestServer(
                prefix_mode=False).start()
            self.key = ""
        self.pybin = pybin
        self.tmp = tempfile.mkdtemp(prefix="warta-%s-" % case.name)
        self.hdir = os.path.join(self.tmp, ".harness")
        self.sandir = os.path.join(self.hdir, "san")
        os.makedirs(self.sandir)
        self.db = os.path.join(self.tmp, "warta.db")
        self.subs = {
            "warta": opts.warta, "db": self.db, "tmp": self.tmp,
            "fixtures": os.path.join(TESTS, "fixtures"), "root": ROOT,
            "tests": TESTS, "name": case.name,
        }
        self.subs.update(self.srv.bases(self.key))
        self.env = self._base_env()
        self.timeout = DEFAULT_TIMEOUT
        self.stdin = None
        self.tty = None
        self.last = None
        self.spawned = {}
        self.nout = 0
        self.seen_reports = set()
        self.verbose_lines = []

    # --- set-up ---
    def subst(self, s):
        return re.sub(r"\{([a-z][a-z-]*)\}",
                      lambda m: self.subs.get(m.group(1), m.group(0)), s)

    def _base_env(self):
        env = {k: v for k, v in os.environ.items() if k not in SCRUB}
        env.update({
            "HOME": self.tmp, "TZ": "UTC", "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8", "WARTA": self.opts.warta, "DB": self.db,
            "PATH": self.pybin + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
            "PYTHON": sys.executable,
        })
        # Sanitizer reports also go to files, so a report is seen even
        # when a `sh` line throws stderr away.
        for var, base in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
            cur = env.get(var, "")
            if self.opts.sanitizer and not cur:
                cur = {"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:"
                       "exitcode=99", "UBSAN_OPTIONS": "print_stacktrace=1:"
                       "halt_on_error=1"}[var]
            logp = "log_path=" + os.path.join(self.sandir, base)
            env[var] = (cur + ":" if cur else "") + logp
        return env

    def setup_routes(self):
        routes = {}
        for line, path, options in self.case.routes:
            r = testserver.Route(self.subst(path), line, TESTS)
            for n, word, arg in options:
                try:
                    r.option(word, arg, self.subst)
                except testserver.RouteError as e:
                    raise CaseError(n, "route %s: %s" % (path, e))
            try:
                r.prepare()
            except testserver.RouteError as e:
                raise CaseError(line, "route %s: %s" % (path, e))
            routes.setdefault(r.path, []).append(r)
        self.srv.add_case(self.key, routes)

    # --- running ---
    def run(self):
        self.setup_routes()
        for line, word, arg in self.case.steps:
            self.line = line
            getattr(self, "do_" + word.replace("-", "_"))(line, arg)

    def cleanup(self):
        for r in self.spawned.values():
            if r.proc and r.proc.poll() is None:
                self._killpg(r.proc)
                r.proc.wait()
        self.srv.remove_case(self.key)
        if self.own:
            self.own.stop()

    def _killpg(self, proc):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _start(self, line, kind, arg):
        if kind == "sh":
            shown = arg
            argv = ["/bin/sh", "-c", self.subst(arg)]
        else:
            try:
                words = shlex.split(arg)
            except ValueError as e:
                raise CaseError(line, "cannot split %r: %s" % (arg, e))
            if kind == "spawn":
                if len(words) < 2:
                    raise CaseError(line, "spawn wants NAME and a command")
                words = words[1:]
            if not words:
                raise CaseError(line, "nothing to run")
            argv = [self.subst(w) for w in words]
            if words[0] == "warta":
                argv = [self.opts.warta, "--db", self.db] + argv[1:]
            shown = arg
        r = Ran(line, kind, shown, argv)
        self.nout += 1
        r.out_path = os.path.join(self.hdir, "%03d-line%d.out" % (self.nout, line))
        r.err_path = os.path.join(self.hdir, "%03d-line%d.err" % (self.nout, line))
        stdin = subprocess.DEVNULL
        if self.stdin is not None:
            p = os.path.join(self.hdir, "%03d.in" % self.nout)
            with open(p, "wb") as f:
                f.write(self.stdin)
            stdin = open(p, "rb")
            self.stdin = None
        tty, self.tty = self.tty, None
        slave = None
        with open(r.out_path, "wb") as out, open(r.err_path, "wb") as err:
            outs = {"stdout": out, "stderr": err}
            if tty:
                master, slave = self._pty()
                sink = out if tty in ("stdout", "both") else err
                r.tty = (tty, threading.Thread(
                    target=self._drain, args=(master, sink.name),
                    daemon=True))
                for k in ("stdout", "stderr") if tty == "both" else (tty,):
                    outs[k] = slave
            try:
                r.proc = subprocess.Popen(argv, stdin=stdin,
                                          stdout=outs["stdout"],
                                          stderr=outs["stderr"],
                                          env=self.env, cwd=self.tmp,
                                          start_new_session=True)
            except OSError as e:
                raise CaseError(line, "cannot run %s: %s" % (argv[0],
                                                              e.strerror))
            finally:
                if stdin is not subprocess.DEVNULL:
                    stdin.close()
                if slave is not None:
                    os.close(slave)
        if tty:
            r.tty[1].start()
        r.start = time.monotonic()
        r.deadline = r.start + self.timeout * self.opts.timeout_scale
        return r

    def _pty(self):
        """A terminal of 80x24 that passes output through untouched (no
        \n -> \r\n), so what a program prints is what a case sees."""
        master, slave = os.openpty()
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", 24, 80, 0, 0))
        return master, slave

    @staticmethod
    def _drain(master, path):
        with open(path, "ab") as f:
            while True:
                try:
                    b = os.read(master, 65536)
                except OSError:  # EIO: every writer has closed it
                    break
                if not b:
                    break
                f.write(b)
        os.close(master)

    def _finish(self, r):
        left = max(0.0, r.deadline - time.monotonic())
        try:
            r.proc.wait(timeout=left)
        except subprocess.TimeoutExpired:
            r.timed_out = True
            self._killpg(r.proc)
            r.proc.wait()
        r.elapsed = time.monotonic() - r.start
        # Nothing a command started may outlive it.
        self._killpg(r.proc)
        if r.tty:
            r.tty[1].join(5)
        rc = r.proc.returncode
        r.rc = 128 - rc if rc < 0 else rc
        r.signal = -rc if rc < 0 else None
        with open(r.out_path, "rb") as f:
            r.stdout = f.read().decode("utf-8", "replace")
        with open(r.err_path, "rb") as f:
            r.stderr = f.read().decode("utf-8", "replace")
        if r.tty and r.tty[0] == "both":
            r.stderr = r.stdout
        self.last = r
        if self.opts.verbose:
            self._trace(r)
        self._check_crash(r)

    def _trace(self, r):
        v = self.verbose_lines
        v.append("  line %d: %s %s  -> exit %s (%.2fs)"
                 % (r.line, r.kind, r.shown, r.rc, r.elapsed))
        for name, text in (("stdout", r.stdout), ("stderr", r.stderr)):
            for ln in tail(text, 20):
                v.append("    %s| %s" % (name[3], ln))

    def _check_crash(self, r):
        det = self.details(r)
        if r.timed_out:
            raise CaseError(r.line, "%s did not finish within %gs (killed; "
                            "'timeout S' gives a case more)"
                            % (r.kind, self.timeout), det)
        if r.signal is not None and r.signal not in r.signalled:
            raise CaseError(r.line, "the command died from signal %s"
                            % signal.Signals(r.signal).name, det)
        if (r.kind == "sh" and r.rc > 128 and r.rc - 128 in
                {int(s) for s in CRASH_SIGNALS}):
            raise CaseError(r.line, "a command in the shell line died "
                            "from signal %s (exit %d)" % (
                                signal.Signals(r.rc - 128).name, r.rc), det)
        reports = []
        for p in sorted(glob.glob(os.path.join(self.sandir, "*"))):
            if p not in self.seen_reports:
                self.seen_reports.add(p)
                with open(p, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                # valgrind's log file exists even when it found nothing
                if text.strip():
                    reports.append(text)
        m = SANITIZER_RE.search(r.stderr)
        if reports or m:
            text = "\n".join(reports) or r.stderr
            first = next((ln for ln in text.split("\n")
                          if SANITIZER_RE.search(ln)), "")
            raise CaseError(r.line, "sanitizer report: %s" % first.strip(),
                            [("command", r.command_line())]
                            + [("report", ln) for ln in tail(text, 25, 300)])

    def details(self, r):
        d = [("command", r.command_line())]
        if r.stderr.strip():
            d += [("stderr", ln) for ln in tail(r.stderr)]
        else:
            d.append(("stderr", "(empty)"))
        return d

    # --- steps ---
    def do_run(self, line, arg):
        self._finish(self._start(line, "run", arg))

    def do_sh(self, line, arg):
        self._finish(self._start(line, "sh", arg))

    def do_spawn(self, line, arg):
        name = arg.split(None, 1)[0] if arg.split() else ""
        if name in self.spawned:
            raise CaseError(line, "a command named %r was already spawned"
                            % name)
        self.spawned[name] = self._start(line, "spawn", arg)

    def _spawned(self, line, name):
        r = self.spawned.get(name)
        if r is None:
            raise CaseError(line, "no spawned command named %r" % name)
        return r

    def do_wait(self, line, arg):
        r = self._spawned(line, arg.strip())
        if r.rc is not None:
            raise CaseError(line, "%r was already waited for" % arg.strip())
        self._finish(r)

    def do_signal(self, line, arg):
        parts = arg.split()
        if len(parts) != 2:
            raise CaseError(line, "signal wants NAME SIG")
        r = self._spawned(line, parts[0])
        s = parts[1].upper()
        try:
            sig = int(s) if s.isdigit() else signal.Signals[
                s if s.startswith("SIG") else "SIG" + s]
        except (KeyError, ValueError):
            raise CaseError(line, "no signal named %r" % parts[1])
        r.signalled.add(int(sig))
        if r.proc.poll() is None:
            r.proc.send_signal(sig)

    def do_sleep(self, line, arg):
        time.sleep(self._num(line, arg, "sleep") / 1000.0)

    def do_stdin(self, line, arg):
        self.stdin = unescape(self.subst(arg)).encode("utf-8")

    def do_stdin_file(self, line, arg):
        p = self.subst(arg.strip())
        if not os.path.isabs(p):
            p = os.path.join(TESTS, p)
        try:
            with open(p, "rb") as f:
                self.stdin = f.read()
        except OSError as e:
            raise CaseError(line, "cannot read %s: %s" % (p, e.strerror))

    def do_tty(self, line, arg):
        which = arg.strip() or "stderr"
        if which not in ("stdout", "stderr", "both"):
            raise CaseError(line, "tty wants stdout, stderr or both")
        self.tty = which

    def do_env(self, line, arg):
        k, sep, v = arg.partition("=")
        if not sep or not k.strip():
            raise CaseError(line, "env wants NAME=VALUE")
        self.env[k.strip()] = self.subst(v)

    def do_unset(self, line, arg):
        self.env.pop(arg.strip(), None)

    def do_timeout(self, line, arg):
        try:
            self.timeout = float(arg)
        except ValueError:
            raise CaseError(line, "timeout wants seconds, not %r" % arg)

    def _num(self, line, arg, what):
        try:
            return int(arg.strip())
        except ValueError:
            raise CaseError(line, "%s wants a number, not %r" % (what, arg))

    # --- expectations ---
    def _last(self, line):
        if self.last is None:
            raise CaseError(line, "nothing has run yet to check")
        return self.last

    def _fail(self, line, expected, got, r=None, extra=()):
        d = list(extra)
        if r is not None:
            d = self.details(r) + d
        raise CaseError(line, "expected %s, got %s" % (expected, got), d)

    def do_exit(self, line, arg):
        r = self._last(line)
        want = self._num(line, arg, "exit")
        if r.rc != want:
            self._fail(line, "exit %d" % want, "exit %d" % r.rc, r)

    def _stream(self, r, which):
        return r.stdout if which == "stdout" else r.stderr

    def _out_details(self, r, which):
        if which == "stdout":
            return [("stdout", ln) for ln in tail(r.stdout)] or [
                ("stdout", "(empty)")]
        return []

    def _has(self, line, arg, which, want):
        r = self._last(line)
        text = self._stream(r, which)
        arg = self.subst(arg)
        if (arg in text) != want:
            self._fail(line, "%s %s %s" % (which, "to contain" if want
                                           else "not to contain", short(arg)),
                       "%s of %d chars" % (which, len(text)), r,
                       self._out_details(r, which))

    def do_stdout_has(self, line, arg):
        self._has(line, arg, "stdout", True)

    def do_stdout_lacks(self, line, arg):
        self._has(line, arg, "stdout", False)

    def do_stderr_has(self, line, arg):
        self._has(line, arg, "stderr", True)

    def do_stderr_lacks(self, line, arg):
        self._has(line, arg, "stderr", False)

    def _re(self, line, arg, which):
        r = self._last(line)
        text = self._stream(r, which)
        try:
            rx = re.compile(self.subst(arg))
        except re.error as e:
            raise CaseError(line, "bad regex %r: %s" % (arg, e))
        if not rx.search(text):
            self._fail(line, "%s to match /%s/" % (which, arg),
                       short(text), r, self._out_details(r, which))

    def do_stdout_re(self, line, arg):
        self._re(line, arg, "stdout")

    def do_stderr_re(self, line, arg):
        self._re(line, arg, "stderr")

    def do_stdout_is(self, line, arg):
        r = self._last(line)
        want = unescape(self.subst(arg))
        if r.stdout != want:
            self._fail(line, "stdout %s" % short(want), short(r.stdout), r)

    def do_stderr_is(self, line, arg):
        r = self._last(line)
        want = unescape(self.subst(arg))
        if r.stderr != want:
            self._fail(line, "stderr %s" % short(want), short(r.stderr), r)

    def _empty(self, line, which):
        r = self._last(line)
        text = self._stream(r, which)
        if text:
            self._fail(line, "empty %s" % which, short(text), r)

    def do_stdout_empty(self, line, arg):
        self._empty(line, "stdout")

    def do_stderr_empty(self, line, arg):
        self._empty(line, "stderr")

    def _lines(self, line, arg, which):
        r = self._last(line)
        text = self._stream(r, which)
        n = len(text.splitlines())
        want = self._num(line, arg, which + "-lines")
        if n != want:
            self._fail(line, "%d %s line%s" % (want, which,
                                               "" if want == 1 else "s"),
                       "%d: %s" % (n, short(text)), r)

    def do_stderr_lines(self, line, arg):
        self._lines(line, arg, "stderr")

    def do_stdout_lines(self, line, arg):
        self._lines(line, arg, "stdout")

    def do_json(self, line, arg):
        r = self._last(line)
        try:
            j = json.loads(r.stdout)
        except ValueError as e:
            self._fail(line, "JSON on stdout", "%s in %s" % (e, short(
                r.stdout)), r)
        env = {"j": j, "re": re, "__builtins__": builtins}
        try:
            ok = eval(self.subst(arg), env)
        except Exception as e:  # the expression's own error is the answer
            self._fail(line, "json %s" % arg, "%s: %s, with j = %s" % (
                type(e).__name__, e, short(json.dumps(j, ensure_ascii=False),
                                           600)))
        if not ok:
            self._fail(line, "json %s" % arg, "false, with j = %s" % short(
                json.dumps(j, ensure_ascii=False), 600))

    def do_sql(self, line, arg):
        m = re.match(r"(.*?)\s=>(?:\s(.*))?$", arg, re.S)
        if not m:
            raise CaseError(line, "sql wants 'QUERY => EXPECTED'")
        query, want = self.subst(m.group(1)), unescape(self.subst(
            m.group(2) or "")).rstrip("\n")
        if not os.path.exists(self.db):
            self._fail(line, "an archive at %s" % self.db, "no such file")
        try:
            con = sqlite3.connect("file:%s?mode=rw" % self.db, uri=True,
                                  timeout=10)
            try:
                rows = con.execute(query).fetchall()
            finally:
                con.close()
        except sqlite3.Error as e:
            self._fail(line, "%s to run" % query, "%s: %s" % (
                type(e).__name__, e))

        def cell(v):
            if v is None:
                return ""
            if isinstance(v, bytes):
                return v.decode("utf-8", "replace")
            return str(v)
        got = "\n".join("|".join(cell(v) for v in row) for row in rows)
        if got != want:
            self._fail(line, "%s => %s" % (query, short(want)), short(got))

    def do_file_mode(self, line, arg):
        parts = arg.rsplit(None, 1)
        if len(parts) != 2:
            raise CaseError(line, "file-mode wants PATH OCTAL")
        p = self.subst(parts[0])
        if not os.path.isabs(p):
            p = os.path.join(self.tmp, p)
        try:
            want = int(parts[1], 8)
        except ValueError:
            raise CaseError(line, "file-mode wants an octal mode, not %r"
                            % parts[1])
        try:
            mode = os.stat(p).st_mode & 0o7777
        except OSError as e:
            self._fail(line, "%s with mode %o" % (p, want), e.strerror)
        if mode != want:
            self._fail(line, "%s with mode %04o" % (p, want), "%04o" % mode)

    def _reqs(self, path):
        reqs = self.srv.requests(self.key)
        if path == "*":
            return reqs
        return [q for q in reqs if q.path == path]

    def _log_details(self):
        reqs = self.srv.requests(self.key)
        d = [("requests", "%s %s" % (q.method, q.path)) for q in reqs[-15:]]
        return d or [("requests", "(none)")]

    def do_requests(self, line, arg):
        parts = arg.split()
        if len(parts) != 2:
            raise CaseError(line, "requests wants PATH N")
        path = self.subst(parts[0])
        n = len(self._reqs(path))
        want = self._num(line, parts[1], "requests")
        if n != want:
            self._fail(line, "%d request%s for %s" % (
                want, "" if want == 1 else "s", path), str(n),
                extra=self._log_details())

    def _last_req(self, line, path):
        reqs = self._reqs(path)
        if not reqs:
            self._fail(line, "a request for %s" % path, "none",
                       extra=self._log_details())
        return reqs[-1]

    def do_request_header(self, line, arg):
        parts = arg.split(None, 2)
        if len(parts) != 3:
            raise CaseError(line, "request-header wants PATH NAME RE")
        path, name, rx = self.subst(parts[0]), parts[1], self.subst(parts[2])
        q = self._last_req(line, path)
        vals = q.header(name)
        try:
            ok = any(re.search(rx, v) for v in vals)
        except re.error as e:
            raise CaseError(line, "bad regex %r: %s" % (rx, e))
        if not ok:
            self._fail(line, "header %s matching /%s/ in the last request "
                       "for %s" % (name, rx, path),
                       short(vals) if vals else "no such header",
                       extra=[("header", "%s: %s" % kv) for kv in q.headers])

    def do_request_lacks_header(self, line, arg):
        parts = arg.split()
        if len(parts) != 2:
            raise CaseError(line, "request-lacks-header wants PATH NAME")
        path = self.subst(parts[0])
        q = self._last_req(line, path)
        vals = q.header(parts[1])
        if vals:
            self._fail(line, "no %s header in the last request for %s" % (
                parts[1], path), short(vals))


def requirement_missing(req):
    if req.startswith("python:"):
        mod = req[len("python:"):]
        try:
            __import__(mod)
        except Exception:
            return "python module %s is missing" % mod
        return None
    if shutil.which(req) is None:
        return "%s is not installed" % req
    return None


class Reporter:
    def __init__(self):
        self.lock = threading.Lock()
        self.passed = []
        self.failed = []
        self.skipped = []

    def emit(self, lines):
        with self.lock:
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()


def run_one(case, opts, srv, pybin, rep):
    t0 = time.monotonic()
    if case.error is None:
        why = None
        if case.nosanitizer and opts.sanitizer:
            why = "timing-bound, not run under the sanitizers"
        for req in case.requires:
            why = why or requirement_missing(req)
        if why:
            with rep.lock:
                rep.skipped.append(case.name)
            rep.emit(["skip %s: %s" % (case.name, why)])
            return
    runner = None
    err = case.error
    try:
        if err is None:
            runner = Runner(case, opts, srv, pybin)
            try:
                runner.run()
            finally:
                runner.cleanup()
    except CaseError as e:
        err = e
    except Exception:
        err = CaseError(getattr(runner, "line", 0), "the harness broke",
                        [("trace", ln) for ln in
                         traceback.format_exc().rstrip().split("\n")])
    dt = time.monotonic() - t0
    if err is None:
        with rep.lock:
            rep.passed.append(case.name)
        out = ["ok %s (%.1fs)" % (case.name, dt)]
        if opts.verbose and runner:
            out += runner.verbose_lines
        rep.emit(out)
        if not opts.keep:
            shutil.rmtree(runner.tmp, ignore_errors=True)
        return
    with rep.lock:
        rep.failed.append(case.name)
    where = "line %d: " % err.line if err.line else ""
    out = ["FAIL %s: %s%s" % (case.name, where, err.msg)]
    if opts.verbose and runner:
        out += runner.verbose_lines
    src = case.path
    if src.startswith(ROOT + os.sep):
        src = os.path.relpath(src, ROOT)
    if err.line:
        with open(case.path, encoding="utf-8") as f:
            text = f.read().splitlines()
        if 0 < err.line <= len(text):
            out.append("    %s:%d: %s" % (src, err.line,
                                          text[err.line - 1].strip()))
    for k, v in err.details:
        out.append("    %-8s %s" % (k + ":", v))
    if runner:
        out.append("    kept:    %s" % runner.tmp)
    rep.emit(out)


def find_cases(names):
    every = sorted(glob.glob(os.path.join(CASES, "*.case")))
    if not names:
        return every
    chosen = []
    for n in names:
        if n.endswith(".case") and os.path.exists(n):
            hits = [os.path.abspath(n)]
        else:
            n = os.path.basename(n)
            n = n[:-5] if n.endswith(".case") else n
            hits = [p for p in every
                    if fnmatch.fnmatchcase(os.path.basename(p)[:-5], n)]
        if not hits:
            raise SystemExit("harness: no case matches %r (cases are in "
                             "tests/cases/)" % n)
        chosen += [h for h in hits if h not in chosen]
    return chosen


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--warta", required=True, help="the binary under test")
    ap.add_argument("--sanitizer", action="store_true",
                    help="the binary is built with ASan+UBSan: skip the "
                    "'nosanitizer' cases")
    ap.add_argument("--timeout-scale", type=float, default=1.0,
                    metavar="F", help="multiply every command's timeout "
                    "by F (valgrind runs: make check VALGRIND=1)")
    ap.add_argument("--jobs", "-j", type=int, default=4,
                    help="cases run at once (default 4)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="show every command with its output")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary folders of passing cases too")
    ap.add_argument("--list", action="store_true",
                    help="print the cases (name and desc) and exit")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help="case names or globs (default: all)")
    opts = ap.parse_args(argv)
    opts.warta = os.path.abspath(opts.warta)
    if not os.access(opts.warta, os.X_OK):
        print("harness: %s is not an executable" % opts.warta,
              file=sys.stderr)
        return 2
    try:
        paths = find_cases(opts.names)
    except SystemExit as e:
        print(e, file=sys.stderr)
        return 2
    cases = [Case(p) for p in paths]
    if opts.list:
        for c in cases:
            print("%-28s %s" % (c.name, c.desc or "(%s)" % c.error.msg))
        return 0

    # `python3` in a case is the interpreter running the harness (the one
    # that has the modules `requires python:…` checked).
    pybin = tempfile.mkdtemp(prefix="warta-harness-bin-")
    for n in ("python3", "python"):
        os.symlink(sys.executable, os.path.join(pybin, n))
    srv = testserver.TestServer().start()
    rep = Reporter()
    try:
        with concurrent.futures.ThreadPoolExecutor(
                max(1, opts.jobs)) as pool:
            futs = [pool.submit(run_one, c, opts, srv, pybin, rep)
                    for c in cases]
            for f in futs:
                f.result()
    except KeyboardInterrupt:
        print("harness: interrupted", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(pybin, ignore_errors=True)
    if rep.skipped:
        print("%d skipped: %s" % (len(rep.skipped),
                                  " ".join(sorted(rep.skipped))))
    if rep.failed:
        print("failed: %s" % " ".join(sorted(rep.failed)))
    print("%d passed, %d failed" % (len(rep.passed), len(rep.failed)))
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
