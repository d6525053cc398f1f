#!/usr/bin/env python3
"""measure.py — wall time, CPU time and peak RSS of a command, best of N.

    python3 tests/bench/measure.py [--runs N] [--name LABEL] [--bytes B]
        [--stdin FILE] [--stdout FILE] [--kv] [--timeout S] -- CMD ARG…

Runs CMD N times (default 1; stdin from FILE or /dev/null, stdout to FILE
or /dev/null, stderr kept for the report) and prints one line for the
fastest run: wall seconds, user+sys CPU seconds of that run, the peak
resident set size of all runs (the kernel's rusage of the command, its
own children included: GNU time is not needed), and with --bytes the
throughput in MiB/s. --kv prints `key=value` pairs instead, for scripts:

    name=warta wall=0.512 cpu=0.498 rss_kib=10240 mibps=93.1 runs=3 rc=0

When CMD exits non-zero or dies, measure.py says so with the tail of its
stderr, prints `rc=N` in --kv mode, and exits 1.

The command is started by rusage.c (compiled once into the bench cache
with cc): Linux carries a process's peak RSS across exec, so a command
forked straight from Python would count the interpreter's ~10 MiB as its
own. Without a C compiler it falls back to Python's wait4 and says so.

Python 3 standard library only. Shared by every tests/bench/bench_*.sh.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time


HERE = os.path.dirname(os.path.abspath(__file__))


def helper():
    """The rusage helper, built on first use; None without a compiler."""
    src = os.path.join(HERE, "rusage.c")
    cache = os.environ.get("BENCH_CACHE") or os.path.join(HERE, "cache")
    exe = os.path.join(cache, "rusage")
    try:
        if (os.path.exists(exe) and os.path.getmtime(exe)
                >= os.path.getmtime(src)):
            return exe
        os.makedirs(cache, exist_ok=True)
        cc = os.environ.get("CC", "cc")
        r = subprocess.run([cc, "-O2", "-o", exe + ".tmp", src],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        if r.returncode == 0:
            os.replace(exe + ".tmp", exe)
            return exe
    except OSError:
        pass
    return None


def run_once(argv, stdin, stdout, timeout, exe):
    err = tempfile.TemporaryFile()
    report = None
    if exe:
        fd, report = tempfile.mkstemp(prefix="measure-")
        os.close(fd)
        argv = [exe, report] + argv
    fin = open(stdin, "rb") if stdin else open(os.devnull, "rb")
    fout = open(stdout, "wb") if stdout else open(os.devnull, "wb")
    t0 = time.monotonic()
    try:
        p = subprocess.Popen(argv, stdin=fin, stdout=fout, stderr=err,
                             start_new_session=True)
    finally:
        fin.close()
        fout.close()
    deadline = t0 + timeout if timeout else None
    while True:
        # wait4 gives this child's own rusage (its reaped children
        # included), so each run is measured apart from the others.
        pid, status, ru = os.wait4(p.pid, os.WNOHANG if deadline else 0)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(p.pid, signal.SIGKILL)
            deadline = None
            continue
        time.sleep(0.005)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    cpu, rss, rc = ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode
    if report:
        with open(report) as f:
            fields = f.read().split()
        os.unlink(report)
        if len(fields) == 4 and rc == 0:
            cpu = float(fields[0]) + float(fields[1])
            rss = int(fields[2])
            rc = os.waitstatus_to_exitcode(int(fields[3]))
    return {"wall": wall, "cpu": cpu, "rss_kib": rss, "rc": rc,
            "stderr": text}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--name")
    ap.add_argument("--bytes", type=int, help="input size, for MiB/s")
    ap.add_argument("--stdin")
    ap.add_argument("--stdout")
    ap.add_argument("--kv", action="store_true")
    ap.add_argument("--timeout", type=float, default=0,
                    help="kill a run after S seconds (default: never)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")
    name = a.name or os.path.basename(cmd[0])
    best = None
    peak = 0
    exe = helper()
    if not exe:
        print("measure.py: no C compiler for rusage.c; peak RSS includes "
              "Python's own", file=sys.stderr)
    for _ in range(max(1, a.runs)):
        r = run_once(cmd, a.stdin, a.stdout, a.timeout, exe)
        peak = max(peak, r["rss_kib"])
        if r["rc"] != 0:
            what = ("signal %d" % -r["rc"]) if r["rc"] < 0 else (
                "exit %d" % r["rc"])
            lines = r["stderr"].strip().splitlines()[-3:]
            print("%s: failed (%s)%s" % (name, what, "".join(
                "\n    " + ln for ln in lines)), file=sys.stderr)
            if a.kv:
                print("name=%s rc=%d" % (name, r["rc"]))
            return 1
        if best is None or r["wall"] < best["wall"]:
            best = r
    mibps = None
    if a.bytes:
        mibps = a.bytes / (1 << 20) / max(best["wall"], 1e-9)
    if a.kv:
        out = "name=%s wall=%.3f cpu=%.3f rss_kib=%d" % (
            name, best["wall"], best["cpu"], peak)
        if mibps is not None:
            out += " mibps=%.1f" % mibps
        print(out + " runs=%d rc=0" % a.runs)
    else:
        out = "%-12s %8.3f s wall %8.3f s cpu %8.1f MiB peak RSS" % (
            name, best["wall"], best["cpu"], peak / 1024)
        if mibps is not None:
            out += " %8.1f MiB/s" % mibps
        print(out + "  (best of %d)" % a.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
