"""`keel run`: boots Keel with some programs, shows the console as it
comes, and exits with the machine's status (that of the program, 128+signal
if it was killed). With the ktest option it also tells, on stderr, how long
the boot took to the first KTAP result line."""
import os
import sys

from . import build, ktap, targets
from .boot import Program, boot
from .paths import resolve_program, show

# Exit statuses of keel run itself when the machine gives none.
STATUS_HUNG = 124      # like timeout(1)
STATUS_NO_STATUS = 125


def split_programs(words):
    """PROG ARGS [--- PROG ARGS]... -> list of argv lists."""
    programs, current = [], []
    for w in words:
        if w == "---":
            if current:
                programs.append(current)
            current = []
        else:
            current.append(w)
    if current:
        programs.append(current)
    return programs


def resolve(target, argvs):
    """Programs for target, or (None, error message)."""
    programs = []
    for argv in argvs:
        path = resolve_program(target.arch, argv[0])
        if not os.path.isfile(path):
            hint = "run make user" if "/" not in argv[0] else "check the path"
            return None, "%s not found: %s" % (show(path), hint)
        programs.append(Program(path, argv[1:]))
    return programs, None


def prepare(command, target_name, words):
    """The target and its programs for `keel COMMAND`, or (None, None)
    after saying on stderr what is missing."""
    target = targets.get(target_name)
    argvs = split_programs(words)
    goals = build.image_goals(target)
    if any("/" not in argv[0] and not os.path.exists(argv[0])
           for argv in argvs):
        goals.append("user")
    if build.make(goals):
        print("keel %s: %s failed" % (command, build.command_line(goals)),
              file=sys.stderr)
        return None, None
    problem = target.missing()
    if not problem:
        programs, problem = resolve(target, argvs)
    if problem:
        print("keel %s: %s" % (command, problem), file=sys.stderr)
        return None, None
    return target, programs


def run(target_name, words, options, par, timeout):
    target, programs = prepare("run", target_name, words)
    if not target:
        return 2
    ktest = any(o == "ktest" or o.startswith("ktest=") for o in options)
    result = boot(target, programs, options=options, par=par,
                  timeout=timeout, echo=True, interactive=True,
                  watch=ktap.is_result if ktest else None)
    if ktest:
        print("keel run: boot to first ktest: %s" % (
            "%.3fs (launch to the first KTAP result line)" % result.watched
            if result.watched is not None else "no KTAP result line came"),
            file=sys.stderr)
    if result.problem:
        print("keel run: " + result.problem, file=sys.stderr)
        return STATUS_HUNG if result.timed_out else STATUS_NO_STATUS
    return result.status
