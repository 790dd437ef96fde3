"""The launcher table: how to boot Keel on each target.

A target knows its kernel image, the command that boots it with an initrd
and a kernel command line, how long a boot may reasonably take, how to get
the machine's exit status back, and how to debug it. Bare-metal backends
plug in here: add or adjust an entry, nothing else in the runner changes.
"""
import os
import re
import shutil
import signal

from .paths import build_dir, show

# Printed by the core when it powers off (the authority on QEMU, where the
# exit code goes through isa-debug-exit or the test finisher).
POWER_OFF = re.compile(r"keel: power off, status (-?\d+)")

# `-o smp=N` among the kernel options sizes the machine too.
SMP_OPTION = re.compile(r"^smp=(\d+)$")
MAX_CPUS = 8  # HAL_MAX_CPUS of every backend


def cpus_for(target, options=(), cpus=None):
    """How many CPUs a boot of target gets: cpus if given, else the last
    `smp=N` kernel option, else $KEEL_SMP (keel test --smp N), else the
    target's default. Always 1 .. MAX_CPUS."""
    if cpus is None:
        for o in options:
            m = SMP_OPTION.match(o)
            if m:
                cpus = int(m.group(1))
    if cpus is None and os.environ.get("KEEL_SMP"):
        cpus = int(os.environ["KEEL_SMP"])
    if cpus is None:
        cpus = target.default_cpus()
    return max(1, min(int(cpus), MAX_CPUS))


# Lines the kernel writes to the console, as opposed to user programs:
# klog's "[seconds.micros] TAG ", panic reports, backtraces, the host side.
KERNEL_LINE = re.compile(
    r"^(\[\s*\d+\.\d+\] (ERR |WARN|INFO|DBG )|keel: |keel-kernel: |"
    r"PANIC in |  on CPU \d+|  #\d+ 0x|  \(no backtrace\))")


# OpenSBI's banner lines that name things ("Boot HART MEDELEG : 0x...");
# the banner ends with the last of them.
FIRMWARE_LINE = re.compile(r"^(OpenSBI v|Platform |Firmware |Runtime SBI |"
                           r"Domain\d+ |Boot HART )")
FIRMWARE_LINES_MAX = 80


def firmware_end(lines):
    """The index of the first console line after the firmware banner: the
    line after OpenSBI's last named line (a quiet boot, loglevel=1, has
    no kernel line before the programs' output), else the first kernel
    line."""
    named = [i for i, l in enumerate(lines[:FIRMWARE_LINES_MAX])
             if FIRMWARE_LINE.match(l)]
    if named:
        return named[-1] + 1
    return next((i for i, l in enumerate(lines) if KERNEL_LINE.match(l)), 0)


class Target:
    name = None
    arch = None          # architecture of the user programs it runs
    image = None         # kernel image, relative to the build directory
    build_hint = "make"  # what builds the image
    timeout = 60         # seconds a test boot may take before it counts as hung
    firmware = False     # prints a firmware banner before the kernel starts
    host_process = False  # the kernel is a host process (Valgrind can run it)
    sanitized = False    # built with ASan + UBSan (the asan-* suites)

    def image_path(self):
        return os.path.join(build_dir(), self.image)

    def missing(self):
        """None when the target can boot, else what to do about it."""
        if not os.path.exists(self.image_path()):
            return "%s missing: run %s" % (show(self.image_path()),
                                           self.build_hint)
        for tool in self.tools():
            if not shutil.which(tool):
                return "%s not found: run scripts/setup-deps" % tool
        return None

    def tools(self):
        return []

    def default_cpus(self):
        """CPUs a boot gets unless told (keel run -smp N, -o smp=N): 2, so
        that every QEMU run has a second CPU to start, kick, schedule on
        and shoot TLBs down on."""
        return 2

    def command(self, initrd, cmdline, gdb=False, ram=None, cpus=1):
        """argv that boots the target (gdb: wait for a debugger) with ram
        of memory ("64M"; None: 256M) and cpus CPUs."""
        raise NotImplementedError

    def decode_status(self, returncode, console):
        """(status, problem): the machine's exit status, or None and why
        there is none (a crash of the kernel process, a QEMU that stopped
        without the kernel powering off)."""
        raise NotImplementedError

    def program_output(self, console):
        """The lines user programs wrote: the console minus the kernel's own
        lines (and minus the firmware banner on targets that have one)."""
        lines = console.splitlines(keepends=True)
        if self.firmware:
            lines = lines[firmware_end(lines):]
        return "".join(l for l in lines if not KERNEL_LINE.match(l))


class Hosted(Target):
    name = "hosted"
    arch = "x86_64"
    image = "hosted/keel-kernel"
    build_hint = "make hosted"
    timeout = 30
    host_process = True

    def missing(self):
        problem = super().missing()
        if problem:
            return problem
        stub = os.path.join(build_dir(), "hosted", "keel-stub")
        if not os.path.exists(stub):
            return "%s missing: run %s" % (show(stub), self.build_hint)
        return None

    def default_cpus(self):
        """The host's CPUs, at most MAX_CPUS: one vCPU thread each."""
        return min(os.cpu_count() or 1, MAX_CPUS)

    def command(self, initrd, cmdline, gdb=False, ram=None, cpus=1):
        # keel-kernel joins its non-option arguments into the kernel
        # command line; the first "--" ends its own options and is kept.
        # Its memory is 256M unless told.
        mem = ["--mem", ram] if ram else []
        return [self.image_path()] + mem + ["--cpus", str(cpus),
                                            "--initrd", initrd] + cmdline

    def decode_status(self, returncode, console):
        if returncode < 0:
            sig = signal.Signals(-returncode).name
            return None, ("keel-kernel was killed by %s (a kernel crash, not "
                          "a program's status)" % sig)
        return returncode, None

    def gdb_signals(self):
        """Host signals the hosted backend uses for itself: gdb passes them
        on silently (hal/hosted/irq.c: timer SIGRTMIN+1, IRQs SIGRTMIN+2;
        the stubs' SIGSYS)."""
        rt = int(signal.SIGRTMIN)
        return ["SIGSYS", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGURG",
                "SIGCHLD", "SIG%d" % (rt + 1), "SIG%d" % (rt + 2)]


class Qemu(Target):
    qemu = None
    timeout = 90
    gdb_arch = None

    def tools(self):
        return [self.qemu]

    def decode_status(self, returncode, console):
        found = POWER_OFF.findall(console)
        if found:
            return int(found[-1]), None
        if returncode < 0:
            return None, "%s was killed by %s" % (
                self.qemu, signal.Signals(-returncode).name)
        return self.exit_code_status(returncode)

    def exit_code_status(self, returncode):
        return None, ("%s exited with %d without the kernel powering off "
                      "(no 'keel: power off' line)" % (self.qemu, returncode))

    def gdb_command(self):
        for gdb in ("gdb-multiarch", "gdb"):
            if shutil.which(gdb):
                return gdb
        return "gdb-multiarch"


class QemuX86(Qemu):
    name = "x86_64"
    arch = "x86_64"
    image = "x86_64/keel.elf"
    build_hint = "make baremetal"
    qemu = "qemu-system-x86_64"
    gdb_arch = "i386:x86-64"

    def command(self, initrd, cmdline, gdb=False, ram=None, cpus=1):
        cmd = [self.qemu, "-kernel", self.image_path(), "-initrd", initrd,
               "-append", " ".join(cmdline),
               # The serial line is the guest's terminal: ^C is a byte
               # for its tty (SIGINT there), not a signal killing QEMU.
               "-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con",
               "-display", "none", "-monitor", "none", "-m", ram or "256M",
               "-smp", str(cpus),
               # QEMU's default CPU plus SMEP and SMAP, so that every boot
               # runs with the kernel's guards on (ktest_isolation.c
               # tests them); no XSAVE, as before.
               "-cpu", "qemu64,+smep,+smap",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-no-reboot"]
        return cmd + (["-s", "-S"] if gdb else [])

    def exit_code_status(self, returncode):
        # isa-debug-exit: QEMU exits with (value << 1) | 1.
        if returncode % 2 == 1:
            return (returncode - 1) // 2, None
        return super().exit_code_status(returncode)


class QemuRiscv(Qemu):
    name = "riscv64"
    arch = "riscv64"
    image = "riscv64/keel.elf"
    build_hint = "make baremetal"
    qemu = "qemu-system-riscv64"
    gdb_arch = "riscv:rv64"
    firmware = True

    def command(self, initrd, cmdline, gdb=False, ram=None, cpus=1):
        cmd = [self.qemu, "-machine", "virt", "-bios", "default",
               "-kernel", self.image_path(), "-initrd", initrd,
               "-append", " ".join(cmdline), "-nographic", "-m", ram or "256M",
               "-smp", str(cpus),
               "-no-reboot"]
        return cmd + (["-s", "-S"] if gdb else [])

    def exit_code_status(self, returncode):
        # The sifive test finisher: QEMU exits with the code it was given.
        if returncode != 0:
            return returncode, None
        return super().exit_code_status(returncode)


class HostedSanitized(Hosted):
    """The hosted kernel built with ASan and UBSan (`make asan-build`:
    BUILD/asan/hosted/, docs/hardening.md). Not a --target of its own: the
    asan-* suites boot it in place of hosted. It runs the same programs
    (BUILD/user/), so it keeps hosted's name for the cases' target lists."""
    image = "asan/hosted/keel-kernel"
    build_hint = "make asan-build"
    sanitized = True

    def missing(self):
        if not os.path.exists(self.image_path()):
            return "%s missing: run %s" % (show(self.image_path()),
                                           self.build_hint)
        stub = os.path.join(build_dir(), "asan", "hosted", "keel-stub")
        if not os.path.exists(stub):
            return "%s missing: run %s" % (show(stub), self.build_hint)
        return None


TARGETS = {t.name: t for t in (Hosted(), QemuX86(), QemuRiscv())}
SANITIZED = HostedSanitized()
BAREMETAL = ("x86_64", "riscv64")


def get(name):
    return TARGETS[name]


def default_targets():
    """`--target all`: hosted, plus each bare-metal target whose build
    fragment (mk/<arch>.mk) exists."""
    from .paths import REPO
    names = ["hosted"]
    for arch in BAREMETAL:
        if os.path.exists(os.path.join(REPO, "mk", arch + ".mk")):
            names.append(arch)
    return names
