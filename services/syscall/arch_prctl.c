/*
 * arch_prctl(2), x86-64's thread-pointer control: ARCH_SET_FS sets the FS
 * base (the TLS register, UREG_TLS), ARCH_GET_FS stores it at a user
 * address. Only the architectures that list it in SVC_SYSCALLS use it.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <keel/user.h>

#include "sys.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

/* Linux's TASK_SIZE_MAX on x86-64 (4-level paging): FS bases from here up
 * are refused. The ABI's limit, not this machine's user range: a base
 * needs no mapping behind it until it is used. */
#define X86_TASK_SIZE_MAX 0x00007ffffffff000ull

/*
 * arch_prctl(code, addr). The code is an int, as in Linux (the upper half
 * of the register is ignored). Returns 0; -EPERM for an FS base at or
 * above TASK_SIZE_MAX; -EFAULT when ARCH_GET_FS cannot store at addr;
 * -EINVAL for any other code.
 */
long sys_arch_prctl(struct proc *p, struct user_ctx *ctx,
		    const uint64_t *args)
{
	int code = (int)args[0];
	uint64_t addr = args[1], fs;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= X86_TASK_SIZE_MAX)
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
