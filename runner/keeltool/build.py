"""Building what a command is about to use, so that `keel test` and
`keel run` never test or boot stale binaries: make is asked for exactly the
files (or phony targets) the chosen suites and targets need, and a no-op
make costs a fraction of a second.

KEEL_NO_BUILD=1 (or `keel test --no-build`) skips it; `make test` does so,
having just built everything itself. The build directory is passed on as
make's BUILD (docs/runner.md, KEEL_BUILD)."""
import os
import subprocess
import sys

from .paths import REPO


def build_var():
    """make's BUILD: $KEEL_BUILD as given (relative to the repository, as
    the Makefile's own targets are named), else build."""
    return os.environ.get("KEEL_BUILD") or "build"


def image_goals(target):
    """The make goals that produce target's kernel (and hosted's stub)."""
    if target.name == "hosted":
        return [os.path.join(build_var(), "hosted", f)
                for f in ("keel-kernel", "keel-stub")]
    return [target.name]


def goals_for(suite, target):
    """The make goals suite needs on target."""
    if suite == "lint":
        return []
    if suite == "unit":
        return [os.path.join(build_var(), "hosted", "unit-tests")]
    if suite == "fuzz":
        return ["fuzz-build"]
    if suite == "sysfuzz" and target.host_process:
        return ["asan-build", "user"]
    if suite.startswith("asan-"):
        return ["asan-build", "abi" if suite == "asan-abi" else "user"]
    goals = image_goals(target)
    if suite == "system":
        from . import system
        goals += system.build_goals(target.arch) + ["system-tests", "user"]
    if suite in ("busybox", "busybox-testsuite"):
        from . import system
        goals += system.build_goals(target.arch)
    if suite in ("user", "user-memcheck", "harden", "confine", "sysfuzz"):
        goals.append("user")
    if suite == "abi":
        goals.append("abi")
    return goals


def skipped():
    return os.environ.get("KEEL_NO_BUILD", "") not in ("", "0")


def make(goals):
    """Runs make for goals (deduplicated, in order) in the repository; its
    output goes to stderr as it comes. Returns make's exit status (0 when
    building is switched off or there is nothing to build)."""
    wanted = list(dict.fromkeys(goals))
    if skipped() or not wanted:
        return 0
    jobs = "-j%d" % max(1, min(os.cpu_count() or 1, 4))
    # A make above us (make run) must not lend us its jobserver or flags.
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    cmd = ["make", "--no-print-directory", "-s", jobs,
           "BUILD=" + build_var()] + wanted
    proc = subprocess.run(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                          stdout=sys.stderr, stderr=subprocess.STDOUT)
    return proc.returncode


def command_line(goals):
    return "make BUILD=%s %s" % (build_var(), " ".join(
        dict.fromkeys(goals)))
