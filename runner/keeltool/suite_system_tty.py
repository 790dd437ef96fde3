"""The interactive part of the `system` suite: `keel run` (no program: an
interactive busybox shell) driven through a pseudo-terminal, like a person
at a keyboard.

The session types into the pty and waits for what the screen must show
next (a prompt, a line); a wait that is not met within the boot timeout
fails the step as hung, so slowness never fails it, only a missing
answer. Every step is ordered by the output it waits for, never by time:
^C is typed only once the foreground program said it runs, keystrokes
for a stopped job wait in the tty's input queue until `fg` gives it the
terminal. Steps:

- line editing by busybox (raw mode: cursor left, insert, backspace);
- the kernel's canonical mode (a `read` line with erase, ^W, ^U);
- ^C interrupts a foreground `sleep`, the shell survives and reports 130;
- ^Z stops a job, `jobs` lists it, `fg` resumes it with the terminal;
- `stty` sets the window size and a control character, `stty -a` shows
  them;
- `exit 5` ends the machine: keel run exits 5, and the host terminal's
  settings are what they were before (the kernel put it in raw mode).
"""
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

from .paths import REPO

KEEL = os.path.join(REPO, "runner", "keel")
# busybox's line editor asks the terminal for the cursor position after
# its prompt (ESC [ 6 n) when no input is pending, which is always the case
# here: keystrokes are typed only after the prompt. The session answers as
# a terminal does; waiting for the question too keeps the answer ahead of
# the next keystrokes, so that no program but the editor ever reads it.
CURSOR_QUERY = b"\x1b[6n"
CURSOR_ANSWER = b"\x1b[24;1R"
PROMPT = re.compile(rb"root@keel:[^\n]*# \x1b\[6n")


class StepFailed(Exception):
    """A step's wait not met (hung) or its output wrong."""


class Session:
    """keel run on a new pty: type() and expect()."""

    def __init__(self, target, timeout):
        self.timeout = timeout
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", 24, 80, 0, 0))
        self.saved = termios.tcgetattr(slave)  # to compare after exit
        self.slave = slave
        env = dict(os.environ, KEEL_NO_BUILD="1", TERM="xterm")
        self.proc = subprocess.Popen(
            [sys.executable, KEEL, "run", "--target", target.name],
            stdin=slave, stdout=slave, stderr=slave, env=env,
            start_new_session=True, preexec_fn=self._take_tty)
        self.seen = b""   # everything the screen got
        self.pending = b""  # not yet matched by expect
        self.skipped = b""  # what came before the last match

    def _take_tty(self):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def type(self, data):
        os.write(self.master, data)

    def expect(self, pattern, what):
        """Waits for pattern (bytes regex) in the output since the last
        match; returns the match (what came before it: self.skipped).
        StepFailed if it does not come."""
        regex = re.compile(pattern) if isinstance(pattern, bytes) else pattern
        deadline = time.monotonic() + self.timeout
        while True:
            m = regex.search(self.pending)
            if m:
                self.skipped = self.pending[:m.start()]
                self.pending = self.pending[m.end():]
                return m
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise StepFailed("no %s after %gs" % (what, self.timeout))
            ready, _, _ = select.select([self.master], [], [], wait)
            if ready:
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    data = b""
                if not data:
                    raise StepFailed("keel run closed the terminal before %s"
                               % what)
                if CURSOR_QUERY in data:
                    self.type(CURSOR_ANSWER)
                self.seen += data
                self.pending += data

    def prompt(self):
        self.expect(PROMPT, "shell prompt")

    def finish(self):
        """keel run's exit status; kills it if it does not end."""
        try:
            status = self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise StepFailed("keel run did not exit after `exit`")
        return status

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.after = termios.tcgetattr(self.slave)
        os.close(self.master)
        os.close(self.slave)

    def screen(self, n=30):
        text = self.seen.decode("utf-8", "replace").replace("\r", "")
        return "\n".join(text.splitlines()[-n:])


def line(text):
    """A regex for one output line holding exactly text."""
    return re.compile(rb"(^|\n)" + re.escape(text.encode()) + rb"\r*\n")


def steps(s):
    """[(name, function)]: the session's checks, in order."""
    def editing():
        # echo 12, cursor left, 3 inserted, x erased by backspace: "132"
        s.type(b"echo 12x\x7f\x1b[D3\r")
        s.expect(line("132"), "the edited line's output")
        s.prompt()

    def canonical():
        # The editor gives the terminal back in canonical mode before the
        # line runs, so once "ready" is out, keystrokes meet the kernel's
        # canonical editing (typed earlier, they would be raw bytes).
        s.type(b"echo ready; read v; echo \"[$v]\"\r")
        s.expect(line("ready"), "the ready line")
        # Kernel line editing: erase (DEL), word erase (^W), kill (^U).
        s.type(b"junk\x15one twX\x7fo\x17three\r")
        s.expect(line("[one three]"), "the read line")
        s.prompt()

    def interrupt():
        s.type(b"sh -c 'echo sleeping; exec sleep 1000'\r")
        s.expect(line("sleeping"), "the sleeping line")
        s.type(b"\x03")
        s.prompt()
        if b"killed by" in s.skipped:
            # keel run's quiet log: a shell's ^C is not a kernel event.
            raise StepFailed("the kernel reported the ^C'd sleep on the console:"
                       " %r" % s.skipped)
        s.type(b"echo \"status $?\"\r")
        s.expect(line("status 130"), "status 130 after ^C")
        s.prompt()

    def stop_and_resume():
        s.type(b"sh -c 'echo waiting; read w; echo \"got $w\"'\r")
        s.expect(line("waiting"), "the job's first line")
        s.type(b"\x1a")
        s.expect(rb"Stopped", "the stopped job's report")
        s.prompt()
        s.type(b"jobs\r")
        s.expect(rb"\[1\]\+ +Stopped", "jobs listing the stopped job")
        s.prompt()
        s.type(b"fg\r")
        s.expect(rb"fg\r*\n[^\n]*\n", "fg naming the job")
        s.type(b"resumed\r")
        s.expect(line("got resumed"), "the resumed job's line")
        s.prompt()

    def stty():
        s.type(b"stty rows 33 cols 99 werase ^X; stty -a\r")
        s.expect(rb"rows 33; columns 99", "stty -a showing the size")
        s.expect(rb"werase = \^X", "stty -a showing werase")
        s.prompt()
        s.type(b"stty werase ^W\r")
        s.prompt()

    return [("line editing (cursor, insert, backspace)", editing),
            ("canonical mode: erase, ^W, ^U in a read", canonical),
            ("^C interrupts sleep, the shell goes on (status 130)",
             interrupt),
            ("^Z stops a job, jobs lists it, fg resumes it",
             stop_and_resume),
            ("stty sets, stty -a shows", stty)]


def run(suite, target):
    """Adds the session's results to suite."""
    timeout = float(os.environ.get("KEEL_TIMEOUT") or target.timeout)
    prefix = "tty: "
    s = Session(target, timeout)
    try:
        try:
            s.prompt()
            suite.add(prefix + "an interactive shell prompt", True)
        except StepFailed as e:
            suite.fail(prefix + "an interactive shell prompt",
                       "%s\nscreen:\n%s" % (e, s.screen()))
            return
        for name, step in steps(s):
            try:
                step()
                suite.add(prefix + name, True)
            except StepFailed as e:
                suite.fail(prefix + name, "%s\nscreen:\n%s" % (e, s.screen()))
                return
        s.type(b"exit 5\r")
        try:
            status = s.finish()
            suite.add(prefix + "exit 5 ends keel run with 5", status == 5,
                      "" if status == 5 else "keel run exited %d\nscreen:\n%s"
                      % (status, s.screen()))
        except StepFailed as e:
            suite.fail(prefix + "exit 5 ends keel run with 5", str(e))
    finally:
        s.close()
    restored = s.after == s.saved
    suite.add(prefix + "the host terminal is restored after exit", restored,
              "" if restored else "termios before %r\nafter %r"
              % (s.saved, s.after))
