"""Command-line parsing of `keel` and dispatch to the commands."""
import argparse
import os
import sys

from . import cmd_bench, cmd_gdb, cmd_run, cmd_test, debian, targets

TARGET_HELP = "hosted (default), x86_64 or riscv64"


def add_boot_options(p):
    p.add_argument("--target", "-t", default="hosted",
                   choices=sorted(targets.TARGETS), help=TARGET_HELP)
    p.add_argument("--par", action="store_true",
                   help="start all programs at once (run=par)")
    p.add_argument("-o", "--option", action="append", default=[],
                   metavar="WORD",
                   help="kernel command-line option, e.g. -o loglevel=3 or "
                        "-o ktest (repeatable); -o smp=N also sizes the "
                        "machine")
    add_smp_option(p)
    p.add_argument("--rootfs", metavar="DIR|FILE.tar|FILE.cpio",
                   help="the root file system: a directory, a tar archive "
                   "(e.g. made by mmdebstrap) or a cpio (newc) archive "
                   "(default: busybox and keel-init)")
    p.add_argument("--add", action="append", default=[],
                   metavar="HOST[:GUEST]",
                   help="copy a host file or directory into the image "
                   "(default guest path: the same path; repeatable)")
    p.add_argument("--strace", action="store_true",
                   help="log every system call (the kernel option strace)")
    p.add_argument("-m", "--mem", metavar="SIZE", default=None,
                   help="memory of the machine, e.g. 512M or 1G "
                   "(default 256M)")


def add_smp_option(p):
    p.add_argument("-smp", "--smp", type=int, default=None, metavar="N",
                   help="CPUs of the machine, 1..8 (default: hosted the "
                   "host's CPUs up to 8, QEMU 2); the same as -o smp=N")


def smp_options(args):
    """The kernel options with -smp N as the smp=N option it stands for
    and --strace as strace."""
    options = list(args.option)
    if args.smp is not None:
        options.append("smp=%d" % args.smp)
    if args.strace:
        options.append("strace")
    return options


def run_request(ap, args, programs):
    """The cmd_run.Request of `keel run` / `keel gdb`."""
    try:
        ram = cmd_run.parse_ram(args.mem) if args.mem else None
    except ValueError as e:
        ap.error(str(e))
    return cmd_run.Request(
        target=args.target, words=programs, options=smp_options(args),
        par=args.par, timeout=getattr(args, "timeout", None),
        rootfs=args.rootfs, adds=args.add, ram=ram)


def split_at_programs(argv):
    """Splits argv at the first `--` or at the first word that is not an
    option: keel's own options come first, then PROGRAM ARGS [--- ...]."""
    takes_value = {"--target", "-t", "-o", "--option", "--timeout", "-smp",
                   "--smp", "--rootfs", "--add", "-m", "--mem", "--include"}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            return argv[:i], argv[i + 1:]
        if not a.startswith("-") or a == "---":
            return argv[:i], argv[i:]
        i += 2 if a in takes_value else 1
    return argv, []


def parser():
    ap = argparse.ArgumentParser(
        prog="keel", description="Build images, boot Keel, run programs "
        "and tests on it, debug it (docs/runner.md).")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="boot Keel with a root file system and "
                       "a program (default: an interactive /bin/sh) and "
                       "exit with its status",
                       usage="keel run [--target T] [--rootfs DIR|FILE.tar|"
                       "FILE.cpio] [--add HOST[:GUEST]]... [--strace] "
                       "[-smp N] [-m SIZE] [-o WORD]... [--timeout S] [--] "
                       "[PROGRAM [ARGS...]] [--- PROGRAM [ARGS...]]... "
                       "[--par]")
    add_boot_options(p)
    p.add_argument("--timeout", type=float, default=None,
                   help="give up after S seconds (default: never)")

    p = sub.add_parser("debian", help="make (once: cached in build/rootfs/) "
                       "a Debian bookworm minbase root file system and "
                       "boot it (default program: bash -l)",
                       usage="keel debian [--include PKG[,PKG]...]... "
                       "[keel run options] [--] [PROGRAM [ARGS...]]")
    p.add_argument("--include", action="append", default=[],
                   metavar="PKG[,PKG]", help="more packages (mmdebstrap "
                   "--include; repeatable)")
    add_boot_options(p)
    p.add_argument("--timeout", type=float, default=None,
                   help="give up after S seconds (default: never)")

    p = sub.add_parser("test", help="run test suites; ends with "
                       "'N passed, N failed'")
    p.add_argument("suites", nargs="*", metavar="SUITE [FILTER...]",
                   help="lint, unit, ktest, user, user-memcheck, abi, boot, "
                   "harden, fuzz, confine, asan-ktest, asan-user, asan-abi "
                   "(default: all that apply); globs after unit, ktest, "
                   "user, user-memcheck, abi, asan-ktest or asan-user pick "
                   "unit suites (vm), ktests ('sched.*'), user cases "
                   "('fault_*') or abi programs ('files_*')")
    p.add_argument("--target", "-t", default="hosted",
                   choices=sorted(targets.TARGETS) + ["all"],
                   help=TARGET_HELP + ", or all (hosted plus each bare-metal "
                   "target that has a build fragment)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list passing tests too")
    p.add_argument("--no-build", action="store_true",
                   help="test the binaries as they are (default: make "
                   "what the suites need first; also KEEL_NO_BUILD=1)")
    p.add_argument("--build-status", type=int, default=None,
                   help=argparse.SUPPRESS)
    add_smp_option(p)

    p = sub.add_parser("gdb", help="debug Keel with gdb",
                       usage="keel gdb [--target T] [--par] [-o WORD]... "
                       "[--rootfs R] [--add H[:G]]... [-m SIZE] "
                       "[--] [PROGRAM [ARGS...] [--- PROGRAM ...]]")
    add_boot_options(p)

    p = sub.add_parser("bench", help="microbenchmarks natively, on every "
                       "Keel target, under UML and gVisor, side by side")
    p.add_argument("where", nargs="*", metavar="WHERE",
                   help="only the environments whose label contains one "
                   "of these words (native, floor, hosted, x86_64, "
                   "riscv64, Linux, gVisor); default: all")
    p.add_argument("--rows", metavar="NAME,...",
                   help="only these benchmarks (e.g. pipe,open,bulk-write; "
                   "default: all)")
    return ap


def main(argv):
    try:
        return dispatch(parser(), argv)
    except KeyboardInterrupt:
        print("\nkeel: interrupted", file=sys.stderr)
        return 130


def dispatch(ap, argv):
    if argv and argv[0] in ("run", "gdb", "debian"):
        own, programs = split_at_programs(argv[1:])
        args = ap.parse_args([argv[0]] + own)
        req = run_request(ap, args, programs)
        if args.command == "debian":
            return debian.run(req, args.include)
        if args.command == "run":
            return cmd_run.run(req)
        return cmd_gdb.run(req)
    args = ap.parse_args(argv)
    if args.command == "test":
        if args.no_build:
            os.environ["KEEL_NO_BUILD"] = "1"
        if args.smp is not None:
            if not 1 <= args.smp <= 8:
                ap.error("--smp takes 1..8")
            os.environ["KEEL_SMP"] = str(args.smp)
        return cmd_test.run(args.suites, args.target, args.verbose,
                            args.build_status)
    if args.command == "bench":
        return cmd_bench.run(args.where,
                             args.rows.split(",") if args.rows else None)
    ap.print_help()
    return 2
