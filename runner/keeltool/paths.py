"""Where things are: the repository, the build directory, the programs."""
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))))


def build_dir():
    """The build directory: $KEEL_BUILD, else build/ (relative paths are
    taken from the repository root, as make does)."""
    return os.path.join(REPO, os.environ.get("KEEL_BUILD") or "build")


def show(path):
    """path relative to the current directory when it is below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def user_program(arch, name):
    """Host path of test program name built for arch (mk/user.mk)."""
    return os.path.join(build_dir(), "user", arch, name)


def resolve_program(arch, word):
    """A program named on the command line: a path if it contains a slash
    (or exists as given), else a test program in build/user/ARCH/."""
    if "/" in word or os.path.exists(word):
        return os.path.abspath(word)
    return user_program(arch, word)
