/*
 * Which CPUs a thread may run on: sched_setaffinity(2),
 * sched_getaffinity(2) and getcpu(2), over the core's affinity masks
 * (<keel/task.h>). Masks are Linux's: bytes of a little-endian bitmap of
 * longs, one bit per CPU; the core has at most 64 CPUs, so one 64-bit
 * word holds every CPU a mask can name. There is one NUMA node, 0.
 */
#include <keel/errno.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/syscall.h>

/* cpumask_size(): the mask of nr_cpu_ids (at most 64) bits in longs. */
#define CPUMASK_BYTES 8

/* The task pid names: the caller for 0 or its own pid; NULL (-ESRCH)
 * otherwise, as processes cannot find each other yet. */
static struct task *affinity_target(const struct proc *proc, int pid)
{
	if (pid == 0 || pid == proc->pid)
		return task_current();
	return NULL;
}

/* sched_setaffinity(pid, len, mask): the first len bytes of the mask (the
 * rest, and bits beyond 64 CPUs, read as clear). -EINVAL when it holds no
 * online CPU, -ESRCH for another process, -EFAULT. The caller moves at
 * once if it may no longer run where it is. */
SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned int, len, uptr_t,
		mask)
{
	uint64_t bits = 0;
	struct task *t;

	/* Linux reads the mask before it looks for the thread. */
	if (len > 0 && copy_from_user(&bits, mask,
				      len < CPUMASK_BYTES ? len : CPUMASK_BYTES))
		return -EFAULT;
	t = pid < 0 ? NULL : affinity_target(proc, pid);
	if (!t)
		return -ESRCH;
	return task_set_affinity(t, bits);
}

/* sched_getaffinity(pid, len, mask): writes the mask, returns its size.
 * -EINVAL when len is shorter than the mask or not a multiple of a long,
 * -ESRCH for another process (no lookup yet), -EFAULT. */
SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len, uptr_t,
		mask)
{
	uint64_t bits;
	struct task *t;

	if (len * 8 < cpu_count() || (len & (sizeof(long) - 1)))
		return -EINVAL;
	t = pid < 0 ? NULL : affinity_target(proc, pid);
	if (!t)
		return -ESRCH;
	bits = task_get_affinity(t);
	if (copy_to_user(mask, &bits, CPUMASK_BYTES))
		return -EFAULT;
	return CPUMASK_BYTES;
}

/* getcpu(cpu, node, cache): the CPU the caller runs on, node 0, into each
 * pointer given; cache is unused since Linux 2.6.24. */
SYSCALL_DEFINE3(getcpu, uptr_t, cpu, uptr_t, node, uptr_t, cache)
{
	if (cpu.addr && put_user_u32(cpu, cpu_id()))
		return -EFAULT;
	if (node.addr && put_user_u32(node, 0))
		return -EFAULT;
	return 0;
}
