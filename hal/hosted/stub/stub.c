/*
 * The stub process of the hosted backend: one per user address space, it
 * is the host process in which that space's user code runs, one stub
 * thread per vCPU that runs the space (a context slot each, stub_abi.h).
 * It has no libc: raw system calls only, all issued from its own text,
 * which its seccomp filter lets through while every system call from
 * anywhere else (user code) traps as SIGSYS.
 *
 * The main thread sets the process up and then only starts stub threads
 * when the kernel asks (hdr.start_req); it never runs user code. Every way
 * out of user code on a stub thread is a signal: SIGSYS (a system call),
 * SIGSEGV (a page fault, or a protection fault), SIGBUS, SIGILL, SIGFPE,
 * SIGTRAP (exceptions) and the kick signal (an interrupt, sent by the
 * kernel with tgkill to that thread). The one handler finds the thread's
 * slot from its signal stack, saves the user registers there, reports,
 * waits for the kernel's answer (a short adaptive spin, then the futex)
 * and loads the (possibly new) registers into the signal frame, so that
 * returning from the handler resumes user code. A new thread enters the
 * same way: it kicks itself.
 *
 * Mapping operations are the mapper thread's (mapper.S): the threads
 * that run user code, and the main thread that starts them, are under a
 * seccomp layer with no mapping call at all (confine.c).
 *
 * The stub never touches user memory. The protocol is in ../stub_abi.h.
 *
 *   keel-stub PARENT_PID     (fds 3 and 4 inherited, see stub_abi.h)
 */
/* Position-independent code linked at a fixed high address: every symbol
 * is local to the binary, so references are plain RIP-relative. */
#pragma GCC visibility push(hidden)

#include "stub.h"

#include <asm/unistd.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/prctl.h>

#include <hal/hal.h>

/* Linux signal numbers and flags (x86-64). */
#define K_SIGILL 4
#define K_SIGTRAP 5
#define K_SIGBUS 7
#define K_SIGFPE 8
#define K_SIGKILL 9
#define K_SIGSEGV 11
#define K_SIGSYS 31
#define K_SA_SIGINFO 0x4u
#define K_SA_ONSTACK 0x08000000u
#define K_SA_RESTORER 0x04000000u
#define K_SIG_SETMASK 2
#define SIGBIT(s) (1ull << ((s) - 1))

#define ALTSTACK_SIZE (32u << 10) /* the handler and an XSAVE frame */
#define THREAD_STACK_SIZE (4u << 10) /* a new thread's first steps */

struct k_sigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

struct k_siginfo {
	int signo;
	int errno_;
	int code;
	int pad;
	union {
		uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
		struct {
			uint64_t call_addr;
			int nr;
			unsigned arch;
		} sys;
		char fill[112];
	} u;
};

void stub_main(uint64_t *sp);

static const int trapped_signals[] = {
	K_SIGSYS, K_SIGSEGV, K_SIGBUS, K_SIGILL, K_SIGFPE, K_SIGTRAP,
	STUB_SIG_KICK,
};

/* Per slot: the thread's signal stack, its first stack, whether it has
 * reported once, and the FS base it loaded last. */
static char altstacks[STUB_SLOTS][ALTSTACK_SIZE] __attribute__((aligned(64)));
static char thread_stacks[STUB_SLOTS][THREAD_STACK_SIZE]
	__attribute__((aligned(16)));
static int started[STUB_SLOTS];
static int thread_made[STUB_SLOTS];
static uint64_t fs_loaded[STUB_SLOTS];
static long stub_pid;

long stub_sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

void stub_exit(int code)
{
	for (;;)
		stub_sys3(__NR_exit_group, code, 0, 0);
}

static void futex_wake(uint32_t *word)
{
	stub_sys6(__NR_futex, (long)word, FUTEX_WAKE, 1, 0, 0, 0);
}

static void futex_wait(uint32_t *word, uint32_t val)
{
	stub_sys6(__NR_futex, (long)word, FUTEX_WAIT, val, 0, 0, 0);
}

/*
 * Hands the slot to the kernel and waits for its answer: the kernel is
 * woken only if it sleeps; the answer is spun for (adaptive budget, see
 * stub_spin_next) before this thread sleeps on the futex itself.
 */
static void report_and_wait(struct stub_slot *sl)
{
	const struct stub_header *h = STUB_HDR;
	uint64_t budget = sl->spin, took;
	uint32_t cpu = stub_host_cpu();
	int spun;

	__atomic_store_n(&sl->stub_cpu, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->state, STUB_REPORTED, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sl->kernel_sleeps, __ATOMIC_SEQ_CST))
		futex_wake(&sl->state);
	spun = stub_spin_until(&sl->state, STUB_GO,
			       __atomic_load_n(&sl->kernel_cpu,
					       __ATOMIC_RELAXED) == cpu ?
				       0 : budget,
			       &took);
	if (!spun) {
		__atomic_store_n(&sl->stub_sleeps, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&sl->state, __ATOMIC_SEQ_CST) !=
		       STUB_GO)
			futex_wait(&sl->state, STUB_REPORTED);
		__atomic_store_n(&sl->stub_sleeps, 0, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&sl->state, STUB_BUSY, __ATOMIC_SEQ_CST);
	sl->spin = stub_spin_next(budget, spun, took, h->spin_min,
				  h->spin_max, &sl->spin_waits);
}

/* The slot of the thread a handler runs on, from its signal stack;
 * -1 on the main thread, which has none. */
static int slot_of(const struct k_ucontext *uc)
{
	uintptr_t sp = (uintptr_t)uc->stack.sp;
	uintptr_t base = (uintptr_t)altstacks;

	if (sp < base || sp >= base + sizeof(altstacks))
		return -1;
	return (int)((sp - base) / ALTSTACK_SIZE);
}

static void record_signal(struct stub_slot *sl, int sig,
			  const struct k_siginfo *si,
			  const struct k_ucontext *uc)
{
	sl->reason = STUB_REASON_SIGNAL;
	sl->signo = sig;
	sl->code = si->code;
	sl->addr = si->u.addr;
	sl->err = uc->mc.err;
	sl->trapno = uc->mc.trapno;
	sl->sysnr = sig == K_SIGSYS ? si->u.sys.nr : -1;
	sl->arch = sig == K_SIGSYS ? si->u.sys.arch : 0;
}

static void stub_handler(int sig, struct k_siginfo *si, struct k_ucontext *uc)
{
	int i;
	struct stub_slot *sl;

	/* User code may have set AC (alignment checking) and Linux keeps it
	 * in the handler: the stub's own accesses must not trip on it. */
	__asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq"
			 ::: "memory", "cc");
	i = slot_of(uc);
	if (i < 0) {
		if (sig == STUB_SIG_KICK)
			return; /* a stray kick: nothing runs here */
		stub_exit(120);
	}
	sl = stub_slot(STUB_AREA, (unsigned)i);
	if (started[i]) {
		stub_save_regs(&sl->regs, uc, fs_loaded[i]);
		record_signal(sl, sig, si, uc);
	} else {
		started[i] = 1;
		sl->reason = STUB_REASON_START;
	}
	report_and_wait(sl);
	stub_load_regs(&sl->regs, uc, &fs_loaded[i]);
	sl->fs_base_set = fs_loaded[i];
}

/* A new stub thread (start.S calls it on its first stack): its own
 * signal stack, then into the handler the way every entry comes. */
void stub_thread_main(unsigned long slot)
{
	struct k_stack ss = { altstacks[slot], 0, 0, ALTSTACK_SIZE };
	const struct stub_slot *sl = stub_slot(STUB_AREA, (unsigned)slot);

	if (stub_sys3(__NR_sigaltstack, &ss, 0, 0) != 0)
		stub_exit(118);
	stub_sys3(__NR_tgkill, stub_pid, sl->tid, STUB_SIG_KICK);
	stub_exit(117); /* not reached: the handler returns into user code */
}

/* The handler for every trapped signal, on the thread's signal stack
 * with all of them blocked; only they are deliverable at all. Threads
 * inherit the mask from the main thread, which clones them. */
static void install_handlers(void)
{
	struct k_sigaction sa = {
		.handler = (void *)stub_handler,
		.flags = K_SA_SIGINFO | K_SA_ONSTACK | K_SA_RESTORER,
		.restorer = stub_restorer,
	};
	uint64_t only_traps = ~0ull;

	for (size_t i = 0; i < sizeof(trapped_signals) / sizeof(int); i++) {
		sa.mask |= SIGBIT(trapped_signals[i]);
		only_traps &= ~SIGBIT(trapped_signals[i]);
	}
	for (size_t i = 0; i < sizeof(trapped_signals) / sizeof(int); i++)
		if (stub_sys6(__NR_rt_sigaction, trapped_signals[i], (long)&sa,
			      0, 8, 0, 0) != 0)
			stub_exit(122);
	/* Nothing else (terminal signals, say) reaches the stub. */
	stub_sys6(__NR_rt_sigprocmask, K_SIG_SETMASK, (long)&only_traps, 0, 8,
		  0, 0);
}

/* The main thread's loop: starts the thread of each slot the kernel
 * asks for. A failed clone ends the stub (the kernel sees it die). */
static __attribute__((noreturn)) void start_threads(void)
{
	struct stub_header *h = STUB_HDR;

	for (;;) {
		uint32_t req = __atomic_load_n(&h->start_req, __ATOMIC_SEQ_CST);

		if (!req) {
			futex_wait(&h->start_req, 0);
			continue;
		}
		for (unsigned i = 0; i < STUB_SLOTS; i++) {
			if (!(req & (1u << i)))
				continue;
			if (!thread_made[i] &&
			    stub_clone(STUB_CLONE_FLAGS,
				       thread_stacks[i] + THREAD_STACK_SIZE,
				       &stub_slot(STUB_AREA, i)->tid, i) < 0)
				stub_exit(119);
			thread_made[i] = 1;
			__atomic_and_fetch(&h->start_req, ~(1u << i),
					   __ATOMIC_SEQ_CST);
		}
	}
}

static long parse_pid(const char *s)
{
	long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

void stub_main(uint64_t *sp)
{
	long argc = (long)sp[0];
	char **argv = (char **)(sp + 1);
	long parent = argc > 1 ? parse_pid(argv[1]) : -1;

	/* Die with the kernel, even if it dies before the next line. */
	stub_sys3(__NR_prctl, PR_SET_PDEATHSIG, K_SIGKILL, 0);
	if (parent <= 0 || stub_sys3(__NR_getppid, 0, 0, 0) != parent)
		stub_exit(127);
	if (stub_sys6(__NR_mmap, STUB_CTX_ADDR, STUB_CTX_SIZE,
		      PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		      STUB_CTX_FD, 0) != (long)STUB_CTX_ADDR)
		stub_exit(126);
	/* User programs own everything below HAL_USER_VA_MAX, including
	 * where the host may have put the vDSO. */
	stub_sys3(__NR_munmap, 0, HAL_USER_VA_MAX, 0);
	stub_pid = stub_sys3(__NR_getpid, 0, 0, 0);
	install_handlers();
	stub_confine(stub_pid);
	start_threads();
}
