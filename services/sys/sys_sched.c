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

/* Gets t's mask into *bits, or sets it from *bits. */
static long affinity_op(struct task *t, bool set, uint64_t *bits)
{
	if (set)
		return task_set_affinity(t, *bits);
	*bits = task_get_affinity(t);
	return 0;
}

/*
 * Gets or sets the mask of thread pid, as Linux's find_task_by_vpid: 0 or
 * the caller's tid is the caller (without proc_lock: setting its own mask
 * may move it to another CPU at once), any other tid a thread of any
 * process, under proc_lock so that it cannot be freed meanwhile. -ESRCH
 * when there is none.
 */
static long affinity_of(struct thread *self, int pid, bool set,
			uint64_t *bits)
{
	struct thread *t;
	long err;

	if (pid < 0)
		return -ESRCH;
	if (pid == 0 || pid == self->tid)
		return affinity_op(self->task, set, bits);
	proc_lock();
	t = thread_find(pid);
	err = t ? affinity_op(t->task, set, bits) : -ESRCH;
	proc_unlock();
	return err;
}

/* sched_setaffinity(pid, len, mask): the first len bytes of the mask (the
 * rest, and bits beyond 64 CPUs, read as clear). -EINVAL when it holds no
 * online CPU, -ESRCH when there is no thread pid, -EFAULT. A thread that
 * may no longer run where it is moves at once (the caller) or at its next
 * switch. */
SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned int, len, uptr_t,
		mask)
{
	uint64_t bits = 0;

	/* Linux reads the mask before it looks for the thread. */
	if (len > 0 && copy_from_user(&bits, mask,
				      len < CPUMASK_BYTES ? len : CPUMASK_BYTES))
		return -EFAULT;
	return affinity_of(thread, pid, true, &bits);
}

/* sched_getaffinity(pid, len, mask): writes the mask, returns its size.
 * -EINVAL when len is shorter than the mask or not a multiple of a long,
 * -ESRCH when there is no thread pid, -EFAULT. */
SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len, uptr_t,
		mask)
{
	uint64_t bits;
	long err;

	if (len * 8 < cpu_count() || (len & (sizeof(long) - 1)))
		return -EINVAL;
	err = affinity_of(thread, pid, false, &bits);
	if (err)
		return err;
	if (copy_to_user(mask, &bits, CPUMASK_BYTES))
		return -EFAULT;
	return CPUMASK_BYTES;
}

/* getcpu(cpu, node, cache): the CPU the caller runs on, node 0, into each
 * pointer given; cache is unused since Linux 2.6.24. */
SYSCALL_DEFINE3(getcpu, uptr_t, cpu, uptr_t, node, uptr_t, cache)
{
	if (cpu.addr && copy_u32_to_user(cpu, cpu_id()))
		return -EFAULT;
	if (node.addr && copy_u32_to_user(node, 0))
		return -EFAULT;
	return 0;
}
