/*
 * libFuzzer harness of the cpio "newc" reader (services/initrd/cpio.c),
 * which reads the initrd every program comes from: the input is the
 * archive, exactly sized, walked with cpio_next to its end and searched
 * with cpio_find.
 *
 * Checks the reader's contract (<svc/cpio.h>): every entry's name and data
 * lie inside the archive, the name ends with its only NUL inside it; the
 * walk ends with -ENOENT (trailer) or -EINVAL and stays ended; cpio_find
 * agrees with the walk: -EINVAL for a malformed archive, else the last
 * entry of a name is what it finds.
 */
#include "fuzz.h"

#include <string.h>

#include <keel/errno.h>
#include <svc/cpio.h>

/* Is [p, p + len) inside [base, base + size)? */
static int inside(const uint8_t *base, size_t size, const void *p, size_t len)
{
	const uint8_t *q = p;

	return q >= base && (size_t)(q - base) <= size &&
	       len <= size - (size_t)(q - base);
}

static void check_entry(const uint8_t *data, size_t size,
			const struct cpio_entry *e)
{
	size_t namelen;

	FUZZ_CHECK(inside(data, size, e->name, 1));
	namelen = strnlen(e->name, size - (size_t)((const uint8_t *)e->name -
						      data));
	FUZZ_CHECK(inside(data, size, e->name, namelen + 1));
	FUZZ_CHECK(namelen >= 1 && namelen < CPIO_NAME_MAX);
	FUZZ_CHECK(inside(data, size, e->data, e->size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_iter it;
	struct cpio_entry e, last = { 0 }, found;
	unsigned entries = 0;
	int err;

	cpio_iter_init(&it, data, size);
	while ((err = cpio_next(&it, &e)) == 0) {
		check_entry(data, size, &e);
		last = e;
		entries++;
	}
	FUZZ_CHECK(err == -ENOENT || err == -EINVAL);
	if (err == -ENOENT)
		FUZZ_CHECK(cpio_next(&it, &e) == -ENOENT);

	if (err == -EINVAL) {
		FUZZ_CHECK(cpio_find(data, size, "init", &found) == -EINVAL);
		return 0;
	}
	FUZZ_CHECK(cpio_find(data, size, "\x01no such", &found) == -ENOENT);
	if (entries > 0 && last.name[0] != '/' && last.name[0] != '.') {
		/* The last entry is the last of its name: found as it is. */
		FUZZ_CHECK(cpio_find(data, size, last.name, &found) == 0);
		FUZZ_CHECK(found.data == last.data && found.size == last.size &&
			   found.mode == last.mode);
	}
	return 0;
}
