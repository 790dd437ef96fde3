/*
 * memfd_create(2): an anonymous regular file on a tmpfs of its own
 * (tmpfs_memfd), named "memfd:NAME", with F_ADD_SEALS allowed only under
 * MFD_ALLOW_SEALING (otherwise it starts sealed with F_SEAL_SEAL).
 * MFD_NOEXEC_SEAL makes it mode 0666 sealed against exec, MFD_EXEC (and
 * neither, as Linux's default vm.memfd_noexec=0) mode 0777. MFD_HUGETLB
 * is -EINVAL: Keel has no huge pages.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/fdtable.h>
#include <svc/fs.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/falloc.h>
#include <uapi/fcntl.h>

#define MFD_PREFIX "memfd:"
#define MFD_NAME_MAX (VFS_NAME_MAX - 6) /* Linux's MFD_NAME_MAX_LEN */
#define MFD_KNOWN                                                          \
	(MFD_CLOEXEC | MFD_ALLOW_SEALING | UAPI_MFD_NOEXEC_SEAL | UAPI_MFD_EXEC)

/* The seals and mode flags give (Linux's memfd_create). */
static uint32_t initial_seals(unsigned int flags, uint32_t *mode)
{
	uint32_t seals = flags & MFD_ALLOW_SEALING ? 0 : F_SEAL_SEAL;

	*mode = 0777;
	if (flags & UAPI_MFD_NOEXEC_SEAL) {
		*mode = 0666;
		seals = UAPI_F_SEAL_EXEC; /* and sealing allowed */
	}
	return seals;
}

SYSCALL_DEFINE2(memfd_create, uptr_t, uname, unsigned int, flags)
{
	char name[sizeof(MFD_PREFIX) + MFD_NAME_MAX];
	uint32_t mode, seals;
	struct file *f;
	ssize_t len;

	if (flags & ~MFD_KNOWN)
		return -EINVAL;
	if ((flags & UAPI_MFD_NOEXEC_SEAL) && (flags & UAPI_MFD_EXEC))
		return -EINVAL;
	kstrlcpy(name, MFD_PREFIX, sizeof(name));
	len = strncpy_from_user(name + 6, uname, MFD_NAME_MAX + 1);
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	if (len < 0)
		return len;
	seals = initial_seals(flags, &mode);
	vfs_lock();
	f = tmpfs_memfd(name, mode, seals);
	vfs_unlock();
	if (!f)
		return -ENOMEM;
	return fd_install(proc, f, 0, flags & MFD_CLOEXEC);
}
