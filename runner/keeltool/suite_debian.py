"""The `debian` suite: a Debian bookworm minbase root file system with
python3 (debian.py, made by mmdebstrap and cached in build/rootfs/) booted
with `keel run --rootfs`, each command compared with the same command run
natively under chroot(8) into a fresh copy of the same tree: a login
bash's look at the system, `dpkg -i` of a small .deb (hello, fetched with
apt-get download into the cache), and a Python script with files,
threads, subprocess pipes and select. Hosted and x86_64; without
mmdebstrap (or without the network to make the tree the first time) the
suite is skipped with a note. Kernel-specific words are left out of the
commands (uname's release, file times, directory sizes), since the kernel
is what differs, and so is what depends on the output being a terminal
(on Keel it is the console; natively a pipe): `ls -1`, not `ls`.
"""
import glob
import os
import shutil
import subprocess
import tempfile

from . import debian
from .report import PROGRESS
from .suite_dynhost import compare_with_keel

PACKAGES = ["python3"]
RAM = "1024M"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

SYSTEM = ("cat /etc/os-release; dpkg -l | wc -l; "
          "ls -l /usr/bin | sed -n '2,8p' | awk '{print $1, $3, $4, $5, $9}'; "
          "id; uname -s -m -o; ls -1 /usr/lib/python3.11/json")

DPKG = ("dpkg -i /tmp/hello.deb > /dev/null && hello && "
        "dpkg -s hello | grep -E '^(Package|Status|Version):' && "
        "dpkg -L hello | grep bin/hello")

PY_SCRIPT = r"""
import os, select, subprocess, threading
with open("/tmp/py-data.txt", "w") as f:
    for i in range(100):
        f.write("line %d\n" % i)
with open("/tmp/py-data.txt") as f:
    lines = f.readlines()
print("file:", len(lines), lines[42].strip(), os.path.getsize("/tmp/py-data.txt"))
os.rename("/tmp/py-data.txt", "/tmp/py-moved.txt")
print("renamed:", os.path.exists("/tmp/py-moved.txt"))
total = []
lock = threading.Lock()
def add(n):
    s = sum(range(n))
    with lock:
        total.append(s)
ts = [threading.Thread(target=add, args=(1000 * i,)) for i in range(1, 9)]
for t in ts: t.start()
for t in ts: t.join()
print("threads:", sorted(total))
p = subprocess.Popen(["sort", "-r"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
out, _ = p.communicate("b\na\nc\n")
print("pipe:", out.split(), p.returncode)
p = subprocess.Popen(["sh", "-c", "echo ready; read x; echo got $x"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
r, _, _ = select.select([p.stdout], [], [], 30)
print("select:", len(r), p.stdout.readline().decode().strip())
p.stdin.write(b"42\n"); p.stdin.flush()
print("then:", p.stdout.readline().decode().strip(), p.wait())
rd, wr = os.pipe()
r, w, _ = select.select([rd], [wr], [], 0)
print("select empty pipe:", r, len(w))
os.write(wr, b"x")
r, _, _ = select.select([rd], [], [], 5)
print("select after write:", len(r))
"""

CASES = [
    ("bash -lc: the system (os-release, dpkg -l, ls, id, uname)",
     ["/bin/bash", "-lc", SYSTEM]),
    ("dpkg -i of hello", ["/bin/bash", "-lc", DPKG]),
    ("python3: files, threads, subprocess pipes, select",
     ["/usr/bin/python3", "-B", "/tmp/t.py"]),
]


def fetch_hello(cache):
    """The hello .deb in cache (apt-get download the first time)."""
    found = glob.glob(os.path.join(cache, "hello_*.deb"))
    if found:
        return found[0]
    os.makedirs(cache, exist_ok=True)
    subprocess.run(["apt-get", "download", "hello"], cwd=cache, check=True,
                   capture_output=True, timeout=300)
    return glob.glob(os.path.join(cache, "hello_*.deb"))[0]


def extract(tar, top):
    """A fresh copy of the tree for the native chroot runs."""
    os.makedirs(top)
    subprocess.run(["tar", "-xf", tar, "-C", top], check=True,
                   capture_output=True)


def native(top, argv):
    env = {"PATH": PATH, "HOME": "/root", "SHELL": "/bin/bash",
           "LANG": "C.UTF-8"}
    proc = subprocess.run(["chroot", top] + argv, capture_output=True,
                          env=env, timeout=300)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def check_case(target, tar, top, argv, adds):
    want_status, want = native(top, argv)
    args = ["--rootfs", tar, "-m", RAM]
    for host, guest in adds:
        args += ["--add", host + ":" + guest]
    return compare_with_keel(target, args + ["--"] + argv, want_status,
                             want, "under chroot")


def run(suite, target):
    if target.arch != "x86_64":
        suite.notes.append("skipped: the tree is amd64")
        return
    if not debian.available():
        suite.notes.append("skipped: mmdebstrap not found "
                           "(scripts/setup-deps installs it)")
        return
    try:
        PROGRESS.show("debian: making the root file system (cached)")
        tar = debian.make_rootfs(PACKAGES, quiet=True)
        deb = fetch_hello(os.path.dirname(tar))
    except (debian.Error, subprocess.SubprocessError, IndexError,
            OSError) as e:
        suite.notes.append("skipped: no Debian tree: %s" % e)
        return
    with tempfile.TemporaryDirectory(prefix="keel-debian-") as tmp:
        script = os.path.join(tmp, "t.py")
        with open(script, "w") as f:
            f.write(PY_SCRIPT)
        top = os.path.join(tmp, "root")
        extract(tar, top)
        shutil.copy(deb, os.path.join(top, "tmp", "hello.deb"))
        shutil.copy(script, os.path.join(top, "tmp", "t.py"))
        adds = [(deb, "/tmp/hello.deb"), (script, "/tmp/t.py")]
        for name, argv in CASES:
            PROGRESS.show("debian (%s): %s" % (target.name, name))
            errors, shown = check_case(target, tar, top, argv, adds)
            suite.add(name, not errors,
                      "\n".join(errors) + "\n" + shown if errors else "")
