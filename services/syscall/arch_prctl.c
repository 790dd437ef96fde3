/*
 * arch_prctl(2), x86-64's thread-pointer control: ARCH_SET_FS sets the FS
 * base (the TLS register, UREG_TLS), ARCH_GET_FS stores it at a user
 * address. Only the architectures that list it in SVC_SYSCALLS use it.
 */
#include <keel/errno.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/user.h>

#include "sys.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

long sys_arch_prctl(struct proc *p, const uint64_t *args)
{
	struct user_ctx *ctx = task_user_ctx(task_current());
	uint64_t code = args[0], addr = args[1], fs;

	(void)p;
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= user_va_max())
			return -EPERM;
		uctx_set(ctx, UREG_TLS, addr);
		return 0;
	case ARCH_GET_FS:
		fs = uctx_get(ctx, UREG_TLS);
		return copy_to_user(uptr(addr), &fs, sizeof(fs));
	default:
		return -EINVAL;
	}
}
