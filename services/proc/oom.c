/*
 * The out-of-memory killer (issue 11, item 4; docs/architecture.md,
 * "Out of memory"). The core only reports that a user page fault could not
 * get memory (user_run's USER_EVENT_PAGE_FAULT with info.error -ENOMEM);
 * which process pays for it is policy, so it is decided here, as Linux's
 * pagefault_out_of_memory / out_of_memory do: the process with the most
 * resident user memory (the frames its address space holds) is killed
 * with SIGKILL and named on the console, and the faulting thread retries
 * its access once memory has come back. While a process that holds memory
 * is already on its way out (a victim, or one exiting by itself), nothing
 * else is killed: its frames are about to be freed. The kernel's own
 * tasks hold no user memory and are never chosen, nor is init (pid 1).
 * A failure injected by fault injection kills nobody: the access is
 * retried.
 */
#include <keel/failalloc.h>
#include <keel/log.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/vm.h>
#include <svc/proc.h>

#include "proc_internal.h"

/* How long a faulting thread waits for a victim to release its memory
 * before it tries its access again. */
#define OOM_RETRY_NS 1000000ull /* 1 ms */

struct oom_choice {
	struct proc *victim; /* the largest live process so far */
	size_t frames;       /* its resident frames */
	bool dying;          /* a process with memory is exiting already */
};

/* proc_for_each callback (proc_lock held): the space of a process with
 * live threads is stable under proc_lock (mm_install swaps it there; it is
 * released only after the last thread left). */
static int consider(struct proc *p, void *arg)
{
	struct oom_choice *c = arg;
	size_t frames;

	/* init, as Linux's is_global_init: without it nobody reaps. */
	if (!p->nr_threads || !p->vs || p->pid == 1)
		return 0;
	frames = vm_space_frames(p->vs);
	if (p->exiting) {
		c->dying |= frames > 0;
		return 0;
	}
	if (frames > c->frames) {
		c->victim = p;
		c->frames = frames;
	}
	return 0;
}

/*
 * Chooses and kills the victim (proc_lock held). Returns it, or NULL when
 * nothing was killed (one is dying already, or no process holds memory).
 */
static struct proc *oom_kill_locked(void)
{
	struct oom_choice c = { 0 };

	proc_for_each(consider, &c);
	if (c.dying || !c.victim)
		return NULL;
	kprintf("keel: out of memory: killed pid %d (%s), %zu KiB resident\n",
		c.victim->pid, c.victim->name, c.frames * (PAGE_SIZE / 1024));
	proc_kill_group_locked(c.victim, SIGKILL, false);
	return c.victim;
}

void oom_user_fault(struct thread *t)
{
	struct proc *victim;

	/* An injected failure (<keel/failalloc.h>) is spent: memory is
	 * there, the access is just tried again. */
	if (failalloc_fired())
		return;
	proc_lock();
	victim = oom_kill_locked();
	proc_unlock();
	/* Killed itself: its loop ends at the next check. Else give the
	 * victim the time to exit before the access is tried again. */
	if (victim != t->proc && !t->proc->exiting)
		sleep_ns(OOM_RETRY_NS);
}
