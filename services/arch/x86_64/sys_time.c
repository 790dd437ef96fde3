/*
 * time(2), x86-64 only (riscv64 has no time call: its libcs use
 * clock_gettime): the wall clock in whole seconds, also stored at tloc
 * when tloc is not NULL.
 */
#include <keel/errno.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/syscall.h>

SYSCALL_DEFINE1(time, uptr_t, tloc)
{
	int64_t secs = (int64_t)(time_realtime_ns() / NSEC_PER_SEC);

	if (tloc.addr && copy_to_user(tloc, &secs, sizeof(secs)))
		return -EFAULT;
	return secs;
}
