/*
 * Virtual CPUs of the hosted backend: each vCPU is a host thread with its
 * own state (struct hosted_cpu, found through a thread-local pointer), a
 * signal stack for interrupt and fault handlers, and a POSIX timer. vCPU 0
 * is the thread that booted; hal_cpu_start makes the others.
 */
#include "hosted.h"

#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define ALTSTACK_SIZE (256u << 10)

static struct hosted_cpu cpus[HAL_MAX_CPUS];
static unsigned ncpus = 1;
static __thread struct hosted_cpu *self;

struct hosted_cpu *hosted_cpu_self(void)
{
	return self ? self : &cpus[0];
}

unsigned hal_cpu_id(void)
{
	return self ? self->id : 0;
}

unsigned hosted_cpu_count(void)
{
	return ncpus;
}

void hal_cpu_relax(void)
{
	/* Valgrind delivers host signals only at system calls: a spinning
	 * CPU would never see its interrupts there. */
	if (RUNNING_ON_VALGRIND)
		sched_yield();
	else
		__builtin_ia32_pause();
}

static void cpu_setup_altstack(struct hosted_cpu *c)
{
	stack_t ss = { .ss_size = ALTSTACK_SIZE };

	if (!c->altstack) {
		c->altstack = malloc(ALTSTACK_SIZE);
		if (!c->altstack)
			errx(1, "keel: no memory for a signal stack");
	}
	ss.ss_sp = c->altstack;
	if (sigaltstack(&ss, NULL) != 0)
		err(1, "keel: sigaltstack");
}

void hosted_cpu_attach(unsigned id)
{
	struct hosted_cpu *c = &cpus[id];
	sigset_t irqs;

	c->id = id;
	self = c;
	cpu_setup_altstack(c);
	__atomic_store_n(&c->irq_on, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_SEQ_CST);
	hosted_timer_attach();
	c->online = true;
	/* Interrupt signals are never blocked on a vCPU: the irq_on flag is
	 * the mask (hal_cpu_idle blocks them briefly). */
	sigemptyset(&irqs);
	sigaddset(&irqs, hosted_sig_timer());
	sigaddset(&irqs, hosted_sig_irq());
	pthread_sigmask(SIG_UNBLOCK, &irqs, NULL);
	/* Lines raised before this thread existed. */
	if (__atomic_load_n(&c->raised, __ATOMIC_SEQ_CST))
		syscall(SYS_tgkill, getpid(), c->tid, hosted_sig_irq());
}

void hosted_cpu_boot(unsigned n)
{
	static bool booted;

	if (booted)
		return;
	booted = true;
	ncpus = n ? n : 1;
	if (ncpus > HAL_MAX_CPUS)
		ncpus = HAL_MAX_CPUS;
	hosted_irq_init();
	hosted_fault_init();
	hosted_cpu_attach(0);
}

void *hosted_cpu_thread(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;

	hosted_cpu_attach(id);
	core_secondary_main(id);
}

int hal_cpu_start(unsigned cpu)
{
	pthread_attr_t attr;
	pthread_t thread;
	int r;

	if (cpu == 0 || cpu >= ncpus)
		return hosted_errno(EINVAL);
	if (__atomic_exchange_n(&cpus[cpu].online, true, __ATOMIC_SEQ_CST))
		return hosted_errno(EBUSY);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 1u << 20);
	r = pthread_create(&thread, &attr, hosted_cpu_thread,
			   (void *)(uintptr_t)cpu);
	pthread_attr_destroy(&attr);
	if (r) {
		__atomic_store_n(&cpus[cpu].online, false, __ATOMIC_SEQ_CST);
		return hosted_errno(r);
	}
	return 0;
}

void hal_cpu_kick(unsigned cpu)
{
	if (cpu < ncpus)
		hosted_irq_raise(cpu, HAL_IRQ_IPI);
}

void hosted_irq_raise(unsigned cpu, unsigned line)
{
	struct hosted_cpu *c = &cpus[cpu];
	pid_t tid;

	__atomic_or_fetch(&c->raised, 1ull << line, __ATOMIC_SEQ_CST);
	tid = __atomic_load_n(&c->tid, __ATOMIC_SEQ_CST);
	if (tid)
		syscall(SYS_tgkill, getpid(), tid, hosted_sig_irq());
}
