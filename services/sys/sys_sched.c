/*
 * Which CPUs a process may run on: sched_getaffinity(2) and getcpu(2).
 * Only CPU 0 schedules for now (core/kernel/main.c parks the others), so
 * every task's affinity is {0} and it always runs on CPU 0, node 0; the
 * mask grows when the core schedules on more CPUs (it will need to say
 * how many: <keel/task.h> has no CPU count yet).
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/syscall.h>

#define SCHED_CPUS 1u
/* cpumask_size(): the mask of nr_cpu_ids bits in longs. */
#define CPUMASK_BYTES (((SCHED_CPUS + 63) / 64) * 8)

/* sched_getaffinity(pid, len, mask): writes the mask, returns its size.
 * -EINVAL when len is shorter than the mask or not a multiple of a long,
 * -ESRCH for another process (no lookup yet), -EFAULT. */
SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len, uptr_t,
		mask)
{
	uint64_t bits[CPUMASK_BYTES / 8] = { 0 };

	if (len * 8 < SCHED_CPUS || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (pid < 0)
		return -ESRCH;
	if (pid != 0 && pid != proc->pid)
		return -ESRCH;
	for (unsigned cpu = 0; cpu < SCHED_CPUS; cpu++)
		bits[cpu / 64] |= 1ull << (cpu % 64);
	if (copy_to_user(mask, bits, CPUMASK_BYTES))
		return -EFAULT;
	return CPUMASK_BYTES;
}

/* getcpu(cpu, node, cache): 0 into each pointer given; cache is unused
 * since Linux 2.6.24. */
SYSCALL_DEFINE3(getcpu, uptr_t, cpu, uptr_t, node, uptr_t, cache)
{
	if (cpu.addr && put_user_u32(cpu, 0))
		return -EFAULT;
	if (node.addr && put_user_u32(node, 0))
		return -EFAULT;
	return 0;
}
