/*
 * The signal system calls (Linux semantics, sigaction(2),
 * sigprocmask(2), sigpending(2), sigaltstack(2), kill(2), tgkill(2),
 * sigreturn(2)): handlers are the process's, masks and alternate stacks
 * the calling thread's. Sending signals (kill, tkill, tgkill,
 * rt_sigqueueinfo) is in sys_kill.c.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <svc/proc.h>
#include <svc/sigframe.h>
#include <svc/signal.h>
#include <svc/syscall.h>

/* The sa_flags Linux keeps (others are cleared, so that SA_UNSUPPORTED
 * probing works); SA_RESTORER only where the ABI has it. */
#define SA_KNOWN                                                          \
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK |          \
	 SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS |     \
	 UAPI_SA_ARCH_FLAGS)

static bool is_null(uptr_t p)
{
	return p.addr == 0;
}

static bool sig_valid(int sig)
{
	return sig >= 1 && sig <= UAPI_NSIG;
}

/* Drops a pending sig that an action of SIG_IGN makes void, in the
 * process and every thread (as Linux's sigaction: "discard pending"). */
static void discard_pending(struct proc *p, int sig)
{
	struct list_head *pos;

	proc_lock();
	spin_lock(&p->sighand->lock);
	p->shared_pending.set &= ~SIG_BIT(sig);
	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		t->sig.pending.set &= ~SIG_BIT(sig);
	}
	spin_unlock(&p->sighand->lock);
	proc_unlock();
}

/* rt_sigaction(sig, act, oact, sigsetsize): sets and/or reads the action
 * of sig. -EINVAL for a bad sig, a sigsetsize other than 8, or an action
 * for SIGKILL or SIGSTOP; -EFAULT for bad act or oact (an act read is
 * applied even when oact then faults, as in Linux). */
SYSCALL_DEFINE4(rt_sigaction, int, sig, uptr_t, act, uptr_t, oact, size_t,
		sigsetsize)
{
	struct sighand *s = proc->sighand;
	struct linux_sigaction new, old;

	if (sigsetsize != sizeof(linux_sigset_t) || !sig_valid(sig))
		return -EINVAL;
	if (!is_null(act)) {
		if (copy_from_user(&new, act, sizeof(new)))
			return -EFAULT;
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
	}
	spin_lock(&s->lock);
	old = s->action[sig - 1];
	if (!is_null(act)) {
		new.sa_flags &= SA_KNOWN;
		new.sa_mask &= ~SIG_UNBLOCKABLE;
		s->action[sig - 1] = new;
	}
	spin_unlock(&s->lock);
	if (!is_null(act) && signal_ignored(proc, sig))
		discard_pending(proc, sig);
	if (!is_null(oact) && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize): changes and/or reads the
 * blocked mask (SIGKILL and SIGSTOP never block). -EINVAL for a bad how
 * (with a set) or sigsetsize, -EFAULT for bad set or oset. */
SYSCALL_DEFINE4(rt_sigprocmask, int, how, uptr_t, set, uptr_t, oset,
		size_t, sigsetsize)
{
	struct thread_signals *s = &thread->sig;
	linux_sigset_t old = s->blocked, want = 0, mask;

	if (sigsetsize != sizeof(linux_sigset_t))
		return -EINVAL;
	if (!is_null(set)) {
		if (copy_from_user(&want, set, sizeof(want)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			mask = old | want;
			break;
		case SIG_UNBLOCK:
			mask = old & ~want;
			break;
		case SIG_SETMASK:
			mask = want;
			break;
		default:
			return -EINVAL;
		}
		spin_lock(&proc->sighand->lock);
		s->blocked = mask & ~SIG_UNBLOCKABLE;
		spin_unlock(&proc->sighand->lock);
	}
	if (!is_null(oset) && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* rt_sigpending(set, sigsetsize): the signals pending while blocked.
 * -EINVAL when sigsetsize is larger than a sigset, -EFAULT. */
SYSCALL_DEFINE2(rt_sigpending, uptr_t, set, size_t, sigsetsize)
{
	struct sighand *h = proc->sighand;
	linux_sigset_t pending;

	if (sigsetsize > sizeof(linux_sigset_t))
		return -EINVAL;
	spin_lock(&h->lock);
	pending = (thread->sig.pending.set | proc->shared_pending.set) &
		  thread->sig.blocked;
	spin_unlock(&h->lock);
	return copy_to_user(set, &pending, sigsetsize) ? -EFAULT : 0;
}

/* Is sp on p's alternate stack? */
static bool on_altstack(const struct thread_signals *s, uintptr_t sp)
{
	return !(s->altstack.ss_flags & SS_DISABLE) &&
	       sp > s->altstack.ss_sp &&
	       sp - s->altstack.ss_sp <= s->altstack.ss_size;
}

/* Sets the alternate stack as sigaltstack(2) (also rt_sigreturn's
 * restore). -EPERM while running on it, -EINVAL for bad flags, -ENOMEM
 * for a size below MINSIGSTKSZ. */
static int set_altstack(struct thread_signals *s, uintptr_t sp,
			const struct linux_stack *ss)
{
	int mode = ss->ss_flags & ~(int32_t)SS_AUTODISARM;

	if (on_altstack(s, sp))
		return -EPERM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		s->altstack = (struct linux_stack){ .ss_flags = SS_DISABLE };
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	s->altstack = *ss;
	s->altstack.ss_flags = ss->ss_flags & (int32_t)SS_AUTODISARM;
	return 0;
}

/* The stack_t sigaltstack(2) and a ucontext report. */
static struct linux_stack altstack_report(const struct thread_signals *s,
					  uintptr_t sp)
{
	struct linux_stack st = s->altstack;

	if (on_altstack(s, sp))
		st.ss_flags |= SS_ONSTACK;
	return st;
}

/* sigaltstack(ss, old_ss): -EFAULT, -EPERM, -EINVAL, -ENOMEM; old_ss is
 * the stack as it was before ss. */
SYSCALL_DEFINE2(sigaltstack, uptr_t, ss, uptr_t, old_ss)
{
	struct thread_signals *s = &thread->sig;
	uintptr_t sp = uctx_get(uctx, UREG_SP);
	struct linux_stack old = altstack_report(s, sp), new;
	int err;

	if (!is_null(ss)) {
		if (copy_from_user(&new, ss, sizeof(new)))
			return -EFAULT;
		err = set_altstack(s, sp, &new);
		if (err)
			return err;
	}
	if (!is_null(old_ss) && copy_to_user(old_ss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* rt_sigreturn(): back from a handler to what its frame saved; the
 * result is the restored return register. A frame that is unreadable or
 * holds what user code could not have had kills with SIGSEGV. */
SYSCALL_DEFINE0(rt_sigreturn)
{
	struct thread_signals *s = &thread->sig;
	struct linux_stack stack;
	linux_sigset_t mask;
	uint64_t ret;
	int err = sigframe_restore(proc, uctx, &mask, &stack, &ret);

	if (err) {
		signal_kill(proc, SIGSEGV, err == -EFAULT
				       ? "unreadable signal frame"
				       : "invalid signal frame");
		return 0;
	}
	spin_lock(&proc->sighand->lock);
	s->blocked = mask & ~SIG_UNBLOCKABLE;
	spin_unlock(&proc->sighand->lock);
	/* As Linux's restore_altstack: a bad uc_stack is ignored. */
	set_altstack(s, uctx_get(uctx, UREG_SP), &stack);
	s->sigreturned = true;
	return (long)ret;
}
