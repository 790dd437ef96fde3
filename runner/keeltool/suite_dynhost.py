"""The `dynhost` suite: the host's own dynamically linked programs on Keel
(issue 10), run as a person runs them, `runner/keel run [--add ...] --
/usr/bin/PROGRAM ARGS`, which copies the program, its dynamic linker and
its shared libraries into the default (busybox) root file system
(elfdeps.py). Each case runs the same command natively first, the oracle,
and Keel must print the same output and exit with the same status.

Three programs built here check the library search and bad libraries:
one whose library sits in ../lib beside it (DT_RUNPATH $ORIGIN/../lib),
one whose library was removed, which keel run must refuse naming it, and
one whose library has a corrupt program header (a PT_LOAD's offset not
congruent to its address), which ld.so refuses (status 127, its message
on stderr) on Keel as natively, the kernel going on.
The fixture is a small tree made under a fresh host directory, with fixed
times and modes, and added at the same path in the guest, so that paths
and `ls -l` read the same in both runs. Programs a case runs by absolute
path besides its first word come in with --add (and their libraries with
them). Python's standard library comes with it (elfdeps.add_program), as
`keel run -- /usr/bin/python3 -c ...` does it. Hosted and x86_64 (the host's programs are x86-64);
a case whose program the host lacks is skipped with a note.
"""
import os
import shutil
import struct
import subprocess
import tempfile

from .elfdeps import PT_LOAD
from .report import PROGRESS
from .suite_system import keel_run

FIXED_TIME = 1700000000  # 2023-11-14: both runs show the same dates


class Case:
    """One command (argv, FIX formatted with the fixture's directory) and
    the host programs it needs besides argv[0]."""

    def __init__(self, name, argv, adds=()):
        self.name, self.argv, self.adds = name, argv, list(adds)


PY_SCRIPT = r"""
import json, os, signal, subprocess, threading
r = subprocess.run(["/bin/sh", "-c", "echo child $((6*7)); exit 3"],
                   capture_output=True, text=True)
print("subprocess:", r.stdout.strip(), r.returncode)
got = []
lock = threading.Lock()
def work(i):
    with lock:
        got.append(i * i)
threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("threads:", sorted(got))
hits = []
signal.signal(signal.SIGUSR1, lambda sig, frame: hits.append(sig))
os.kill(os.getpid(), signal.SIGUSR1)
print("signal:", hits == [signal.SIGUSR1])
data = json.loads(json.dumps({"b": [1, 2.5, None], "a": "x"}))
print("json:", json.dumps(data, sort_keys=True))
rd, wr = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(wr, b"from the child")
    os._exit(5)
os.close(wr)
print("fork:", os.read(rd, 64).decode(), os.waitstatus_to_exitcode(
    os.waitpid(pid, 0)[1]))
print("listdir:", sorted(os.listdir("FIX/tree")))
import socket
a, b = socket.socketpair()
a.sendall(b"over a unix socket")
print("socketpair:", b.recv(64).decode(), a.family == socket.AF_UNIX)
"""

BASH_SCRIPT = (
    "a=(one two three); declare -A m=([k]=v [j]=w); "
    "f() { local x=$1; echo \"f:$x:${#a[@]}:${a[2]}:${m[k]}\"; }; f \"${a[1]}\"; "
    "while read -r l; do echo \"read:$l\"; done < <(printf 'p\\nq\\n'); "
    "diff_out=$(cat <(echo left) <(echo right)); echo \"$diff_out\"; "
    "echo $(( 2 ** 10 )) ${a[@]:1}; s=hello; echo ${s^^} ${s:1:3}; "
    "trap 'echo trapped' USR1; kill -USR1 $$; exit 4")

CASES = [
    # Files only: a directory's size and the "total" line depend on the
    # file system (the host's ext4 or tmpfs, Keel's tmpfs).
    Case("ls -l of a fixed tree",
         ["/usr/bin/ls", "-l", "FIX/tree/a.txt", "FIX/tree/data.bin",
          "FIX/tree/link", "FIX/tree/numbers", "FIX/tree/sub/b.txt"]),
    Case("cat", ["/usr/bin/cat", "FIX/tree/a.txt", "FIX/tree/sub/b.txt"]),
    Case("sort", ["/usr/bin/sort", "-n", "FIX/tree/numbers"]),
    Case("sha256sum", ["/usr/bin/sha256sum", "FIX/tree/a.txt",
                       "FIX/tree/data.bin"]),
    Case("dash -c", ["/usr/bin/dash", "-c",
                     "for i in 1 2 3; do printf '%s-' $i; done; echo; "
                     "x=$((6 * 7)); echo $x; f() { return 3; }; f; "
                     "echo status $?; exit 2"]),
    Case("bash -c: arrays, functions, process substitution",
         ["/usr/bin/bash", "-c", BASH_SCRIPT]),
    Case("find -exec", ["/usr/bin/bash", "-c",
                        "/usr/bin/find FIX/tree -type f -name '*.txt' "
                        "-exec /usr/bin/sha256sum {} \\; | /usr/bin/sort"],
         adds=["/usr/bin/find", "/usr/bin/sha256sum", "/usr/bin/sort"]),
    Case("tar czf / tar xzf round trip",
         ["/usr/bin/bash", "-c",
          "set -e; cd FIX/work; /usr/bin/tar czf t.tgz -C FIX tree; "
          "/usr/bin/tar tzf t.tgz | /usr/bin/sort; mkdir out; "
          "/usr/bin/tar xzf t.tgz -C out; /usr/bin/sha256sum "
          "out/tree/a.txt out/tree/data.bin; "
          "/usr/bin/find out | /usr/bin/sort; rm -r out t.tgz"],
         adds=["/usr/bin/tar", "/usr/bin/gzip", "/usr/bin/sha256sum",
               "/usr/bin/sort", "/usr/bin/find"]),
    Case("python3 -c: os, subprocess, threading, signal, json, fork, "
         "socketpair",
         ["/usr/bin/python3", "-B", "-c", PY_SCRIPT]),
]


def make_fixture(top):
    """The tree the cases read, with fixed times and modes, and an empty
    work directory."""
    tree = os.path.join(top, "tree")
    os.makedirs(os.path.join(tree, "sub"))
    os.makedirs(os.path.join(top, "work"))
    files = {"a.txt": b"alpha\n", "sub/b.txt": b"beta\nbeta again\n",
             "numbers": b"10\n9\n100\n-3\n42\n",
             "data.bin": bytes(range(256)) * 40}
    for name, data in files.items():
        with open(os.path.join(tree, name), "wb") as f:
            f.write(data)
    os.chmod(os.path.join(tree, "numbers"), 0o600)
    os.symlink("a.txt", os.path.join(tree, "link"))
    for dirpath, dirs, names in os.walk(tree, topdown=False):
        for n in names + dirs:
            os.utime(os.path.join(dirpath, n), (FIXED_TIME, FIXED_TIME),
                     follow_symlinks=False)
    os.utime(tree, (FIXED_TIME, FIXED_TIME))


DEMO_LIB = r"""
#include <stdio.h>
void demo_hello(const char *who) { printf("hello %s from libkeeldemo\n", who); }
"""
DEMO_MAIN = r"""
void demo_hello(const char *who);
int main(int argc, char **argv) { demo_hello(argc > 1 ? argv[1] : "?"); return 3; }
"""


def build_demo(top):
    """Builds BUILT/bin/demo against BUILT/lib/libkeeldemo.so, found
    through DT_RUNPATH $ORIGIN/../lib, BUILT/bin/orphan whose library
    is gone, and BUILT/bin/badlib whose library is corrupt
    (corrupt_library); False without a compiler."""
    cc = shutil.which("gcc")
    if not cc:
        return False
    for d in ("src", "bin", "lib", "gone"):
        os.makedirs(os.path.join(top, d))
    src = os.path.join(top, "src")
    for name, text in (("lib.c", DEMO_LIB), ("main.c", DEMO_MAIN)):
        with open(os.path.join(src, name), "w") as f:
            f.write(text)
    def library(where, name):
        return [cc, "-shared", "-fPIC", "-o",
                os.path.join(top, where, "lib%s.so" % name),
                os.path.join(src, "lib.c")]

    def program(name, where, lib, extra=()):
        return [cc, "-o", os.path.join(top, "bin", name),
                os.path.join(src, "main.c"), "-L" + os.path.join(top, where),
                "-l" + lib] + list(extra)

    runpath = ["-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib"]
    steps = [library("lib", "keeldemo"),
             program("demo", "lib", "keeldemo", runpath),
             library("gone", "keelgone"),
             program("orphan", "gone", "keelgone"),
             library("lib", "keelbad"),
             program("badlib", "lib", "keelbad", runpath)]
    for cmd in steps:
        subprocess.run(cmd, check=True, capture_output=True)
    shutil.rmtree(os.path.join(top, "gone"))
    corrupt_library(os.path.join(top, "lib", "libkeelbad.so"))
    return True


def corrupt_library(path):
    """Moves the file offset of the library's second PT_LOAD (its code)
    one byte off its address's page offset: ld.so refuses such a load
    command ("address/offset not page-aligned"), while the dynamic
    section that keel run reads (in the first PT_LOAD) stays intact."""
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
        loads = [phoff + i * phentsize for i in range(phnum)
                 if struct.unpack_from("<I", data, phoff + i * phentsize)[0]
                 == PT_LOAD]
        at = loads[1] + 8  # p_offset
        struct.pack_into("<Q", data, at,
                         struct.unpack_from("<Q", data, at)[0] + 1)
        f.seek(0)
        f.write(data)


def check_built(suite, target, built):
    """A program with its own library beside it (DT_RUNPATH $ORIGIN), and
    one whose library is gone, which keel run refuses naming it."""
    argv = [os.path.join(built, "bin", "demo"), "keel"]
    want_status, want = native(argv)
    errors, shown = compare_with_keel(target, ["--"] + argv, want_status,
                                      want, "natively")
    suite.add("a library found through DT_RUNPATH $ORIGIN/../lib",
              not errors, "\n".join(errors) + "\n" + shown if errors else "")
    status, out, err = keel_run(target, ["--", os.path.join(built, "bin",
                                                            "orphan")])
    ok = status == 2 and "library libkeelgone.so not found" in err
    suite.add("a missing library is refused by name (status 2)", ok,
              "" if ok else "status %d\nstderr:\n%s" % (status, err))
    argv = [os.path.join(built, "bin", "badlib"), "keel"]
    want_status, want = native(argv, stderr=True)
    errors, shown = compare_with_keel(target, ["--"] + argv, want_status,
                                      want, "natively")
    if want_status != 127 or "libkeelbad.so" not in want:
        errors.append("natively: status %d, not ld.so's refusal" %
                      want_status)
    suite.add("a library with a corrupt program header: ld.so's error "
              "(status 127)", not errors,
              "\n".join(errors) + "\n" + shown if errors else "")


def native(argv, stderr=False):
    """(status, stdout) of argv run natively; stderr too, merged into the
    output as Keel's console merges it, if stderr."""
    proc = subprocess.run(argv, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if stderr
                          else subprocess.PIPE, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def reset_work(top):
    work = os.path.join(top, "work")
    shutil.rmtree(work)
    os.makedirs(work)


def check_case(target, case, top):
    """The errors of one case (empty: it passed) and what to show."""
    argv = [w.replace("FIX", top) for w in case.argv]
    want_status, want = native(argv)
    reset_work(top)
    args = ["--add", top + ":" + top]
    for a in case.adds:
        args += ["--add", a]
    return compare_with_keel(target, args + ["--"] + argv, want_status,
                             want, "natively")


def compare_with_keel(target, args, want_status, want, oracle):
    """Runs `keel run ARGS` and compares its status and the program's
    output with the oracle's (named oracle in the messages). Returns the
    errors (empty: the same) and the console and stderr to show."""
    status, out, err = keel_run(target, args)
    got = target.program_output(out)
    errors = []
    if status != want_status:
        errors.append("keel run exited %d, %s %d" % (status, oracle,
                                                    want_status))
    if got != want:
        errors.append("output differs:\n--- %s\n%s--- keel\n%s" % (
            oracle, want, got))
    shown = "console:\n%s\nstderr:\n%s" % (
        "\n".join(out.splitlines()[-20:]), "\n".join(err.splitlines()[-10:]))
    return errors, shown


def run(suite, target):
    if target.arch != "x86_64":
        suite.notes.append("skipped: the host's programs are x86-64")
        return
    problem = target.missing()
    if problem:
        suite.fail("dynhost", problem)
        return
    with tempfile.TemporaryDirectory(prefix="keel-dynhost-") as tmp:
        top = os.path.join(tmp, "fix")
        make_fixture(top)
        built = os.path.join(tmp, "built")
        if build_demo(built):
            PROGRESS.show("dynhost (%s): built programs" % target.name)
            check_built(suite, target, built)
        else:
            suite.notes.append("skipped the built programs: no gcc")
        for case in CASES:
            missing = [p for p in [case.argv[0]] + case.adds
                       if not os.path.isfile(p)]
            if missing:
                suite.notes.append("skipped %s: the host has no %s" % (
                    case.name, ", ".join(missing)))
                continue
            PROGRESS.show("dynhost (%s): %s" % (target.name, case.name))
            errors, shown = check_case(target, case, top)
            suite.add(case.name, not errors,
                      "\n".join(errors) + "\n" + shown if errors else "")
