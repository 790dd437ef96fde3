/*
 * sysinfo(2): uptime (seconds of the monotonic clock, a started second
 * counted, as Linux's), memory in bytes (mem_unit 1: the frames the core
 * manages and those free; no shared, buffer, swap or high memory) and the
 * number of processes. Keel keeps no load average: the loads are 0.
 * Processes are counted by a PROC_STATE part of this file.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/syscall.h>
#include <uapi/sysinfo.h>

static unsigned live_procs; /* atomic */

static int count_fork(struct proc *parent, struct proc *child,
		      unsigned long flags)
{
	(void)parent;
	(void)child;
	__atomic_add_fetch(&live_procs, 1, __ATOMIC_RELAXED);
	return 0;
}

static void count_exit(struct proc *p)
{
	(void)p;
	__atomic_sub_fetch(&live_procs, 1, __ATOMIC_RELAXED);
}

PROC_STATE(proc_count, .fork = count_fork, .exit = count_exit);

SYSCALL_DEFINE1(sysinfo, uptr_t, info)
{
	struct linux_sysinfo si;
	uint64_t now = time_now_ns();
	unsigned procs = __atomic_load_n(&live_procs, __ATOMIC_RELAXED);

	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(now / NSEC_PER_SEC + (now % NSEC_PER_SEC != 0));
	si.totalram = (uint64_t)frames_total() * PAGE_SIZE;
	si.freeram = (uint64_t)frames_free() * PAGE_SIZE;
	si.procs = procs > UINT16_MAX ? UINT16_MAX : (uint16_t)procs;
	si.mem_unit = 1;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}
