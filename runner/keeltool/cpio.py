"""Reads and writes cpio archives in the "newc" format (the initrd of every
backend).

Each member is a 110-byte ASCII header ("070701", or "070702" with a
checksum, and thirteen 8-digit hex fields: ino, mode, uid, gid, nlink,
mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize,
check), the NUL-terminated name padded to a multiple of 4, then the data
padded to a multiple of 4; "TRAILER!!!" ends the archive. The kernel's
reader is services/initrd/cpio.c; this one is as strict, so that the runner
refuses a damaged archive with a message before the kernel sees it.
"""

MAGIC = b"070701"
MAGIC_CRC = b"070702"
HEADER_SIZE = 110
TRAILER = "TRAILER!!!"
NAME_MAX = 4096  # the kernel's CPIO_NAME_MAX, NUL included

MODE_TYPE = 0o170000
MODE_FILE = 0o100000
MODE_DIR = 0o040000
MODE_LINK = 0o120000

FIELDS = ("ino", "mode", "uid", "gid", "nlink", "mtime", "size",
          "dev_major", "dev_minor", "rdev_major", "rdev_minor", "namesize",
          "check")


class Error(Exception):
    """A malformed archive; the text says what and where."""


class Member:
    """One archive member: the stored name, its header fields and data."""

    def __init__(self, name, mode, data=b"", ino=0, uid=0, gid=0, nlink=1,
                 mtime=0, rdev=(0, 0), dev=(0, 0)):
        self.name, self.mode, self.data = name, mode, data
        self.ino, self.uid, self.gid = ino, uid, gid
        self.nlink, self.mtime = nlink, mtime
        self.rdev, self.dev = rdev, dev


def member_bytes(m):
    """The bytes of one member, padding included."""
    name_bytes = m.name.encode("utf-8", "surrogateescape") + b"\0"
    fields = [m.ino, m.mode, m.uid, m.gid, m.nlink, m.mtime, len(m.data),
              m.dev[0], m.dev[1], m.rdev[0], m.rdev[1], len(name_bytes), 0]
    header = MAGIC + b"".join(b"%08X" % (f & 0xFFFFFFFF) for f in fields)
    out = header + name_bytes
    out += b"\0" * (-len(out) % 4)
    out += m.data
    out += b"\0" * (-len(out) % 4)
    return out


def write_members(f, members):
    """Writes members and the trailer to the binary file f."""
    for m in members:
        f.write(member_bytes(m))
    f.write(member_bytes(Member(TRAILER, 0)))


def newc(files):
    """Archive bytes for files, a list of (name, data, mode) with names
    relative to the root ("hello", "bin/true"); mode holds the permission
    bits. Parent directories are added as needed."""
    out, seen, ino = [], set(), 1
    for name, data, mode in files:
        parts = name.strip("/").split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in seen:
                seen.add(d)
                out.append(member_bytes(Member(d, MODE_DIR | 0o755, ino=ino,
                                               nlink=2)))
                ino += 1
        out.append(member_bytes(Member("/".join(parts),
                                       MODE_FILE | (mode & 0o7777), data,
                                       ino=ino)))
        ino += 1
    out.append(member_bytes(Member(TRAILER, 0)))
    return b"".join(out)


def write_newc(path, files):
    with open(path, "wb") as f:
        f.write(newc(files))


def _header(buf, off):
    """The fields of the header at off, or Error."""
    if off + HEADER_SIZE > len(buf):
        raise Error("truncated: a header at byte %d runs past the end "
                    "(%d bytes)" % (off, len(buf)))
    magic = bytes(buf[off:off + 6])
    if magic not in (MAGIC, MAGIC_CRC):
        raise Error("bad magic %r at byte %d: not a cpio newc archive "
                    "(070701/070702)" % (magic.decode("latin-1"), off))
    values = {}
    for i, field in enumerate(FIELDS):
        text = bytes(buf[off + 6 + 8 * i:off + 14 + 8 * i])
        try:
            if not all(c in b"0123456789abcdefABCDEF" for c in text):
                raise ValueError
            values[field] = int(text, 16)
        except ValueError:
            raise Error("bad %s field %r in the header at byte %d" % (
                field, text.decode("latin-1"), off)) from None
    return values


def read_members(buf):
    """The members of the newc archive in buf (bytes), up to its trailer;
    Error if it is malformed anywhere (bad magic or hex digit, a name or
    data past the end, a name without its NUL, no trailer)."""
    members, off = [], 0
    while True:
        h = _header(buf, off)
        name_off = off + HEADER_SIZE
        size = h["namesize"]
        if size == 0 or size > NAME_MAX:
            raise Error("bad name size %d in the header at byte %d" % (
                size, off))
        if name_off + size > len(buf):
            raise Error("truncated: the name at byte %d runs past the end"
                        % name_off)
        raw = bytes(buf[name_off:name_off + size])
        if raw[-1:] != b"\0" or b"\0" in raw[:-1]:
            raise Error("the name at byte %d is not NUL-terminated"
                        % name_off)
        name = raw[:-1].decode("utf-8", "surrogateescape")
        data_off = name_off + size + (-(name_off + size) % 4)
        end = data_off + h["size"]
        if end > len(buf):
            raise Error("truncated: %s's %d bytes of data at byte %d run "
                        "past the end (%d bytes)" % (name, h["size"],
                                                     data_off, len(buf)))
        if name == TRAILER:
            return members
        members.append(Member(
            name, h["mode"], bytes(buf[data_off:end]), ino=h["ino"],
            uid=h["uid"], gid=h["gid"], nlink=h["nlink"], mtime=h["mtime"],
            rdev=(h["rdev_major"], h["rdev_minor"]),
            dev=(h["dev_major"], h["dev_minor"])))
        off = end + (-end % 4)
        if off >= len(buf):
            raise Error("no TRAILER!!! entry: the archive ends after %d "
                        "members" % len(members))
