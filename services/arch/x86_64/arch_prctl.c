/*
 * arch_prctl(2), x86-64's thread-pointer control: ARCH_SET_FS sets the FS
 * base (the TLS register, UREG_TLS), ARCH_GET_FS stores it at a user
 * address. x86-64 only (riscv64 user code sets tp itself), so it lives in
 * services/arch/x86_64/, which only x86-64 builds compile.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <svc/syscall.h>

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
SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	uint64_t fs;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= X86_TASK_SIZE_MAX)
			return -EPERM;
		uctx_set(uctx, UREG_TLS, addr);
		return 0;
	case ARCH_GET_FS:
		fs = uctx_get(uctx, UREG_TLS);
		return copy_to_user(uptr(addr), &fs, sizeof(fs));
	default:
		return -EINVAL;
	}
}
