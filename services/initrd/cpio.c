/*
 * The cpio "newc" reader (see <svc/cpio.h>). Untrusted input: every offset
 * is checked against the archive size before the bytes behind it are
 * read, and every sum is formed so that it cannot overflow (fields are at
 * most 32 bits, the archive size is a size_t).
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <svc/cpio.h>

#define CPIO_MAGIC_LEN 6
#define CPIO_FIELD_LEN 8

/* Header fields after the magic, in order. */
enum cpio_field {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	F_COUNT
};

static const char cpio_trailer[] = "TRAILER!!!";

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size)
{
	it->base = archive;
	it->size = archive ? size : 0;
	it->off = 0;
	it->done = false;
}

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses exactly 8 hex digits. Returns 0 or -EINVAL. */
static int parse_field(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < CPIO_FIELD_LEN; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* Parses the header at hdr (CPIO_HEADER_SIZE readable bytes). Sets *crc
 * for the 070702 variant. Returns 0 or -EINVAL. */
static int parse_header(const uint8_t *hdr, uint32_t f[F_COUNT], bool *crc)
{
	if (memcmp(hdr, "070701", CPIO_MAGIC_LEN) == 0)
		*crc = false;
	else if (memcmp(hdr, "070702", CPIO_MAGIC_LEN) == 0)
		*crc = true;
	else
		return -EINVAL;
	for (int i = 0; i < F_COUNT; i++)
		if (parse_field(hdr + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN,
				&f[i]))
			return -EINVAL;
	return 0;
}

/* The 070702 checksum: the sum of the data bytes, modulo 2^32. */
static uint32_t data_checksum(const uint8_t *data, size_t size)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < size; i++)
		sum += data[i];
	return sum;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	uint32_t f[F_COUNT];
	size_t name_off, data_off;
	const char *name;
	bool crc;

	if (it->done)
		return -ENOENT;
	/* Running out of bytes before the trailer is malformed too. */
	if (it->off > it->size || it->size - it->off < CPIO_HEADER_SIZE)
		return -EINVAL;
	if (parse_header(it->base + it->off, f, &crc))
		return -EINVAL;

	name_off = it->off + CPIO_HEADER_SIZE;
	if (f[F_NAMESIZE] < 2 || f[F_NAMESIZE] > CPIO_NAME_MAX ||
	    f[F_NAMESIZE] > it->size - name_off)
		return -EINVAL;
	name = (const char *)it->base + name_off;
	/* Exactly one NUL, at the end. */
	if (kstrnlen(name, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)
		return -EINVAL;

	data_off = ALIGN_UP(name_off + f[F_NAMESIZE], (size_t)4);
	if (data_off > it->size || f[F_FILESIZE] > it->size - data_off)
		return -EINVAL;
	if (crc && data_checksum(it->base + data_off, f[F_FILESIZE]) !=
			   f[F_CHECK])
		return -EINVAL;

	if (kstrcmp(name, cpio_trailer) == 0) {
		it->done = true;
		return -ENOENT;
	}
	e->name = name;
	e->data = it->base + data_off;
	e->size = f[F_FILESIZE];
	e->mode = f[F_MODE];
	e->ino = f[F_INO];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->dev_major = f[F_DEVMAJOR];
	e->dev_minor = f[F_DEVMINOR];
	e->rdev_major = f[F_RDEVMAJOR];
	e->rdev_minor = f[F_RDEVMINOR];
	/* May pass the end; the next call then reports the missing trailer. */
	it->off = ALIGN_UP(data_off + f[F_FILESIZE], (size_t)4);
	return 0;
}

/* name without leading "./" and "/" parts; "." (the root) becomes "". */
static const char *strip_prefix(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else if (name[0] == '.' && name[1] == '\0')
			return name + 1;
		else
			return name;
	}
}

int cpio_find(const void *archive, size_t size, const char *path,
	      struct cpio_entry *out)
{
	struct cpio_iter it;
	struct cpio_entry e;
	bool found = false;
	int err;

	path = strip_prefix(path);
	cpio_iter_init(&it, archive, size);
	while ((err = cpio_next(&it, &e)) == 0) {
		if (kstrcmp(strip_prefix(e.name), path) == 0) {
			*out = e;
			found = true;
		}
	}
	if (err != -ENOENT)
		return err;
	return found ? 0 : -ENOENT;
}
