"""Booting Keel: the initrd, the kernel command line, and one boot of a
target with its console captured (and optionally shown as it goes).

Programs are packed at the root of the initrd under their base names and
named /NAME on the command line (docs/architecture.md, "Boot command line").
"""
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time

from . import cpio, targets


class Program:
    """One program to run on Keel: the host file and its argv (argv[0] is
    the name it has inside the initrd, /NAME)."""

    def __init__(self, host_path, args=()):
        self.host_path = host_path
        self.name = os.path.basename(host_path)
        self.argv = ["/" + self.name] + list(args)


class GuestProgram:
    """A program already in the boot's image (rootfs.Image), named by its
    guest path: argv[0]."""

    def __init__(self, argv):
        self.argv = list(argv)


def make_initrd(programs, path):
    """Writes a newc archive holding each program (once) to path."""
    files, seen = [], set()
    for p in programs:
        if p.name in seen:
            continue
        seen.add(p.name)
        with open(p.host_path, "rb") as f:
            files.append((p.name, f.read(), 0o755))
    cpio.write_newc(path, files)


def cmdline(programs, options=(), par=False):
    """The kernel command line as a list of words:
    OPTIONS [run=par] [-- PROG ARGS [--- PROG ARGS]...]."""
    words = list(options)
    if par:
        words.append("run=par")
    for i, p in enumerate(programs):
        words.append("--" if i == 0 else "---")
        words += p.argv
    return words


class LineWatch:
    """Times the first console line that satisfies a predicate, from the
    launch of the process (Popen) to the moment the whole line (its newline)
    arrives. run_command feeds it; seconds stays None if no line matched."""

    def __init__(self, predicate):
        self.predicate = predicate
        self.seconds = None
        self._partial = b""

    def feed(self, data, elapsed):
        if self.seconds is not None:
            return
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        for raw in lines:
            line = raw.decode("utf-8", errors="replace").rstrip("\r")
            if self.predicate(line):
                self.seconds = elapsed
                self._partial = b""
                return


class BootResult:
    def __init__(self):
        self.console = ""
        self.returncode = None
        self.status = None     # the machine's exit status, when it has one
        self.problem = None    # why there is no status (hang, crash)
        self.timed_out = False
        self.seconds = 0.0
        self.command = []
        self.watched = None    # seconds to the first line the watch wanted

    def tail(self, n=20):
        lines = self.console.rstrip("\n").splitlines()
        return "\n".join(lines[-n:])

    def mismatches(self, status, patterns):
        """What differs from a boot expected to end with status (None:
        any) and to print each regular expression in patterns."""
        errors = []
        if self.timed_out:
            errors.append(self.problem)
        elif status is not None and self.status != status:
            errors.append("exit status %s, expected %d (%s)" % (
                self.status, status, self.problem or "a power-off status"))
        for pattern in patterns:
            if not re.search(pattern, self.console):
                errors.append("the console lacks /%s/" % pattern)
        return errors

    def explain(self, errors):
        """A failed check's details: the errors and the console's tail."""
        return "\n".join(errors) + "\nconsole (%.1fs):\n%s" % (
            self.seconds, self.tail(25))


def _stop(proc, own_group):
    """Kills the boot (and, when it has its own process group, whatever it
    started, e.g. hosted stub processes)."""
    try:
        if own_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except ProcessLookupError:
        pass


def run_command(cmd, timeout=None, echo=False, interactive=False, env=None,
                watch=None):
    """Runs cmd with stdout and stderr captured together (and copied to our
    stdout if echo). Returns (returncode, output text, timed_out, seconds).
    watch: a LineWatch fed with the output as it comes.
    interactive: cmd reads our stdin (else /dev/null). cmd gets its own
    process group, so that a timeout kills everything it started, unless it
    needs our terminal."""
    start = time.monotonic()
    own_group = not (interactive and sys.stdin.isatty())
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=None if interactive else subprocess.DEVNULL,
        start_new_session=own_group, env=env)
    chunks, timed_out = [], False
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    out = sys.stdout.buffer
    try:
        while True:
            wait = None
            if timeout is not None:
                wait = start + timeout - time.monotonic()
                if wait <= 0:
                    timed_out = True
                    break
            if not sel.select(wait):
                continue
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                break
            chunks.append(data)
            if watch:
                watch.feed(data, time.monotonic() - start)
            if echo:
                out.write(data)
                out.flush()
    except BaseException:
        _stop(proc, own_group)
        proc.wait()
        raise
    finally:
        sel.close()
    if timed_out:
        _stop(proc, own_group)
    returncode = proc.wait()
    if own_group and returncode < 0:
        # A crashed kernel process may leave its stubs behind: they keep the
        # process group (and so its id) alive until this kills them.
        _stop(proc, own_group)
    proc.stdout.close()
    text = b"".join(chunks).decode("utf-8", errors="replace")
    return returncode, text, timed_out, time.monotonic() - start


def boot(target, programs=(), options=(), par=False, timeout=None,
         echo=False, interactive=False, watch=None, wrapper=(), ram=None,
         cpus=None, image=None):
    """Boots target once with programs (a list of Program) and kernel
    options; returns a BootResult. timeout None: $KEEL_TIMEOUT, else the
    target's default. watch: a predicate on console lines; the seconds from
    the launch to the first line it accepts go to result.watched.
    wrapper: an argv prefix the boot command runs under (valgrind ...).
    ram: the machine's memory ("64M"), else the target's default.
    cpus: its CPUs, else as targets.cpus_for picks them.
    image: a rootfs.Image to boot as the initrd, holding the programs
    (GuestProgram); else the initrd holds just the programs (Program)."""
    result = BootResult()
    if timeout is None:
        timeout = float(os.environ.get("KEEL_TIMEOUT") or target.timeout)
    with tempfile.TemporaryDirectory(prefix="keel-") as tmp:
        initrd = os.path.join(tmp, "initrd.cpio")
        if image is not None:
            image.write(initrd)
        else:
            make_initrd(programs, initrd)
        words = cmdline(programs, options, par)
        result.command = list(wrapper) + target.command(
            initrd, words, ram=ram,
            cpus=targets.cpus_for(target, options, cpus))
        line_watch = LineWatch(watch) if watch else None
        rc, text, timed_out, seconds = run_command(
            result.command, timeout, echo, interactive, watch=line_watch)
        result.watched = line_watch.seconds if line_watch else None
    # The console is a terminal: its ONLCR output processing sends the
    # programs' newlines as CRLF, as a Linux serial console does. The
    # suites compare lines, so the console reads back with plain newlines.
    result.returncode, result.console = rc, text.replace("\r\n", "\n")
    result.timed_out, result.seconds = timed_out, seconds
    if timed_out:
        result.problem = ("no power off after %gs: the boot hung (see the "
                          "last console lines)" % timeout)
    else:
        result.status, result.problem = target.decode_status(rc, text)
    return result
