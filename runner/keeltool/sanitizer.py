"""Sanitizer reports on a console: what the ASan + UBSan build of the
hosted kernel (docs/hardening.md) prints when it finds a bug, and what
every suite that boots a kernel checks for (a kernel not built with them
never prints these lines).

ASan's reports come symbolized by the runtime (hal/hosted/sanitizer.c
warms its symbolizer up before confinement); UBSan's runtime cannot read
the executable once the kernel is confined, so its frames are
module+offset, which report() resolves with addr2line.
"""
import os
import re
import shutil
import subprocess

from .paths import REPO

# The first line of a report: ASan's (or LeakSanitizer's) error line, a
# UBSan "runtime error", or ASan's warning that it lost track of the stack.
START = re.compile(r"^==\d+==ERROR: (AddressSanitizer|LeakSanitizer)|"
                   r"^\S+:\d+(:\d+)?: runtime error: |"
                   r"^==\d+==WARNING: ASan", re.M)
MAX_LINES = 40


def report(result):
    """None if the console of result (a BootResult) holds no sanitizer
    report, else the report: from its first line to ASan's shadow-byte
    dump (or MAX_LINES lines), symbolized."""
    console = result.console
    m = START.search(console)
    if not m:
        return None
    lines = console[m.start():].splitlines()
    kept = []
    for line in lines[:MAX_LINES]:
        if line.startswith("Shadow bytes around"):
            break
        kept.append(line)
    exe = next((w for w in result.command if w.endswith("keel-kernel")),
               None)
    return symbolize("\n".join(kept), exe)


# An unsymbolized frame: "#3 0x55e9a6051f1d  (/path/keel-kernel+0xecf1d)".
RAW_FRAME = re.compile(r"^(\s*#\d+ 0x[0-9a-f]+)\s+\((/[^+()]+)\+(0x[0-9a-f]+)\)"
                       r"\s*$")


def symbolize(text, exe=None):
    """text with each unsymbolized frame of a module that exists on the
    host resolved by addr2line (function and file:line); /proc/self/exe,
    as a runtime that could not read its name calls the kernel, is exe."""
    out = []
    for line in text.splitlines():
        m = RAW_FRAME.match(line)
        module = m and (exe if m.group(2) == "/proc/self/exe" and exe
                        else m.group(2))
        names = _addr2line(module, m.group(3)) if m else None
        if names:
            line = "%s in %s" % (m.group(1), names)
        out.append(line)
    return "\n".join(out)


def _addr2line(module, offset):
    """"func file:line" for offset in module, or None."""
    if not os.path.exists(module) or not shutil.which("addr2line"):
        return None
    proc = subprocess.run(["addr2line", "-f", "-e", module, offset],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True)
    lines = proc.stdout.splitlines()
    if proc.returncode or len(lines) < 2 or lines[0] == "??":
        return None
    where = lines[1].split(" (discriminator")[0]
    return "%s %s" % (lines[0], os.path.relpath(where, REPO)
                      if where.startswith(REPO) else where)
