"""A root file system being put together for one boot, and written as the
initrd (cpio newc) the kernel unpacks into its root tmpfs.

An Image maps guest paths (without the leading slash: "usr/bin/sh") to
inodes; two paths sharing one inode are hard links. It is filled from a
host directory, a tar archive (plain or compressed, e.g. one made by
mmdebstrap) or a cpio archive (`load`), and host files are copied in
(`add_host`). Paths are placed as the guest will see them: a symlinked
directory in the image (Debian's /bin -> usr/bin) is followed, so adding
"bin/prog" puts the file in usr/bin. Everything that cannot be read is an
Error with a message naming the file and the problem.
"""
import os
import stat
import tarfile
import time

from . import cpio

SYMLINK_HOPS = 40  # Linux's limit; more is a loop


class Error(Exception):
    """Something the image cannot be made from; the text says what."""


class Inode:
    """One file: its st_mode (type and permissions), owner, time, and
    content: data (bytes) or source (a host file read when written) for a
    regular file, target for a symlink, rdev for a device node."""

    def __init__(self, mode, uid=0, gid=0, mtime=None, data=b"",
                 source=None, target=None, rdev=(0, 0)):
        self.mode, self.uid, self.gid = mode, uid, gid
        self.mtime = int(time.time()) if mtime is None else int(mtime)
        self.data, self.source, self.target, self.rdev = (
            data, source, target, rdev)

    def is_dir(self):
        return stat.S_ISDIR(self.mode)

    def is_link(self):
        return stat.S_ISLNK(self.mode)

    def content(self):
        if self.is_link():
            return self.target.encode("utf-8", "surrogateescape")
        if self.source is not None:
            try:
                with open(self.source, "rb") as f:
                    return f.read()
            except OSError as e:
                raise Error("cannot read %s: %s" % (self.source,
                                                    e.strerror)) from None
        return self.data


def normalize(path):
    """A stored or guest path as an image key: no leading "/" or "./",
    no empty or "." components ("" is the root)."""
    return "/".join(p for p in path.split("/") if p not in ("", "."))


def _parent(path):
    return path.rpartition("/")[0]


def _join(a, b):
    return normalize(a + "/" + b)


class Image:
    def __init__(self):
        self.entries = {"": Inode(stat.S_IFDIR | 0o755)}

    # --- looking up ------------------------------------------------------

    def resolve(self, path, follow_last=True, hops=0):
        """The canonical image path of guest path: symlinks in the image
        followed (the last component's too if follow_last), ".." taken.
        Components that do not exist are kept as they are. Error on a
        symlink loop."""
        cur = ""
        parts = normalize(path).split("/") if normalize(path) else []
        for i, name in enumerate(parts):
            if name == "..":
                cur = _parent(cur)
                continue
            nxt = _join(cur, name)
            node = self.entries.get(nxt)
            last = i == len(parts) - 1
            if node is not None and node.is_link() and (follow_last or
                                                        not last):
                hops += 1
                if hops > SYMLINK_HOPS:
                    raise Error("/%s: too many levels of symbolic links"
                                % normalize(path))
                base = "" if node.target.startswith("/") else cur
                cur = self.resolve(_join(base, node.target), True, hops)
            else:
                cur = nxt
        return cur

    def lookup(self, path):
        """The inode at guest path (symlinks followed), else None."""
        return self.entries.get(self.resolve(path))

    def exists(self, path):
        return self.lookup(path) is not None

    # --- adding ----------------------------------------------------------

    def _remove(self, key):
        """Removes key and, for a directory, everything below it."""
        prefix = key + "/"
        for k in [k for k in self.entries if k == key or k.startswith(prefix)]:
            del self.entries[k]

    def _place(self, path):
        """The key a new entry at guest path gets: its parent resolved and
        made (directories as needed). Error if a parent is not one."""
        key = normalize(path)
        if not key:
            return ""
        parent = self.resolve(_parent(key))
        self._mkdirs(parent)
        return _join(parent, key.rpartition("/")[2])

    def _mkdirs(self, key):
        cur = ""
        for name in key.split("/") if key else []:
            cur = _join(cur, name)
            node = self.entries.get(cur)
            if node is None:
                self.entries[cur] = Inode(stat.S_IFDIR | 0o755)
            elif not node.is_dir():
                raise Error("/%s is not a directory" % cur)

    def put(self, path, inode):
        """Puts inode at guest path, replacing what was there (a directory
        on a directory only takes the new attributes, as the kernel's
        unpacking does). Returns the key."""
        key = self._place(path)
        old = self.entries.get(key)
        if old is not None and old.is_dir() and inode.is_dir():
            old.mode, old.uid, old.gid = inode.mode, inode.uid, inode.gid
            old.mtime = inode.mtime
            return key
        if old is not None:
            self._remove(key)
        self.entries[key] = inode
        return key

    def mkdir(self, path, perm=0o755, uid=0, gid=0):
        return self.put(path, Inode(stat.S_IFDIR | perm, uid, gid))

    def add_file(self, path, data=b"", perm=0o644, source=None):
        return self.put(path, Inode(stat.S_IFREG | perm, data=data,
                                    source=source))

    def symlink(self, path, target):
        return self.put(path, Inode(stat.S_IFLNK | 0o777, target=target))

    def link(self, path, existing):
        """A hard link at path to the (non-directory) inode at existing."""
        inode = self.entries.get(self.resolve(existing, follow_last=False))
        if inode is None or inode.is_dir():
            raise Error("hard link /%s: no file /%s to link to" % (
                normalize(path), normalize(existing)))
        self.put(path, inode)

    def add_host(self, host, guest):
        """Copies the host file, symlink or directory tree host to guest
        path guest (owned by root, modes kept; hard links within a tree
        stay links). Error if host cannot be read."""
        try:
            st = os.lstat(host)
        except OSError as e:
            raise Error("--add %s: %s" % (host, e.strerror)) from None
        if stat.S_ISDIR(st.st_mode):
            self._add_tree(host, guest, keep_owner=False)
        else:
            self._add_one(host, guest, st, keep_owner=False, seen={})

    # --- host directories ------------------------------------------------

    def _add_one(self, host, guest, st, keep_owner, seen):
        mode = st.st_mode
        owner = (st.st_uid, st.st_gid) if keep_owner else (0, 0)
        key = (st.st_dev, st.st_ino)
        if not stat.S_ISDIR(mode) and st.st_nlink > 1 and key in seen:
            self.link(guest, seen[key])
            return
        if stat.S_ISDIR(mode):
            inode = Inode(mode, *owner, st.st_mtime)
        elif stat.S_ISREG(mode):
            if not os.access(host, os.R_OK):
                raise Error("%s: not readable" % host)
            inode = Inode(mode, *owner, st.st_mtime, source=host)
        elif stat.S_ISLNK(mode):
            inode = Inode(mode, *owner, st.st_mtime, target=os.readlink(host))
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            inode = Inode(mode, *owner, st.st_mtime,
                          rdev=(os.major(st.st_rdev), os.minor(st.st_rdev)))
        elif stat.S_ISFIFO(mode):
            inode = Inode(mode, *owner, st.st_mtime)
        else:
            return  # sockets are not archived (as cpio and tar skip them)
        placed = self.put(guest, inode)
        if not stat.S_ISDIR(mode) and st.st_nlink > 1:
            seen[key] = placed

    def _add_tree(self, top, guest, keep_owner):
        seen = {}
        try:
            self._add_one(top, guest, os.stat(top), keep_owner, seen)
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames.sort()
                rel = os.path.relpath(dirpath, top)
                base = guest if rel == "." else _join(guest, rel)
                for name in dirnames + sorted(filenames):
                    host = os.path.join(dirpath, name)
                    self._add_one(host, _join(base, name), os.lstat(host),
                                  keep_owner, seen)
        except OSError as e:
            raise Error("%s: %s" % (e.filename or top, e.strerror)) from None

    # --- archives ----------------------------------------------------------

    def load(self, path):
        """Adds the root file system at host path: a directory, a tar
        archive (any compression tarfile reads) or a cpio newc archive."""
        if os.path.isdir(path):
            self._add_tree(path, "", keep_owner=True)
        elif not os.path.isfile(path):
            raise Error("--rootfs %s: no such file or directory" % path)
        elif _is_cpio(path):
            self._load_cpio(path)
        else:
            self._load_tar(path)

    def _load_cpio(self, path):
        with open(path, "rb") as f:
            buf = f.read()
        try:
            members = cpio.read_members(buf)
        except cpio.Error as e:
            raise Error("--rootfs %s: malformed cpio archive: %s" % (
                path, e)) from None
        links = {}
        for m in members:
            name = normalize(m.name)
            kind = m.mode & cpio.MODE_TYPE
            ident = (m.ino, m.dev)
            if kind != cpio.MODE_DIR and m.nlink > 1 and ident in links:
                self.link(name, links[ident])
                if m.data:
                    self.lookup(name).data = m.data
                continue
            inode = Inode(m.mode, m.uid, m.gid, m.mtime, rdev=m.rdev)
            if kind == cpio.MODE_LINK:
                inode.target = m.data.decode("utf-8", "surrogateescape")
            elif kind == cpio.MODE_FILE:
                inode.data = m.data
            placed = self.put(name, inode)
            if kind != cpio.MODE_DIR and m.nlink > 1:
                links[ident] = placed

    def _load_tar(self, path):
        try:
            with tarfile.open(path, "r:*") as tf:
                for m in tf:
                    self._add_tar_member(tf, m)
                trailing = _tar_trailing_garbage(tf, path)
        except (tarfile.TarError, EOFError, OSError) as e:
            raise Error("--rootfs %s: not a cpio archive, and malformed as "
                        "a tar archive: %s" % (path, e)) from None
        if trailing is not None:
            raise Error("--rootfs %s: malformed tar archive: a damaged "
                        "header at byte %d (not an end-of-archive block)"
                        % (path, trailing))

    def _add_tar_member(self, tf, m):
        name = normalize(m.name)
        perm = m.mode & 0o7777
        owner = (m.uid, m.gid, m.mtime)
        if m.islnk():
            self.link(name, normalize(m.linkname))
        elif m.isreg():
            f = tf.extractfile(m)
            self.put(name, Inode(stat.S_IFREG | perm, *owner, data=f.read()))
        elif m.isdir():
            self.put(name, Inode(stat.S_IFDIR | perm, *owner))
        elif m.issym():
            self.put(name, Inode(stat.S_IFLNK | 0o777, *owner,
                                 target=m.linkname))
        elif m.ischr() or m.isblk():
            kind = stat.S_IFCHR if m.ischr() else stat.S_IFBLK
            self.put(name, Inode(kind | perm, *owner,
                                 rdev=(m.devmajor, m.devminor)))
        elif m.isfifo():
            self.put(name, Inode(stat.S_IFIFO | perm, *owner))

    # --- writing -----------------------------------------------------------

    def members(self):
        """The cpio members, parents before children (a generator: file
        data is read as it is written). A hard-linked inode is one ino
        with nlink names and its data on the first name."""
        names = {}
        for key, inode in self.entries.items():
            names.setdefault(id(inode), []).append(key)
        numbers = {}
        for n, (key, inode) in enumerate(self.entries.items(), 1):
            ident = id(inode)
            first = ident not in numbers
            ino = numbers.setdefault(ident, n)
            nlink = 2 if inode.is_dir() else len(names[ident])
            data = inode.content() if first and not inode.is_dir() else b""
            yield cpio.Member(key or ".", inode.mode, data, ino=ino,
                              uid=inode.uid, gid=inode.gid, nlink=nlink,
                              mtime=inode.mtime, rdev=inode.rdev)

    def write(self, path):
        """Writes the image as a newc archive to host path."""
        with open(path, "wb") as f:
            cpio.write_members(f, self.members())


def _is_cpio(path):
    with open(path, "rb") as f:
        return f.read(6) in (cpio.MAGIC, cpio.MAGIC_CRC)


def _tar_trailing_garbage(tf, path):
    """For an uncompressed tar: the offset of a damaged header after the
    last member tarfile read (it stops there silently), else None."""
    if tf.fileobj is None or not hasattr(tf, "offset"):
        return None
    with open(path, "rb") as f:
        if f.read(262)[257:262] != b"ustar":
            return None  # compressed: tarfile checked the stream
        f.seek(tf.offset)
        rest = f.read()
    return tf.offset if rest.strip(b"\0") else None
