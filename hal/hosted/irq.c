/*
 * Interrupts of the hosted backend. An interrupt is a host signal delivered
 * to a vCPU thread: the vCPU's timer signal, or the "irq" doorbell that
 * other threads ring after setting bits in the vCPU's raised mask (IPIs,
 * console input). The per-CPU irq_on flag is the interrupt-enable bit:
 * while it is clear the handler only records the line as pending, and
 * hal_irq_restore / hal_irq_enable / hal_cpu_idle replay pending lines by
 * calling core_irq with the flag clear. While it is set the handler calls
 * core_irq itself (flag cleared during the call), then kicks the stub if
 * user code was running on this CPU.
 *
 * Every access to irq_on and pending is an atomic on the CPU's own thread,
 * so the only concurrency is with the thread's own signal handler (plus
 * other threads setting raised bits).
 */
#include "hosted.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#define LINE(l) (1ull << (l))

static uint64_t unmasked_lines = LINE(HAL_IRQ_TIMER) | LINE(HAL_IRQ_IPI);

int hosted_sig_timer(void)
{
	return SIGRTMIN + 1;
}

int hosted_sig_irq(void)
{
	return SIGRTMIN + 2;
}

bool hosted_irq_line_unmasked(unsigned line)
{
	return line < HAL_IRQ_MAX &&
	       (__atomic_load_n(&unmasked_lines, __ATOMIC_SEQ_CST) &
		LINE(line));
}

int hal_irq_unmask(unsigned line)
{
	if (line > HAL_IRQ_CONSOLE)
		return hosted_errno(EINVAL);
	__atomic_or_fetch(&unmasked_lines, LINE(line), __ATOMIC_SEQ_CST);
	if (line == HAL_IRQ_CONSOLE)
		hosted_console_unmasked();
	return 0;
}

void hal_irq_mask(unsigned line)
{
	/* Timer and IPI cannot be masked. */
	if (line == HAL_IRQ_CONSOLE)
		__atomic_and_fetch(&unmasked_lines, ~LINE(line),
				   __ATOMIC_SEQ_CST);
}

void (*hosted_irq_divert)(unsigned line);

/* Calls core_irq for every line in lines, lowest first (irq_on clear). */
static void irq_dispatch(uint64_t lines)
{
	void (*divert)(unsigned) = __atomic_load_n(&hosted_irq_divert,
						   __ATOMIC_SEQ_CST);

	while (lines) {
		unsigned line = (unsigned)__builtin_ctzll(lines);

		lines &= lines - 1;
		if (divert)
			divert(line);
		else
			core_irq(line);
	}
}

/*
 * Dispatches what is pending until nothing is (irq_on clear). A replayed
 * interrupt marks the CPU's user run kicked, as a direct one does
 * (hosted_user_interrupted): hal_user_run enables interrupts after
 * clearing the flag, so one that waited for that must still end the run.
 * No stub runs user code during a replay, so there is none to signal.
 */
static void irq_replay(struct hosted_cpu *c)
{
	uint64_t p;

	while ((p = __atomic_exchange_n(&c->pending, 0, __ATOMIC_SEQ_CST))) {
		irq_dispatch(p);
		__atomic_store_n(&c->user_kicked, 1, __ATOMIC_SEQ_CST);
	}
}

unsigned long hal_irq_save(void)
{
	return (unsigned long)__atomic_exchange_n(&hosted_cpu_self()->irq_on,
						  0, __ATOMIC_SEQ_CST);
}

void hal_irq_enable(void)
{
	struct hosted_cpu *c = hosted_cpu_self();

	if (__atomic_load_n(&c->irq_on, __ATOMIC_SEQ_CST))
		return;
	for (;;) {
		irq_replay(c);
		__atomic_store_n(&c->irq_on, 1, __ATOMIC_SEQ_CST);
		/* A signal after the store dispatches directly; one between
		 * the replay and the store left its line pending. */
		if (!__atomic_load_n(&c->pending, __ATOMIC_SEQ_CST))
			return;
		__atomic_store_n(&c->irq_on, 0, __ATOMIC_SEQ_CST);
	}
}

void hal_irq_restore(unsigned long state)
{
	if (state)
		hal_irq_enable();
	else
		__atomic_store_n(&hosted_cpu_self()->irq_on, 0,
				 __ATOMIC_SEQ_CST);
}

bool hal_irq_enabled(void)
{
	return __atomic_load_n(&hosted_cpu_self()->irq_on, __ATOMIC_SEQ_CST);
}

/* An interrupt for lines arrived on this CPU (in its signal handler). */
static void irq_arrived(uint64_t lines)
{
	struct hosted_cpu *c = hosted_cpu_self();

	lines &= __atomic_load_n(&unmasked_lines, __ATOMIC_SEQ_CST);
	if (!lines)
		return;
	if (!__atomic_load_n(&c->irq_on, __ATOMIC_SEQ_CST)) {
		__atomic_or_fetch(&c->pending, lines, __ATOMIC_SEQ_CST);
		return;
	}
	__atomic_store_n(&c->irq_on, 0, __ATOMIC_SEQ_CST);
	irq_dispatch(lines);
	irq_replay(c);
	__atomic_store_n(&c->irq_on, 1, __ATOMIC_SEQ_CST);
	hosted_user_interrupted();
}

static void timer_signal(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	irq_arrived(LINE(HAL_IRQ_TIMER));
}

static void irq_signal(int sig, siginfo_t *si, void *uc)
{
	struct hosted_cpu *c = hosted_cpu_self();

	(void)sig, (void)si, (void)uc;
	irq_arrived(__atomic_exchange_n(&c->raised, 0, __ATOMIC_SEQ_CST));
}

void hal_cpu_idle(void)
{
	struct hosted_cpu *c = hosted_cpu_self();
	sigset_t irqs, old;

	__atomic_store_n(&c->irq_on, 0, __ATOMIC_SEQ_CST);
	sigemptyset(&irqs);
	sigaddset(&irqs, hosted_sig_timer());
	sigaddset(&irqs, hosted_sig_irq());
	pthread_sigmask(SIG_BLOCK, &irqs, &old);
	/* With the signals blocked nothing can slip in between the check
	 * and sigsuspend, which unblocks and waits atomically. */
	while (!__atomic_load_n(&c->pending, __ATOMIC_SEQ_CST)) {
		sigset_t wait = old;

		sigdelset(&wait, hosted_sig_timer());
		sigdelset(&wait, hosted_sig_irq());
		sigsuspend(&wait);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	irq_replay(c);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, hosted_sig_timer());
	sigaddset(&sa.sa_mask, hosted_sig_irq());
	if (sigaction(sig, &sa, NULL) != 0)
		err(1, "keel: sigaction(%d)", sig);
}

void hosted_irq_init(void)
{
	install(hosted_sig_timer(), timer_signal);
	install(hosted_sig_irq(), irq_signal);
}
