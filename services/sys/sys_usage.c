/*
 * Resource usage: times(2) and getrusage(2), from the core's per-task CPU
 * time: RUSAGE_THREAD the caller's, RUSAGE_SELF every thread's (those
 * that exited included), RUSAGE_CHILDREN the reaped children's (wait4).
 * Counters Keel does not keep (faults, context switches, max RSS) are
 * reported as 0.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/resource.h>

#define USER_HZ 100 /* clock_t ticks, AT_CLKTCK */

struct linux_tms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};

static int64_t ns_to_clock_t(uint64_t ns)
{
	return (int64_t)(ns / (NSEC_PER_SEC / USER_HZ));
}

static struct linux_timeval ns_to_timeval(uint64_t ns)
{
	struct linux_timeval tv = {
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC),
	};

	return tv;
}

/* times(buf): the CPU times in clock ticks (buf may be NULL); returns the
 * ticks since boot, as Linux's jiffies-based clock_t. */
SYSCALL_DEFINE1(times, uptr_t, buf)
{
	struct linux_tms t = { 0 };
	uint64_t user, sys;

	if (buf.addr) {
		proc_cpu_times(proc, &user, &sys);
		t.tms_utime = ns_to_clock_t(user);
		t.tms_stime = ns_to_clock_t(sys);
		t.tms_cutime = ns_to_clock_t(proc->child_user_ns);
		t.tms_cstime = ns_to_clock_t(proc->child_sys_ns);
		if (copy_to_user(buf, &t, sizeof(t)))
			return -EFAULT;
	}
	return ns_to_clock_t(time_now_ns());
}

/* getrusage(who, usage): RUSAGE_SELF, RUSAGE_THREAD, RUSAGE_CHILDREN;
 * -EINVAL for any other who, -EFAULT. */
SYSCALL_DEFINE2(getrusage, int, who, uptr_t, usage)
{
	struct linux_rusage ru;
	uint64_t user, sys;

	if (who != RUSAGE_SELF && who != RUSAGE_THREAD &&
	    who != RUSAGE_CHILDREN)
		return -EINVAL;
	memset(&ru, 0, sizeof(ru));
	if (who == RUSAGE_THREAD) {
		task_cpu_times(thread->task, &user, &sys);
	} else if (who == RUSAGE_SELF) {
		proc_cpu_times(proc, &user, &sys);
	} else {
		proc_lock();
		user = proc->child_user_ns;
		sys = proc->child_sys_ns;
		proc_unlock();
	}
	ru.ru_utime = ns_to_timeval(user);
	ru.ru_stime = ns_to_timeval(sys);
	return copy_to_user(usage, &ru, sizeof(ru));
}
