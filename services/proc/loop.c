/*
 * The per-thread loop of a process: run user code, handle what brings it
 * back. System calls go to the table; a fault the core and the vmar could
 * not resolve, or a processor exception, raises the signal Linux would
 * send: its handler runs, or the process dies by it and one line says
 * why; the kernel carries on. Every return to user mode goes through
 * signal_deliver() (<svc/signal.h>).
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/task.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/futex.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>

#include "proc_internal.h"

/* The signal for a fault, sent as Linux's force_sig_fault: to the handler
 * when one will run it, else the process dies by it with a line saying
 * why. */
static void fault_signal(struct proc *p, int sig,
			 const struct user_event_info *info, const char *why)
{
	if (!signal_fault(p, sig, info->code, info->addr))
		signal_kill(p, sig, why);
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
static void kill_for_fault(struct proc *p, const struct user_event_info *info,
			   uintptr_t ip)
{
	char why[128];
	unsigned prot;
	const char *what = "unmapped";

	if (info->error && info->error != -EFAULT) {
		ksnprintf(why, sizeof(why),
			  "%s address 0x%lx at ip 0x%lx: object error %s",
			  access_verb(info->access), (unsigned long)info->addr,
			  (unsigned long)ip, errno_name(info->error));
		fault_signal(p, SIGBUS, info, why);
		return;
	}
	if (vm_query(p->vs, info->addr, &prot) == 0)
		what = refusal(prot, info->access);
	ksnprintf(why, sizeof(why), "%s %s address 0x%lx at ip 0x%lx",
		  access_verb(info->access), what, (unsigned long)info->addr,
		  (unsigned long)ip);
	fault_signal(p, SIGSEGV, info, why);
}

/* Kills p with the signal Linux sends for the processor exception. */
static void kill_for_exception(struct proc *p,
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
	fault_signal(p, sig, info, why);
}

void proc_task_main(void *arg)
{
	struct proc *p = arg;
	struct user_ctx *ctx = task_user_ctx(task_current());

	while (!p->exiting) {
		struct user_event_info info;
		enum user_event ev = user_run(&info);
		uintptr_t ip = uctx_get(ctx, UREG_IP);

		switch (ev) {
		case USER_EVENT_SYSCALL:
			syscall_dispatch(p, ctx);
			break;
		case USER_EVENT_PAGE_FAULT:
			kill_for_fault(p, &info, ip);
			break;
		case USER_EVENT_EXCEPTION:
			kill_for_exception(p, &info, ip);
			break;
		case USER_EVENT_INTERRUPT:
			break;
		}
		/* Clear, then look: a signal sent after the clear notifies
		 * again and the next user_run comes straight back. */
		task_notify_clear();
		if (!p->exiting)
			signal_deliver(p, ctx, ev == USER_EVENT_SYSCALL);
	}
	/* The thread's exit, while its memory is still there (Linux's
	 * futex_exit_release): robust futexes it holds are marked dead. */
	futex_exit_robust_list(p->robust_list, (uint32_t)p->pid);
	proc_finish(p);
}
