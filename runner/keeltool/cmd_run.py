"""`keel run`: boots Keel with some programs, shows the console as it
comes, and exits with the machine's status (that of the program, 128+signal
if it was killed)."""
import os
import sys

from . import targets
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


def run(target_name, words, options, par, timeout):
    target = targets.get(target_name)
    problem = target.missing()
    if problem:
        print("keel run: " + problem, file=sys.stderr)
        return 2
    programs, error = resolve(target, split_programs(words))
    if error:
        print("keel run: " + error, file=sys.stderr)
        return 2
    result = boot(target, programs, options=options, par=par,
                  timeout=timeout, echo=True, interactive=True)
    if result.problem:
        print("keel run: " + result.problem, file=sys.stderr)
        return STATUS_HUNG if result.timed_out else STATUS_NO_STATUS
    return result.status
