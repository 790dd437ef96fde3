/*
 * The loop of every thread: run user code, handle what brings it back.
 * System calls go to the table; a fault the core and the vmar could not
 * resolve, or a processor exception, raises the signal Linux would send
 * (a fault that found no memory goes to the out-of-memory killer, oom.c):
 * its handler runs, or the process dies by it and one line says why; the
 * kernel carries on. Every return to user mode goes through
 * signal_deliver() (<svc/signal.h>), and a stopped process's threads
 * sleep here until it is continued or killed.
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>

#include "proc_internal.h"

/* The signal for a fault, sent as Linux's force_sig_fault: to the handler
 * when one will run it, else the process dies by it with a line saying
 * why. */
static void fault_signal(struct thread *t, int sig,
			 const struct user_event_info *info, const char *why)
{
	if (!signal_fault(t, sig, info->code, info->addr))
		signal_kill(t->proc, sig, why);
}

static const char *access_verb(unsigned access)
{
	if (access & USER_ACCESS_EXEC)
		return "execute at";
	if (access & USER_ACCESS_WRITE)
		return "write to";
	return "read from";
}

/* Why a mapped page refused the access. */
static const char *refusal(unsigned prot, unsigned access)
{
	if ((access & USER_ACCESS_EXEC) && !(prot & VM_EXEC))
		return "non-executable";
	if ((access & USER_ACCESS_WRITE) && !(prot & VM_WRITE))
		return "read-only";
	return "inaccessible";
}

/* Kills p for the fault the core could not resolve: SIGSEGV, saying
 * whether the address was unmapped or refused the access, or SIGBUS when
 * the memory object behind the address failed (info->error, e.g. -ENXIO
 * past the end of a file), as Linux does. */
static void kill_for_fault(struct thread *t,
			   const struct user_event_info *info, uintptr_t ip)
{
	struct proc *p = t->proc;
	char why[128];
	unsigned prot;
	const char *what = "unmapped";

	if (info->error && info->error != -EFAULT) {
		ksnprintf(why, sizeof(why),
			  "%s address 0x%lx at ip 0x%lx: object error %s",
			  access_verb(info->access), (unsigned long)info->addr,
			  (unsigned long)ip, errno_name(info->error));
		fault_signal(t, SIGBUS, info, why);
		return;
	}
	if (vm_query(p->vs, info->addr, &prot) == 0)
		what = refusal(prot, info->access);
	ksnprintf(why, sizeof(why), "%s %s address 0x%lx at ip 0x%lx",
		  access_verb(info->access), what, (unsigned long)info->addr,
		  (unsigned long)ip);
	fault_signal(t, SIGSEGV, info, why);
}

/* Kills p with the signal Linux sends for the processor exception. */
static void kill_for_exception(struct thread *t,
			       const struct user_event_info *info,
			       uintptr_t ip)
{
	const char *what = "unknown exception";
	int sig = SIGSEGV;
	char why[128];

	switch (info->exception) {
	case USER_EXC_ILLEGAL:
		sig = SIGILL;
		what = "illegal instruction";
		break;
	case USER_EXC_DIVIDE:
		sig = SIGFPE;
		what = "integer divide error";
		break;
	case USER_EXC_BREAKPOINT:
		sig = SIGTRAP;
		what = "breakpoint";
		break;
	case USER_EXC_ALIGN:
		sig = SIGBUS;
		what = "misaligned access";
		break;
	case USER_EXC_PROTECTION:
		what = "general protection fault";
		break;
	case USER_EXC_FPU:
		sig = SIGFPE;
		what = "floating-point exception";
		break;
	case USER_EXC_NONE:
		break;
	}
	ksnprintf(why, sizeof(why), "%s at ip 0x%lx (address 0x%lx)", what,
		  (unsigned long)ip, (unsigned long)info->addr);
	fault_signal(t, sig, info, why);
}

static bool thread_ends(const struct thread *t)
{
	return t->exiting || t->proc->exiting;
}

/* CLONE_CHILD_SETTID: the new thread's tid in its own memory (a bad
 * address is ignored, as Linux's schedule_tail). */
static void set_child_tid(struct thread *t)
{
	if (t->set_child_tid.addr)
		copy_u32_to_user(t->set_child_tid, (uint32_t)t->tid);
}

void proc_task_main(void *arg)
{
	struct thread *t = arg;
	struct user_ctx *ctx = task_user_ctx(task_current());

	set_child_tid(t);
	while (!thread_ends(t)) {
		struct user_event_info info;
		enum user_event ev = user_run(&info);
		uintptr_t ip = uctx_get(ctx, UREG_IP);

		switch (ev) {
		case USER_EVENT_SYSCALL:
			cred_thread_refresh(t);
			syscall_dispatch(t, ctx);
			break;
		case USER_EVENT_PAGE_FAULT:
			/* No memory for the page: not the program's fault
			 * (Linux's VM_FAULT_OOM), the killer decides. */
			if (info.error == -ENOMEM)
				oom_user_fault(t);
			else
				kill_for_fault(t, &info, ip);
			break;
		case USER_EVENT_EXCEPTION:
			kill_for_exception(t, &info, ip);
			break;
		case USER_EVENT_INTERRUPT:
			break;
		}
		/* Clear, then look: a signal sent after the clear notifies
		 * again and the next user_run comes straight back. */
		task_notify_clear();
		if (!thread_ends(t))
			signal_deliver(t, ctx, ev == USER_EVENT_SYSCALL);
		proc_stop_wait(t);
	}
	thread_finish(t);
}
