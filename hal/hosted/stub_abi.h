/*
 * The contract between the hosted kernel (stub_host.c) and the stub
 * process (stub/) that runs one address space's user code: the layout of
 * the shared context area, the fds the stub inherits and the handshake on
 * each slot's state word.
 *
 * The area is a header (process-wide: stub threads to start, mapping ops
 * applied, spin budgets) followed by one slot per vCPU. Slot c belongs to
 * the stub thread that vCPU c drives: only vCPU c runs user code through
 * it, so threads of one address space on different vCPUs run in parallel,
 * each with its own registers, wake word and kick (tgkill of its tid).
 * Registers, FPU state and the FS base are loaded from the kernel's
 * context at every entry: a slot is a vehicle, the state is the task's.
 *
 * Starting a thread: the kernel sets the slot's bit in hdr.start_req and
 * wakes that word; the stub's main thread (which runs no user code)
 * clones the thread, which reports STUB_REASON_START on its slot.
 *
 * Handshake on a slot: the thread enters its signal handler (a user
 * syscall, fault, exception or a kick), saves the registers, sets state =
 * STUB_REPORTED and waits until the kernel sets state = STUB_GO. It sets
 * state = STUB_BUSY, loads the registers and returns to user code.
 * Only the side that does not own the slot (state) may write it.
 *
 * Mapping ops do not go through slots: the threads that run user code
 * cannot map anything (their seccomp filter has no mapping call), the
 * stub's mapper thread applies them (stub_map.h), and the kernel waits
 * for it before it lets a thread run.
 *
 * Waiting: each side spins on state for a bounded, adaptive time before it
 * sleeps on the futex; before sleeping it sets its *_sleeps flag, and the
 * other side issues FUTEX_WAKE only when it sees that flag (both flags and
 * state are accessed sequentially consistent: either the sleeper sees the
 * new state or the waker sees the flag).
 *
 * Freestanding: included by the stub, which has no libc.
 */
#ifndef HAL_HOSTED_STUB_ABI_H
#define HAL_HOSTED_STUB_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <hal/arch.h>
#include <hal/uctx_x86_64.h>

#include "stub_map.h"

#define STUB_CTX_FD 3  /* memfd of the shared context area */
#define STUB_PHYS_FD 4 /* memfd of physical memory */

/* One slot per vCPU. */
#define STUB_SLOTS HAL_MAX_CPUS
#define STUB_HDR_SIZE 4096ul
#define STUB_SLOT_SIZE (64ul << 10)

/* Where the stub maps the context area: above every user address
 * (HAL_USER_VA_MAX) and below the stub's own text (0x7f8000000000). */
#define STUB_CTX_ADDR 0x7f7ff0000000ul
#define STUB_CTX_SIZE (STUB_HDR_SIZE + STUB_SLOTS * STUB_SLOT_SIZE)

/* The kick signal: SIGUSR2, sent to one stub thread with tgkill. */
#define STUB_SIG_KICK 12

/* The flags of clone for a stub thread (the stub's filter allows clone
 * with exactly these). */
#define STUB_CLONE_FLAGS                                                \
	(0x00000100u /* VM */ | 0x00000200u /* FS */ |                  \
	 0x00000400u /* FILES */ | 0x00000800u /* SIGHAND */ |          \
	 0x00010000u /* THREAD */ | 0x00040000u /* SYSVSEM */ |         \
	 0x01000000u /* CHILD_SETTID */)

enum stub_state {
	STUB_BUSY = 0,     /* the stub runs (user code, or is starting) */
	STUB_REPORTED = 1, /* the stub waits; the kernel owns the slot */
	STUB_GO = 2,       /* the kernel answered; the stub may go on */
};

enum stub_reason {
	STUB_REASON_START = 0,  /* first report: the thread is ready */
	STUB_REASON_SIGNAL = 1, /* user code took signal signo */
};

enum stub_op_kind {
	STUB_OP_MAP = 1,     /* mmap(va, len, prot, SHARED|FIXED, phys, pa) */
	STUB_OP_UNMAP = 2,   /* munmap(va, len) */
	STUB_OP_PROTECT = 3, /* mprotect(va, len, prot) */
};

struct stub_op {
	uint64_t va;
	uint64_t len;
	uint64_t pa;
	uint32_t kind; /* enum stub_op_kind */
	uint32_t prot; /* host PROT_* bits */
};

/* Process-wide part of the context area. */
struct stub_header {
	uint32_t start_req; /* futex: slots whose thread to start (kernel
			     * sets bits, the stub's main thread clears) */
	uint32_t pad;
	/* Written by the kernel before the spawn: how much of the signal
	 * frame's FP area regs.fpu holds (fxsave image only if features is
	 * 0; else the XSAVE area up to fpu_size, for those features). */
	uint32_t fpu_size;
	uint32_t pad2;
	uint64_t fpu_features;
	/* Longest and shortest spin of a stub thread waiting for the
	 * kernel, in TSC ticks (max 0: never spin). Kernel-written. */
	uint64_t spin_max;
	uint64_t spin_min;
};

struct stub_slot {
	uint32_t state;  /* enum stub_state; the futex word */
	uint32_t pad;
	uint32_t kernel_sleeps; /* the kernel sleeps on state: wake it */
	uint32_t stub_sleeps;   /* the stub thread sleeps on state */
	int32_t tid;     /* the thread's host tid (CLONE_CHILD_SETTID) */
	uint32_t reason; /* enum stub_reason, written by the stub */
	int32_t signo;   /* the signal that brought the stub in */
	int32_t code;    /* its si_code */
	uint32_t arch;   /* SIGSYS: si_arch */
	uint32_t pad2;
	uint64_t addr;   /* si_addr (fault address, faulting ip) */
	uint64_t err;    /* the trap's error code (REG_ERR) */
	uint64_t trapno; /* the trap number (REG_TRAPNO) */
	int64_t sysnr;   /* SIGSYS: si_syscall */
	uint64_t fs_base_set; /* FS base the thread last loaded */
	uint64_t spin;        /* the stub thread's current spin budget */
	uint32_t spin_waits;  /* ... and its waits (stub_spin_next) */
	uint32_t kernel_cpu;  /* stub_host_cpu() of each side at its last */
	uint32_t stub_cpu;    /* hand-over: a hint for the other's spin */
	struct hal_uctx regs __attribute__((aligned(64)));
};

_Static_assert(sizeof(struct stub_header) <= STUB_HDR_SIZE,
	       "the header fits its page");
_Static_assert(sizeof(struct stub_slot) <= STUB_SLOT_SIZE,
	       "a slot fits its place");
_Static_assert(STUB_CTX_ADDR + STUB_CTX_SIZE <= STUB_MAP_ADDR &&
		       STUB_MAP_ADDR + STUB_MAP_SIZE <= 0x7f8000000000ul,
	       "the context area, then the mapper's, below the stub's text");
_Static_assert(STUB_CTX_SIZE <= STUB_MAP_OFF,
	       "the mapper's region follows the context area in the memfd");
_Static_assert(sizeof(struct stub_op) == STUB_OP_SIZE &&
		       offsetof(struct stub_op, va) == STUB_OP_VA &&
		       offsetof(struct stub_op, len) == STUB_OP_LEN &&
		       offsetof(struct stub_op, pa) == STUB_OP_PA &&
		       offsetof(struct stub_op, kind) == STUB_OP_KIND &&
		       offsetof(struct stub_op, prot) == STUB_OP_PROT,
	       "stub/mapper.S reads ops with these offsets");
_Static_assert(STUB_MAP_CTX_FD == STUB_CTX_FD &&
		       STUB_MAP_PHYS_FD == STUB_PHYS_FD &&
		       STUB_MAP_VA_LIMIT == HAL_USER_VA_MAX,
	       "stub/mapper.S uses these fds and this limit");
_Static_assert(offsetof(struct stub_map_req, nops) == STUB_MAPREQ_NOPS &&
		       offsetof(struct stub_map_req, kernel_sleeps) ==
			       STUB_MAPREQ_KERNEL_SLEEPS &&
		       offsetof(struct stub_map_req, spin) ==
			       STUB_MAPREQ_SPIN &&
		       sizeof(struct stub_map_req) <= STUB_MAPREQ_OPS &&
		       offsetof(struct stub_map_done, mapper_sleeps) ==
			       STUB_MAPDONE_MAPPER_SLEEPS,
	       "stub/mapper.S reads the request with these offsets");

/* The CPU's time-stamp counter: the spin clock of both sides (the stub
 * has no clock of its own; the kernel converts budgets to ticks). */
static inline uint64_t stub_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * The host CPU this thread runs on, plus one (0: unknown): Linux keeps
 * the CPU number in the low 12 bits of TSC_AUX, which rdtscp reads
 * without a system call. Spinning for a peer that last ran on this very
 * CPU cannot pay: it cannot run while we spin.
 */
static inline uint32_t stub_host_cpu(void)
{
	uint32_t lo, hi, aux;

	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	(void)lo;
	(void)hi;
	return (aux & 0xfff) + 1;
}

/*
 * Spins until *word == want or budget ticks have passed; true if it got
 * there, with the ticks it took in *took. The caller sleeps on the futex
 * after a false.
 */
static inline int stub_spin_until(const uint32_t *word, uint32_t want,
				  uint64_t budget, uint64_t *took)
{
	uint64_t start;

	*took = 0;
	if (__atomic_load_n(word, __ATOMIC_SEQ_CST) == want)
		return 1;
	if (!budget)
		return 0;
	start = stub_rdtsc();
	do {
		__builtin_ia32_pause();
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) == want) {
			*took = stub_rdtsc() - start;
			return 1;
		}
	} while (stub_rdtsc() - start < budget);
	return 0;
}

/*
 * The adaptive spin policy both sides use for their next wait: after a
 * wait that the spin ended in took ticks, twice that plus min (the peer's
 * answer time, learned); after one that had to sleep, half the budget;
 * never below min or above max (max 0 turns spinning off). Every
 * STUB_SPIN_PROBE-th wait spins the full max once, so that a budget worn
 * down on a loaded host grows back when the host is idle again (where a
 * sleeping peer's wake-up costs tens of microseconds). *waits counts.
 */
#define STUB_SPIN_PROBE 64

static inline uint64_t stub_spin_next(uint64_t cur, int spun, uint64_t took,
				      uint64_t min, uint64_t max,
				      uint32_t *waits)
{
	uint64_t next = spun ? 2 * took + min : cur / 2;

	if (!max)
		return 0;
	if (++*waits % STUB_SPIN_PROBE == 0)
		return max;
	if (next < min)
		return min;
	return next > max ? max : next;
}

static inline struct stub_header *stub_hdr(void *area)
{
	return (struct stub_header *)area;
}

static inline struct stub_slot *stub_slot(void *area, unsigned i)
{
	return (struct stub_slot *)((char *)area + STUB_HDR_SIZE +
				    i * STUB_SLOT_SIZE);
}

#endif
