/*
 * Per-thread registrations libcs make at start-up, and the process name:
 * set_robust_list(2)/get_robust_list(2) record the robust futex list head
 * (walked at thread exit by services/futex/robust.c), prctl(2)
 * PR_SET_NAME and PR_GET_NAME, the calling thread's comm (the process
 * options are services/proc/prctl.c's). rseq(2) stays unimplemented (-ENOSYS,
 * which glibc and musl accept): restartable sequences need the core to
 * tell services about preemption and migration of a task returning to
 * user mode, which it does not yet (docs/abi.md).
 *
 * Keel's own prctl options, for tests (docs/hardening.md, "Allocation
 * fault injection"): PR_KEEL_FAILALLOC arms allocation fault injection
 * for the calling thread (<keel/failalloc.h>), PR_KEEL_FAILALLOC_FIRED
 * says whether it fired and disarms it, PR_KEEL_MEM_USAGE copies out the
 * kernel's free frames and live heap objects and bytes. Their numbers
 * ("KEL" and 1-3) are far from Linux's options.
 */
#include <keel/errno.h>
#include <keel/failalloc.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/syscall.h>

#define ROBUST_LIST_HEAD_SIZE 24 /* struct robust_list_head, 64-bit */
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_KEEL_FAILALLOC 0x4b454c01
#define PR_KEEL_FAILALLOC_FIRED 0x4b454c02
#define PR_KEEL_MEM_USAGE 0x4b454c03

/* set_robust_list(head, len): -EINVAL unless len is the 64-bit
 * robust_list_head's size; the head is not read until exit. */
SYSCALL_DEFINE2(set_robust_list, uptr_t, head, size_t, len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	thread->robust_list = head;
	thread->robust_list_len = len;
	return 0;
}

/* get_robust_list(tid, head_ptr, len_ptr): the head of thread tid (0:
 * the caller); -ESRCH when there is no such thread, -EPERM when the
 * caller may not look (proc_may_signal's rule, as ptrace's read access). */
SYSCALL_DEFINE3(get_robust_list, int, pid, uptr_t, head_ptr, uptr_t,
		len_ptr)
{
	uint64_t head = thread->robust_list.addr;
	uint64_t len = ROBUST_LIST_HEAD_SIZE;
	struct thread *t;

	if (pid) {
		proc_lock();
		t = thread_find(pid);
		if (t)
			head = t->robust_list.addr;
		if (t && !proc_may_signal(proc, t->proc))
			t = NULL, head = (uint64_t)-1;
		proc_unlock();
		if (!t)
			return head == (uint64_t)-1 ? -EPERM : -ESRCH;
	}
	if (copy_to_user(len_ptr, &len, sizeof(len)) ||
	    copy_to_user(head_ptr, &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

/* PR_SET_NAME: the user string, cut at 15 bytes, becomes the calling
 * thread's name (as Linux's strncpy_from_user of TASK_COMM_LEN - 1
 * bytes: no NUL needed within them, bytes past a fault are not read). -EFAULT when not even
 * the first byte can be read. */
static long set_name(struct thread *t, uptr_t src)
{
	char name[PROC_NAME_MAX] = { 0 };
	ssize_t n = copy_from_user_partial(name, src, sizeof(name) - 1);

	if (n < 0)
		return -EFAULT;
	name[kstrnlen(name, (size_t)n)] = '\0';
	thread_set_name(t, name);
	return 0;
}

/* PR_KEEL_MEM_USAGE: three u64 (free frames, heap objects, heap bytes).
 * Frames in the kernel's caches count as free: a test that checks what a
 * call gave back must not see a stack cached by a task that happened to
 * overlap with another. */
static long copy_mem_usage(uptr_t dst)
{
	struct mem_usage u;
	uint64_t out[3];

	mem_usage(&u);
	out[0] = u.frames_free + u.frames_cached;
	out[1] = u.heap_objects;
	out[2] = u.heap_bytes;
	return copy_to_user(dst, out, sizeof(out));
}

/* prctl(option, arg2..arg5): PR_SET_NAME and PR_GET_NAME (16 bytes, NUL
 * padded, as Linux's get_task_comm), the process options of
 * services/proc/prctl.c; other options are -EINVAL, as Linux answers
 * options it does not know; Keel's test options above.
 *
 * Partial: PR_SET/GET_NAME, PDEATHSIG, CHILD_SUBREAPER, DUMPABLE and
 * NO_NEW_PRIVS only; the others (KEEPCAPS, SECCOMP, capabilities, THP,
 * timer slack, ...) are EINVAL. */
SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long,
		arg3, unsigned long, arg4, unsigned long, arg5)
{
	char name[PROC_NAME_MAX];

	switch (option) {
	case PR_SET_NAME:
		return set_name(thread, uptr(arg2));
	case PR_GET_NAME:
		memset(name, 0, sizeof(name));
		proc_lock();
		kstrlcpy(name, thread->name, sizeof(name));
		proc_unlock();
		return copy_to_user(uptr(arg2), name, sizeof(name));
	case PR_KEEL_FAILALLOC:
		if (arg2 > 0xffffffffu)
			return -EINVAL;
		failalloc_arm((unsigned)arg2);
		return 0;
	case PR_KEEL_FAILALLOC_FIRED: {
		bool fired = failalloc_fired();

		failalloc_arm(0);
		return fired;
	}
	case PR_KEEL_MEM_USAGE:
		return copy_mem_usage(uptr(arg2));
	default:
		return proc_prctl(proc, option, arg2, arg3, arg4, arg5);
	}
}
