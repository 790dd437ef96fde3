/*
 * Signal handlers on the raw kernel interface: rt_sigaction's checks, a
 * SA_SIGINFO handler for kill and tgkill (si_code, si_pid), the blocked
 * mask and rt_sigpending, SA_RESETHAND, SA_NODEFER, the alternate stack,
 * faults delivered with Linux's si_code and si_addr to a handler that
 * resumes past them by changing the saved pc, and the FP registers kept
 * across a handler that clobbers them. Each line is `label: value`; the
 * native run is the oracle.
 */
#include <user.h>

static const char *err_name(long r)
{
	switch (r) {
	case 0:
		return "0";
	case -EPERM:
		return "EPERM";
	case -ESRCH:
		return "ESRCH";
	case -EINVAL:
		return "EINVAL";
	case -EFAULT:
		return "EFAULT";
	case -ENOMEM:
		return "ENOMEM";
	default:
		return "other";
	}
}

static const char *yes(int c)
{
	return c ? "yes" : "no";
}

static volatile int hits, last_sig, last_code, last_pid;
static volatile unsigned long last_addr, mask_in_handler, sp_in_handler;
static volatile unsigned long resume_at;

static void on_signal(int sig, struct usiginfo *info, void *uc)
{
	int local;

	(void)uc;
	hits++;
	last_sig = sig;
	last_code = info->si_code;
	last_pid = info->u.kill.pid;
	mask_in_handler = sig_blocked();
	sp_in_handler = (unsigned long)&local;
}

static void on_fault(int sig, struct usiginfo *info, void *uc)
{
	hits++;
	last_sig = sig;
	last_code = info->si_code;
	last_addr = info->u.fault.addr;
	*uc_pc(uc) = resume_at;
}

static void check_sigaction(void)
{
	struct usiginfo info;

	uprintf("sigaction SIGKILL: %s\n",
		err_name(sig_install(SIGKILL, on_signal, 0, 0, NULL)));
	uprintf("sigaction SIGSTOP: %s\n",
		err_name(sig_install(SIGSTOP, on_signal, 0, 0, NULL)));
	uprintf("sigaction 65: %s\n",
		err_name(sig_install(65, on_signal, 0, 0, NULL)));
	uprintf("sigaction sigsetsize 4: %s\n",
		err_name(sys_rt_sigaction(SIGUSR1, NULL, NULL, 4)));
	uprintf("sigaction bad act: %s\n",
		err_name(sys_rt_sigaction(SIGUSR1, (void *)8, NULL, 8)));
	uprintf("sigprocmask bad how: %s\n",
		err_name(sys_rt_sigprocmask(7, &(unsigned long){ 0 }, NULL, 8)));
	uprintf("kill bad signal: %s\n", err_name(sys_kill(sys_getpid(), 65)));
	uprintf("kill signal 0: %s\n", err_name(sys_kill(sys_getpid(), 0)));
	uprintf("tkill tid 0: %s\n", err_name(sys_tkill(0, SIGUSR1)));
	memset(&info, 0, sizeof(info));
	uprintf("sigqueueinfo bad info: %s\n",
		err_name(sys_rt_sigqueueinfo(sys_getpid(), SIGUSR1,
					     (void *)8)));
}

static void check_kill(void)
{
	struct usiginfo info;
	long pid = sys_getpid();

	sig_install(SIGUSR1, on_signal, SA_SIGINFO, 0, NULL);
	hits = 0;
	sys_kill((int)pid, SIGUSR1);
	uprintf("kill: handler ran %d time(s) before kill returned\n", hits);
	uprintf("kill: si_signo %d, SI_USER %s, si_pid is mine %s\n",
		last_sig, yes(last_code == SI_USER), yes(last_pid == pid));
	uprintf("kill: own signal blocked in handler %s\n",
		yes(mask_in_handler & SIGBIT(SIGUSR1)));
	uprintf("kill: mask after return %lx\n", sig_blocked());
	sys_tgkill((int)pid, (int)pid, SIGUSR1);
	uprintf("tgkill: hits %d, SI_TKILL %s\n", hits,
		yes(last_code == SI_TKILL));
	memset(&info, 0, sizeof(info));
	info.si_code = SI_QUEUE;
	info.u.kill.pid = (int)pid;
	sys_rt_sigqueueinfo((int)pid, SIGUSR1, &info);
	uprintf("sigqueueinfo: hits %d, SI_QUEUE %s\n", hits,
		yes(last_code == SI_QUEUE));
}

static void check_mask(void)
{
	unsigned long set = SIGBIT(SIGUSR2), pending = 0;

	sig_install(SIGUSR2, on_signal, SA_SIGINFO, 0, NULL);
	hits = 0;
	sys_rt_sigprocmask(SIG_BLOCK, &set, NULL, 8);
	sys_kill((int)sys_getpid(), SIGUSR2);
	sys_kill((int)sys_getpid(), SIGUSR2);
	sys_rt_sigpending(&pending, 8);
	uprintf("blocked: hits %d, pending %lx\n", hits, pending);
	set = SIGBIT(SIGKILL) | SIGBIT(SIGSTOP);
	sys_rt_sigprocmask(SIG_BLOCK, &set, NULL, 8);
	uprintf("blocked: SIGKILL/SIGSTOP blockable %s\n",
		yes(sig_blocked() & set));
	set = SIGBIT(SIGUSR2);
	sys_rt_sigprocmask(SIG_UNBLOCK, &set, NULL, 8);
	sys_rt_sigpending(&pending, 8);
	uprintf("unblocked: hits %d (one per pending signal), pending %lx\n",
		hits, pending);
}

static void check_flags(void)
{
	unsigned long old = 0;

	sig_install(SIGUSR1, on_signal, SA_SIGINFO | SA_NODEFER, 0, NULL);
	sys_kill((int)sys_getpid(), SIGUSR1);
	uprintf("SA_NODEFER: own signal blocked in handler %s\n",
		yes(mask_in_handler & SIGBIT(SIGUSR1)));
	sig_install(SIGUSR1, on_signal, SA_SIGINFO, SIGBIT(SIGUSR2), NULL);
	sys_kill((int)sys_getpid(), SIGUSR1);
	uprintf("sa_mask: SIGUSR2 blocked in handler %s\n",
		yes(mask_in_handler & SIGBIT(SIGUSR2)));
	sig_install(SIGUSR1, on_signal, SA_SIGINFO | SA_RESETHAND, 0, NULL);
	hits = 0;
	sys_kill((int)sys_getpid(), SIGUSR1);
	sig_install(SIGUSR1, (usighandler)1, 0, 0, &old);
	uprintf("SA_RESETHAND: hits %d, handler after it %lu\n", hits, old);
	sys_kill((int)sys_getpid(), SIGUSR1); /* ignored now */
	sys_kill((int)sys_getpid(), SIGCHLD); /* ignored by default */
	uprintf("ignored signals: still running\n");
}

static char altstack[4 * MINSIGSTKSZ] __attribute__((aligned(16)));

static void on_altstack_signal(int sig, struct usiginfo *info, void *uc)
{
	struct ustack now, other = { altstack, 0, sizeof(altstack) };

	on_signal(sig, info, uc);
	sys_sigaltstack(NULL, &now);
	uprintf("altstack: in handler ss_flags %d\n", now.ss_flags);
	uprintf("altstack: change while on it %s\n",
		err_name(sys_sigaltstack(&other, NULL)));
}

static void check_altstack(void)
{
	struct ustack ss = { altstack, 0, sizeof(altstack) }, old;
	unsigned long lo = (unsigned long)altstack;

	sys_sigaltstack(NULL, &old);
	uprintf("altstack: initially ss_flags %d\n", old.ss_flags);
	ss.ss_size = MINSIGSTKSZ - 1;
	uprintf("altstack: too small %s\n",
		err_name(sys_sigaltstack(&ss, NULL)));
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 5;
	uprintf("altstack: bad flags %s\n",
		err_name(sys_sigaltstack(&ss, NULL)));
	ss.ss_flags = 0;
	uprintf("altstack: set %s\n", err_name(sys_sigaltstack(&ss, NULL)));
	sig_install(SIGUSR1, on_altstack_signal, SA_SIGINFO | SA_ONSTACK, 0,
		    NULL);
	sys_kill((int)sys_getpid(), SIGUSR1);
	uprintf("altstack: handler ran on it %s\n",
		yes(sp_in_handler > lo && sp_in_handler < lo + sizeof(altstack)));
	sig_install(SIGUSR1, on_signal, SA_SIGINFO, 0, NULL);
	sys_kill((int)sys_getpid(), SIGUSR1);
	uprintf("altstack: without SA_ONSTACK on it %s\n",
		yes(sp_in_handler > lo && sp_in_handler < lo + sizeof(altstack)));
	ss.ss_flags = SS_DISABLE;
	sys_sigaltstack(&ss, NULL);
	sys_sigaltstack(NULL, &old);
	uprintf("altstack: disabled ss_flags %d\n", old.ss_flags);
}

static void check_faults(void)
{
	unsigned long text = (unsigned long)check_faults;

	sig_install(SIGSEGV, on_fault, SA_SIGINFO, 0, NULL);
	sig_install(SIGILL, on_fault, SA_SIGINFO, 0, NULL);
	sig_install(SIGTRAP, on_fault, SA_SIGINFO, 0, NULL);
	hits = 0;
	resume_at = (unsigned long)fault_load_resume;
	fault_load(0x10);
	uprintf("load 0x10: signal %d, SEGV_MAPERR %s, si_addr 0x%lx\n",
		last_sig, yes(last_code == SEGV_MAPERR), last_addr);
	resume_at = (unsigned long)fault_store_resume;
	fault_store(text);
	uprintf("store to text: signal %d, SEGV_ACCERR %s, si_addr is it %s\n",
		last_sig, yes(last_code == SEGV_ACCERR), yes(last_addr == text));
	resume_at = (unsigned long)fault_illegal_resume;
	fault_illegal();
	uprintf("illegal: signal %d, si_code as Linux %s, si_addr is it %s\n",
		last_sig, yes(last_code == arch_ill_code),
		yes(last_addr == (unsigned long)fault_illegal));
	resume_at = (unsigned long)fault_breakpoint_resume;
	fault_breakpoint();
	uprintf("breakpoint: signal %d, si_code as Linux %s, si_addr %s\n",
		last_sig, yes(last_code == arch_trap_code),
		yes(last_addr == (arch_trap_addr ?
				  (unsigned long)fault_breakpoint : 0)));
	uprintf("faults: %d handled, resumed past each\n", hits);
}

static void on_clobber(int sig, struct usiginfo *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
	fpu_clobber();
}

static long send_usr1(void)
{
	return sys_kill((int)sys_getpid(), SIGUSR1);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	check_sigaction();
	check_kill();
	check_mask();
	check_flags();
	check_altstack();
	check_faults();
	sig_install(SIGUSR1, on_clobber, SA_SIGINFO, 0, NULL);
	uprintf("fpu: registers kept across a clobbering handler %s\n",
		yes(fpu_survives(send_usr1)));
	return 0;
}
