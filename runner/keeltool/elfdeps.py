"""What a host program needs to run elsewhere: its dynamic linker
(PT_INTERP) and the shared libraries it loads, found from the dynamic
sections the way glibc's ld.so searches, without running anything.

For each object, DT_NEEDED names are looked up, in ld.so's order, in:
DT_RPATH of the object and of those that loaded it (only when the object
has no DT_RUNPATH), DT_RUNPATH of the object, the directories of
/etc/ld.so.conf (its `include` globs followed; ld.so reads them through
ld.so.cache, which ldconfig builds from the same list), then the default
directories. A name with a slash is a path. $ORIGIN, $LIB and $PLATFORM
are expanded in search paths. A candidate for another ELF class or
machine is skipped, as ld.so skips it.

needed_files(path) gives (guest path, host path) pairs: the program at its
own path, the linker at its PT_INTERP path, each library at the path the
linker will open (through a symlink: the content is the target's); for a
shared library (a Python extension module) its own DT_NEEDED closure.
A static program needs nothing. Error says what cannot be found or read.
"""
import glob
import os
import struct

from . import rootfs

PT_INTERP, PT_DYNAMIC, PT_LOAD = 3, 2, 1
DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ = 0, 1, 5, 10
DT_RPATH, DT_RUNPATH = 15, 29

LD_SO_CONF = "/etc/ld.so.conf"
MACHINE_NAMES = {62: ("x86_64", "x86_64-linux-gnu"),
                 243: ("riscv64", "riscv64-linux-gnu"),
                 183: ("aarch64", "aarch64-linux-gnu")}


class Error(rootfs.Error):
    """A program or library that cannot be found or read; says which (a
    rootfs.Error: keel run reports it as it reports a missing file)."""


class ElfInfo:
    """What the loader reads from one ELF file: its class and machine,
    PT_INTERP, and the dynamic section's NEEDED, RPATH and RUNPATH."""

    def __init__(self, path):
        self.path = path
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise Error("cannot read %s: %s" % (path, e.strerror)) from None
        if data[:4] != b"\x7fELF" or len(data) < 64:
            raise Error("%s is not an ELF file" % path)
        if data[4] != 2 or data[5] != 1:
            raise Error("%s: only 64-bit little-endian ELF is handled"
                        % path)
        self.machine = struct.unpack_from("<H", data, 18)[0]
        self.interp = None
        self.needed, self.rpath, self.runpath = [], [], []
        self._read(data)

    def _read(self, data):
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
        loads, dynamic = [], None
        for i in range(phnum):
            off = phoff + i * phentsize
            if off + 56 > len(data):
                raise Error("%s: program headers past the end" % self.path)
            (p_type, _, p_offset, p_vaddr, _, p_filesz, _,
             _) = struct.unpack_from("<IIQQQQQQ", data, off)
            if p_type == PT_INTERP:
                raw = data[p_offset:p_offset + p_filesz]
                self.interp = raw.split(b"\0")[0].decode()
            elif p_type == PT_LOAD:
                loads.append((p_vaddr, p_offset, p_filesz))
            elif p_type == PT_DYNAMIC:
                dynamic = (p_offset, p_filesz)
        if dynamic:
            self._read_dynamic(data, dynamic, loads)

    def _read_dynamic(self, data, dynamic, loads):
        entries, strtab = [], None
        off, size = dynamic
        for at in range(off, min(off + size, len(data) - 15), 16):
            tag, val = struct.unpack_from("<qQ", data, at)
            if tag == DT_NULL:
                break
            if tag == DT_STRTAB:
                strtab = val
            entries.append((tag, val))
        if strtab is None:
            return
        base = None
        for vaddr, offset, filesz in loads:  # the string table's file offset
            if vaddr <= strtab < vaddr + filesz:
                base = offset + (strtab - vaddr)
        if base is None:
            raise Error("%s: DT_STRTAB outside the file" % self.path)

        def string(at):
            end = data.index(b"\0", base + at)
            return data[base + at:end].decode("utf-8", "surrogateescape")

        for tag, val in entries:
            if tag == DT_NEEDED:
                self.needed.append(string(val))
            elif tag == DT_RPATH:
                self.rpath += string(val).split(":")
            elif tag == DT_RUNPATH:
                self.runpath += string(val).split(":")


def ld_so_conf_dirs(path=LD_SO_CONF, seen=None):
    """The directories /etc/ld.so.conf lists, `include` globs followed
    (relative ones from the including file's directory), in order."""
    seen = set() if seen is None else seen
    if path in seen or not os.path.isfile(path):
        return []
    seen.add(path)
    dirs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            if line.startswith("include") and line[7:8].isspace():
                for pattern in line[7:].split():
                    if not pattern.startswith("/"):
                        pattern = os.path.join(os.path.dirname(path),
                                               pattern)
                    for inc in sorted(glob.glob(pattern)):
                        dirs += ld_so_conf_dirs(inc, seen)
            else:
                dirs += [d for d in line.replace(",", " ").split()
                         if d.startswith("/")]
    return dirs


def default_dirs(machine):
    """glibc's trusted directories for machine (Debian: multiarch first)."""
    triplet = MACHINE_NAMES.get(machine, ("", ""))[1]
    dirs = ["/lib/" + triplet, "/usr/lib/" + triplet] if triplet else []
    return dirs + ["/lib64", "/usr/lib64", "/lib", "/usr/lib"]


def expand(entry, origin, machine):
    """A search path entry with $ORIGIN, $LIB and $PLATFORM expanded."""
    platform = MACHINE_NAMES.get(machine, ("", ""))[0]
    lib = "lib/" + MACHINE_NAMES.get(machine, ("", ""))[1]
    for name, value in (("ORIGIN", origin), ("LIB", lib),
                        ("PLATFORM", platform)):
        entry = entry.replace("${%s}" % name, value)
        entry = entry.replace("$" + name, value)
    return entry


class Resolver:
    """Finds the objects a program loads (breadth first, as ld.so)."""

    def __init__(self, conf=LD_SO_CONF):
        self.conf_dirs = ld_so_conf_dirs(conf)
        self.cache = {}

    def info(self, path):
        real = os.path.realpath(path)
        if real not in self.cache:
            self.cache[real] = ElfInfo(real)
        return self.cache[real]

    def search_dirs(self, obj, loaders, machine):
        """The directories to look in for obj's DT_NEEDED names."""
        dirs = []
        if not obj.runpath:
            for o in [obj] + loaders:
                dirs += [expand(d, os.path.dirname(o.path), machine)
                         for d in o.rpath]
        dirs += [expand(d, os.path.dirname(obj.path), machine)
                 for d in obj.runpath]
        return dirs + self.conf_dirs + default_dirs(machine)

    def find(self, name, obj, loaders, machine):
        """The path ld.so opens for DT_NEEDED name of obj, or None."""
        if "/" in name:
            return name if os.path.isfile(name) else None
        for d in self.search_dirs(obj, loaders, machine):
            cand = os.path.join(d, name) if d else name
            if not os.path.isfile(cand):
                continue
            try:
                if self.info(cand).machine == machine:
                    return cand
            except Error:
                continue  # not an ELF object for us: ld.so goes on
        return None

    def needed_files(self, program):
        """(guest path, host path) pairs to copy, the program first."""
        program = os.path.abspath(program)
        top = self.info(program)
        files = [(program, program)]
        done = {os.path.realpath(program)}
        if top.interp:  # a program (a library has none)
            files.append((top.interp, top.interp))
            if not os.path.isfile(top.interp):
                raise Error("%s: dynamic linker %s not found"
                            % (program, top.interp))
            done.add(os.path.realpath(top.interp))
        queue, seen_names = [(top, [])], set()
        while queue:
            obj, loaders = queue.pop(0)
            for name in obj.needed:
                if name in seen_names:
                    continue
                seen_names.add(name)
                path = self.find(name, obj, loaders, top.machine)
                if path is None:
                    raise Error("%s: library %s not found (needed by %s)"
                                % (program, name, obj.path))
                if top.interp and os.path.realpath(path) == \
                        os.path.realpath(top.interp):
                    continue  # ld.so knows itself by its soname
                files.append((path, path))
                if os.path.realpath(path) not in done:
                    done.add(os.path.realpath(path))
                    queue.append((self.info(path), [obj] + loaders))
        return files


def needed_files(program, conf=LD_SO_CONF):
    """The program, its dynamic linker and libraries: (guest, host)."""
    return Resolver(conf).needed_files(program)


def is_dynamic(path):
    """Does path name an ELF object that loads others (a PT_INTERP or a
    DT_NEEDED)?"""
    try:
        info = ElfInfo(path)
    except Error:
        return False
    return info.interp is not None or bool(info.needed)


# --- Putting programs into a root file system image (rootfs.Image) -------

BUSYBOX_IN_IMAGE = "/usr/bin/busybox"  # system.BUSYBOX


SYSTEM_SHELL = "/bin/sh"  # keel-init's default program, what scripts run


def for_arch(host, arch):
    """Is host an ELF file for arch ("x86_64", "riscv64")?"""
    try:
        machine = ElfInfo(host).machine
    except Error:
        return False
    return MACHINE_NAMES.get(machine, ("",))[0] == arch


def replaceable(image, guest, host, arch):
    """May the host program host take guest's place in image (of arch)?
    When nothing is there, or only a busybox applet link and host is a
    program for arch (`keel run -- /usr/bin/ls` means the host's ls, not
    busybox's), but never the system's shell: /bin/sh stays the image's,
    since keel-init and the image's scripts use it."""
    if not image.exists(guest):
        return True
    if not for_arch(host, arch):
        return False
    link = image.resolve(guest, follow_last=False)
    if link == image.resolve(SYSTEM_SHELL, follow_last=False):
        return False
    return (image.resolve(guest) == image.resolve(BUSYBOX_IN_IMAGE) and
            image.resolve(guest) != link)


def add_libraries(image, host):
    """Copies the dynamic linker and shared libraries host (a host ELF
    program or shared library) needs into image, each at the path ld.so
    opens, unless the image has a file there already (a root file
    system's own libc stays). Nothing for a static program or a file that is not ELF.
    Error when a library cannot be found."""
    if not is_dynamic(host):
        return
    for guest, path in needed_files(host)[1:]:
        if not image.exists(guest):
            image.add_file(guest, perm=os.stat(path).st_mode & 0o7777,
                           source=os.path.realpath(path))


# What a Python's standard library directory holds that a program run in
# the image does not need (tests, IDE, Tk, bytecode caches, the build
# configuration, installed packages).
PYTHON_SKIP = {"__pycache__", "test", "tests", "idlelib", "tkinter",
               "turtledemo", "ensurepip", "lib2to3", "pydoc_data",
               "site-packages", "dist-packages"}


def python_stdlib(host):
    """The standard library directory of a host Python (python3.11 ->
    /usr/lib/python3.11, from the program's own name: nothing is run), or
    None for another program."""
    name = os.path.basename(os.path.realpath(host))
    if not name.startswith("python3."):
        return None
    lib = os.path.join(os.path.dirname(os.path.dirname(
        os.path.realpath(host))), "lib", name)
    return lib if os.path.isfile(os.path.join(lib, "os.py")) else None


def add_python_stdlib(image, lib):
    """Copies lib (without PYTHON_SKIP and config-*) into image at the
    same path, with the libraries its extension modules need."""
    for top, dirs, names in os.walk(lib):
        dirs[:] = sorted(d for d in dirs if d not in PYTHON_SKIP and
                         not d.startswith("config-"))
        image.mkdir(top)
        for n in sorted(names):
            path = os.path.join(top, n)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            image.add_file(path, perm=os.stat(path).st_mode & 0o7777,
                           source=path)
            if n.endswith(".so"):
                add_libraries(image, path)


def add_program(image, host, guest):
    """Copies the host program host to guest in image with its linker and
    libraries (add_libraries), and a Python's standard library (the one
    data tree a program needs that this module knows: `keel run --
    /usr/bin/python3 -c ...` works in one command)."""
    image.add_file(guest, perm=os.stat(host).st_mode & 0o7777, source=host)
    add_libraries(image, host)
    lib = python_stdlib(host)
    if lib and not image.exists(os.path.join(lib, "os.py")):
        add_python_stdlib(image, lib)
