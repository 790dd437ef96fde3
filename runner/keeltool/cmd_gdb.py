"""`keel gdb`: Keel under gdb.

Hosted: gdb runs keel-kernel itself, passing silently the host signals the
hosted backend uses for interrupts and its stubs. QEMU targets: QEMU starts
halted with its gdbstub (-s -S, port 1234) and gdb connects with the
kernel's symbols.
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

from . import targets
from .boot import cmdline, make_initrd
from .cmd_run import prepare

GDB_PORT = 1234


def hosted_command(target, initrd, words):
    cmd = ["gdb", "-q",
           "-ex", "handle %s nostop noprint pass" % " ".join(
               target.gdb_signals()),
           "-ex", "set follow-fork-mode parent",
           "-ex", "set detach-on-fork on",
           "--args"] + target.command(initrd, words,
                                      cpus=targets.cpus_for(target, words))
    return cmd


def qemu_session(target, initrd, words):
    qemu_cmd = target.command(initrd, words, gdb=True,
                              cpus=targets.cpus_for(target, words))
    gdb = target.gdb_command()
    gdb_cmd = [gdb, "-q", target.image_path(),
               "-ex", "set architecture %s" % target.gdb_arch,
               "-ex", "target remote localhost:%d" % GDB_PORT]
    print("keel gdb: %s" % " ".join(shlex.quote(w) for w in qemu_cmd))
    qemu = subprocess.Popen(qemu_cmd, stdin=subprocess.DEVNULL)
    try:
        return subprocess.call(gdb_cmd)
    finally:
        if qemu.poll() is None:
            qemu.terminate()
            try:
                qemu.wait(timeout=5)
            except subprocess.TimeoutExpired:
                qemu.kill()
                qemu.wait()


def run(target_name, words, options, par):
    target, programs = prepare("gdb", target_name, words)
    if not target:
        return 2
    gdb = "gdb" if target.name == "hosted" else target.gdb_command()
    if not shutil.which(gdb):
        print("keel gdb: %s not found: run scripts/setup-deps" % gdb,
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="keel-gdb-") as tmp:
        initrd = os.path.join(tmp, "initrd.cpio")
        make_initrd(programs, initrd)
        if target.name == "hosted":
            # gdb's inferior calls (print f(x)) make host system calls the
            # confined kernel refuses (docs/hal.md, "Confinement").
            options = ["noconfine"] + list(options)
        words = cmdline(programs, options, par)
        if target.name == "hosted":
            return subprocess.call(hosted_command(target, initrd, words))
        return qemu_session(target, initrd, words)
