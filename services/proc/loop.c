/*
 * The per-thread loop of a process: run user code, handle what brings it
 * back. System calls go to the table; a fault the core and the vmar could
 * not resolve, or a processor exception, kills the process with the signal
 * Linux would send (there are no signal handlers yet) and prints one line
 * saying why; the kernel carries on.
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/task.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/syscall.h>

#include "proc_internal.h"

const char *proc_signal_name(int sig)
{
	switch (sig) {
	case SIGILL:
		return "SIGILL";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGBUS:
		return "SIGBUS";
	case SIGFPE:
		return "SIGFPE";
	case SIGSEGV:
		return "SIGSEGV";
	default:
		return "SIG?";
	}
}

/* Ends p by signal sig; why completes "killed by SIG...: ". */
static void kill_with(struct proc *p, int sig, const char *why)
{
	kprintf("keel: pid %d (%s) killed by %s: %s\n", p->pid, p->name,
		proc_signal_name(sig), why);
	p->term_signal = sig;
	p->exiting = true;
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
		kill_with(p, SIGBUS, why);
		return;
	}
	if (vm_query(p->vs, info->addr, &prot) == 0)
		what = refusal(prot, info->access);
	ksnprintf(why, sizeof(why), "%s %s address 0x%lx at ip 0x%lx",
		  access_verb(info->access), what, (unsigned long)info->addr,
		  (unsigned long)ip);
	kill_with(p, SIGSEGV, why);
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
	kill_with(p, sig, why);
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
			break; /* no signals to deliver yet */
		}
	}
	proc_finish(p);
}
