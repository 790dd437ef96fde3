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


def hosted_command(target, initrd, words, ram=None):
    cmd = ["gdb", "-q",
           "-ex", "handle %s nostop noprint pass" % " ".join(
               target.gdb_signals()),
           "-ex", "set follow-fork-mode parent",
           "-ex", "set detach-on-fork on",
           "--args"] + target.command(initrd, words, ram=ram,
                                      cpus=targets.cpus_for(target, words))
    return cmd


def qemu_session(target, initrd, words, ram=None):
    qemu_cmd = target.command(initrd, words, gdb=True, ram=ram,
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


def run(req):
    prepared = prepare("gdb", req)
    if not prepared:
        return 2
    target, image, programs, _ = prepared
    options, par = req.options, req.par
    gdb = "gdb" if target.name == "hosted" else target.gdb_command()
    if not shutil.which(gdb):
        print("keel gdb: %s not found: run scripts/setup-deps" % gdb,
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="keel-gdb-") as tmp:
        initrd = os.path.join(tmp, "initrd.cpio")
        if image is not None:
            image.write(initrd)
        else:
            make_initrd(programs, initrd)
        if target.name == "hosted":
            # gdb's inferior calls (print f(x)) make host system calls the
            # confined kernel refuses (docs/hal.md, "Confinement").
            options = ["noconfine"] + list(options)
        words = cmdline(programs, options, par)
        if target.name == "hosted":
            return subprocess.call(hosted_command(target, initrd, words,
                                                  req.ram))
        return qemu_session(target, initrd, words, req.ram)
