/*
 * The initrd file store: looks files up in the boot cpio archive. The
 * archive is untrusted input like any other; cpio_find checks all of it
 * on every lookup (archives are small and lookups rare: one per exec).
 */
#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <svc/cpio.h>
#include <svc/initrd.h>

int initrd_find_file(const char *path, const void **data, size_t *size)
{
	const void *archive;
	struct cpio_entry e;
	size_t archive_size;
	int err;

	if (!boot_initrd(&archive, &archive_size))
		return -ENOENT;
	err = cpio_find(archive, archive_size, path, &e);
	if (err == -EINVAL)
		pr_err("initrd: the archive is malformed (not cpio newc, "
		       "or truncated)\n");
	if (err)
		return err;
	if ((e.mode & CPIO_MODE_TYPE) != CPIO_MODE_REG)
		return -EACCES;
	*data = e.data;
	*size = e.size;
	return 0;
}
