"""Writes cpio archives in the "newc" format (the initrd of every backend).

Each member is a 110-byte ASCII header ("070701" and thirteen 8-digit hex
fields), the NUL-terminated name padded to a multiple of 4, then the data
padded to a multiple of 4; "TRAILER!!!" ends the archive.
"""

MODE_FILE = 0o100000
MODE_DIR = 0o040000


def _member(ino, name, mode, data, nlink=1):
    name_bytes = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0,
              len(name_bytes), 0]
    header = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = header + name_bytes
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


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
                out.append(_member(ino, d, MODE_DIR | 0o755, b"", 2))
                ino += 1
        out.append(_member(ino, "/".join(parts), MODE_FILE | (mode & 0o7777),
                           data))
        ino += 1
    out.append(_member(0, "TRAILER!!!", 0, b""))
    return b"".join(out)


def write_newc(path, files):
    with open(path, "wb") as f:
        f.write(newc(files))
