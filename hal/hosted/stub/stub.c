/*
 * The stub process of the hosted backend: one per user address space, it
 * is the host process in which that space's user code runs. It has no
 * libc: raw system calls only, all issued from its own text, which its
 * seccomp filter lets through while every system call from anywhere else
 * (user code) traps as SIGSYS.
 *
 * Every way out of user code is a signal: SIGSYS (a system call), SIGSEGV
 * (a page fault, or a protection fault), SIGBUS, SIGILL, SIGFPE, SIGTRAP
 * (exceptions) and the kick signal (an interrupt, sent by the kernel). The
 * one handler saves the user registers into the context page shared with
 * the kernel, reports, waits for the kernel's answer, applies the queued
 * mapping operations and loads the (possibly new) registers into the
 * signal frame, so that returning from the handler resumes user code. The
 * stub starts user code the same way: it kicks itself.
 *
 * The stub never touches user memory. The protocol is in ../stub_abi.h.
 *
 *   keel-stub PARENT_PID     (fds 3 and 4 inherited, see stub_abi.h)
 */
/* Position-independent code linked at a fixed high address: every symbol
 * is local to the binary, so references are plain RIP-relative. */
#pragma GCC visibility push(hidden)

#include "../stub_abi.h"

#include <asm/prctl.h>
#include <asm/sigcontext.h>
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <stddef.h>

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

/* The fxsave image and XSAVE area inside the signal frame. */
#define FX_MXCSR_MASK 28   /* kept from the frame */
#define FX_LEGACY_SIZE 416 /* x87 + MXCSR + XMM0-15 */
#define FX_SW_MAGIC 464    /* struct _fpx_sw_bytes.magic1 */
#define FX_SW_XSTATE_SIZE 480
#define XSAVE_XSTATE_BV 512
#define XSAVE_EXTENDED 576 /* after the XSAVE header */

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

struct k_stack {
	void *sp;
	int flags;
	int pad;
	size_t size;
};

struct k_ucontext {
	unsigned long flags;
	struct k_ucontext *link;
	struct k_stack stack;
	struct sigcontext mc;
	uint64_t sigmask;
};

void stub_main(uint64_t *sp);
void stub_restorer(void);
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

extern const char __executable_start[], etext[];

#define SHARED ((struct stub_shared *)STUB_CTX_ADDR)

static const int trapped_signals[] = {
	K_SIGSYS, K_SIGSEGV, K_SIGBUS, K_SIGILL, K_SIGFPE, K_SIGTRAP,
	STUB_SIG_KICK,
};

static char altstack[64 << 10] __attribute__((aligned(16)));
static int started;
static uint64_t fs_loaded;

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
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

#define sys3(nr, a, b, c) sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

void *memcpy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	char *d = dst;

	while (n--)
		*d++ = (char)c;
	return dst;
}

static __attribute__((noreturn)) void stub_exit(int code)
{
	for (;;)
		sys3(__NR_exit_group, code, 0, 0);
}

static void futex_wake(uint32_t *word)
{
	sys6(__NR_futex, (long)word, FUTEX_WAKE, 1, 0, 0, 0);
}

static void futex_wait(uint32_t *word, uint32_t val)
{
	sys6(__NR_futex, (long)word, FUTEX_WAIT, val, 0, 0, 0);
}

/* Hands the page to the kernel and waits for its answer. */
static void report_and_wait(struct stub_shared *sh)
{
	__atomic_store_n(&sh->state, STUB_REPORTED, __ATOMIC_SEQ_CST);
	futex_wake(&sh->state);
	while (__atomic_load_n(&sh->state, __ATOMIC_SEQ_CST) != STUB_GO)
		futex_wait(&sh->state, STUB_REPORTED);
	__atomic_store_n(&sh->state, STUB_BUSY, __ATOMIC_SEQ_CST);
}

static long apply_op(const struct stub_op *op)
{
	long r;

	if (op->va >= HAL_USER_VA_MAX || op->len > HAL_USER_VA_MAX - op->va)
		return -22; /* EINVAL: never let a mapping cover the stub */
	switch (op->kind) {
	case STUB_OP_MAP:
		r = sys6(__NR_mmap, (long)op->va, (long)op->len, op->prot,
			 MAP_SHARED | MAP_FIXED, STUB_PHYS_FD, (long)op->pa);
		return r == (long)op->va ? 0 : r;
	case STUB_OP_UNMAP:
		return sys3(__NR_munmap, op->va, op->len, 0);
	case STUB_OP_PROTECT:
		return sys3(__NR_mprotect, op->va, op->len, op->prot);
	default:
		return -22;
	}
}

static void apply_ops(struct stub_shared *sh)
{
	uint32_t n = sh->nops;

	if (n > STUB_MAX_OPS)
		n = STUB_MAX_OPS;
	for (uint32_t i = 0; i < n; i++) {
		long r = apply_op(&sh->ops[i]);

		if (r < 0 && !sh->op_err) {
			sh->op_err = r;
			sh->op_va = sh->ops[i].va;
		}
	}
	sh->nops = 0;
}

/* Does the frame's FP area hold an XSAVE area of at least size bytes? */
static int frame_has_xsave(const char *fx, uint32_t size)
{
	uint32_t magic, xsize;

	memcpy(&magic, fx + FX_SW_MAGIC, sizeof(magic));
	memcpy(&xsize, fx + FX_SW_XSTATE_SIZE, sizeof(xsize));
	return magic == FP_XSTATE_MAGIC1 && xsize >= size;
}

static uint64_t load_bv(const char *area)
{
	uint64_t bv;

	memcpy(&bv, area + XSAVE_XSTATE_BV, sizeof(bv));
	return bv;
}

/* The frame's FP state into r: the legacy image, and with XSAVE the
 * header and extended state up to the size the kernel keeps. */
static void save_fpu(struct hal_uctx *r, const struct k_ucontext *uc)
{
	const struct stub_shared *sh = SHARED;
	const char *fx = (const char *)uc->mc.fpstate;
	uint64_t bv;

	if (!fx)
		return;
	memcpy(r->fpu, fx, FX_LEGACY_SIZE);
	if (!sh->fpu_features)
		return;
	if (frame_has_xsave(fx, sh->fpu_size)) {
		memcpy(r->fpu + XSAVE_XSTATE_BV, fx + XSAVE_XSTATE_BV,
		       sh->fpu_size - XSAVE_XSTATE_BV);
		bv = load_bv(fx) & sh->fpu_features;
	} else {
		bv = 3; /* only x87 and SSE came */
	}
	memset(r->fpu + XSAVE_XSTATE_BV, 0, XSAVE_EXTENDED - XSAVE_XSTATE_BV);
	memcpy(r->fpu + XSAVE_XSTATE_BV, &bv, sizeof(bv));
}

static void save_regs(struct hal_uctx *r, const struct k_ucontext *uc)
{
	const struct sigcontext *mc = &uc->mc;

#define SAVE_GPR(name) r->name = mc->name;
	HAL_X86_64_GPRS(SAVE_GPR)
#undef SAVE_GPR
	r->fs_base = fs_loaded;
	save_fpu(r, uc);
}

/*
 * r's FP state into the frame. The frame's software bytes (its format)
 * stay as the host wrote them; state of features the kernel does not
 * keep stays as the frame has it. x87 and SSE are always marked present:
 * else sigreturn would reset them and ignore what we wrote.
 */
static void load_fpu(const struct hal_uctx *r, struct k_ucontext *uc)
{
	const struct stub_shared *sh = SHARED;
	char *fx = (char *)uc->mc.fpstate;
	uint32_t magic;
	uint64_t bv;

	if (!fx)
		return;
	memcpy(fx, r->fpu, FX_MXCSR_MASK);
	memcpy(fx + FX_MXCSR_MASK + 4, r->fpu + FX_MXCSR_MASK + 4,
	       FX_LEGACY_SIZE - FX_MXCSR_MASK - 4);
	memcpy(&magic, fx + FX_SW_MAGIC, sizeof(magic));
	if (magic != FP_XSTATE_MAGIC1)
		return;
	bv = load_bv(fx) | 3;
	if (sh->fpu_features && frame_has_xsave(fx, sh->fpu_size)) {
		bv = (bv & ~sh->fpu_features) |
		     (load_bv((const char *)r->fpu) & sh->fpu_features) | 3;
		memcpy(fx + XSAVE_EXTENDED, r->fpu + XSAVE_EXTENDED,
		       sh->fpu_size - XSAVE_EXTENDED);
	}
	memcpy(fx + XSAVE_XSTATE_BV, &bv, sizeof(bv));
}

static void load_regs(const struct hal_uctx *r, struct k_ucontext *uc)
{
	struct sigcontext *mc = &uc->mc;

#define LOAD_GPR(name) mc->name = r->name;
	HAL_X86_64_GPRS(LOAD_GPR)
#undef LOAD_GPR
	load_fpu(r, uc);
	if (r->fs_base != fs_loaded) {
		/* The kernel sanitised nothing here: a bad base makes this
		 * fail and user code fault on its first %fs access. */
		sys3(__NR_arch_prctl, ARCH_SET_FS, r->fs_base, 0);
		fs_loaded = r->fs_base;
	}
	SHARED->fs_base_set = fs_loaded;
}

static void stub_handler(int sig, struct k_siginfo *si, struct k_ucontext *uc)
{
	struct stub_shared *sh = SHARED;

	/* User code may have set AC (alignment checking) and Linux keeps it
	 * in the handler: the stub's own accesses must not trip on it. */
	__asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq"
			 ::: "memory", "cc");
	if (started) {
		save_regs(&sh->regs, uc);
		sh->reason = STUB_REASON_SIGNAL;
		sh->signo = sig;
		sh->code = si->code;
		sh->addr = si->u.addr;
		sh->err = uc->mc.err;
		sh->trapno = uc->mc.trapno;
		sh->sysnr = sig == K_SIGSYS ? si->u.sys.nr : -1;
		sh->arch = sig == K_SIGSYS ? si->u.sys.arch : 0;
	} else {
		started = 1;
		sh->reason = STUB_REASON_START;
	}
	for (;;) {
		report_and_wait(sh);
		apply_ops(sh);
		/* After a failed op, user code must not run on mappings that
		 * differ from the kernel's page tables. */
		if (sh->cmd != STUB_CMD_SYNC && !sh->op_err)
			break;
		sh->reason = STUB_REASON_SYNCED;
	}
	load_regs(&sh->regs, uc);
}

/* One allowed system call number: ALLOW if nr matches, else go on. */
#define ALLOW_NR(nr)                                                    \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),                \
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/*
 * Traps every system call whose ip is outside [text_lo, text_hi] (the user
 * program's). From the stub's own text only its trap path and mapping ops
 * pass: futex (the handshake), rt_sigreturn, arch_prctl (FS base), mmap,
 * munmap and mprotect (the op queue), getpid and tgkill (the first kick),
 * exit_group; anything else kills the stub, so that code jumping into its
 * text cannot open, exec or connect either.
 */
static void install_filter(void)
{
	uint64_t lo = (uint64_t)__executable_start, hi = (uint64_t)etext;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) +
				 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(lo >> 32), 1,
			 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)lo, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)hi, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		ALLOW_NR(__NR_futex),
		ALLOW_NR(__NR_rt_sigreturn),
		ALLOW_NR(__NR_arch_prctl),
		ALLOW_NR(__NR_mmap),
		ALLOW_NR(__NR_munmap),
		ALLOW_NR(__NR_mprotect),
		ALLOW_NR(__NR_getpid),
		ALLOW_NR(__NR_tgkill),
		ALLOW_NR(__NR_exit_group),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if ((lo >> 32) != (hi >> 32))
		stub_exit(125); /* the filter compares one 4 GiB window */
	if (sys3(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0) != 0 ||
	    sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		stub_exit(124);
}

static void install_handlers(void)
{
	struct k_stack ss = { altstack, 0, 0, sizeof(altstack) };
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
	if (sys3(__NR_sigaltstack, &ss, 0, 0) != 0)
		stub_exit(123);
	for (size_t i = 0; i < sizeof(trapped_signals) / sizeof(int); i++)
		if (sys6(__NR_rt_sigaction, trapped_signals[i], (long)&sa, 0,
			 8, 0, 0) != 0)
			stub_exit(122);
	/* Nothing else (terminal signals, say) reaches the stub. */
	sys6(__NR_rt_sigprocmask, K_SIG_SETMASK, (long)&only_traps, 0, 8, 0,
	     0);
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
	long pid;

	/* Die with the kernel, even if it dies before the next line. */
	sys3(__NR_prctl, PR_SET_PDEATHSIG, K_SIGKILL, 0);
	if (parent <= 0 || sys3(__NR_getppid, 0, 0, 0) != parent)
		stub_exit(127);
	if (sys6(__NR_mmap, STUB_CTX_ADDR, STUB_CTX_SIZE,
		 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, STUB_CTX_FD,
		 0) != (long)STUB_CTX_ADDR)
		stub_exit(126);
	/* User programs own everything below HAL_USER_VA_MAX, including
	 * where the host may have put the vDSO. */
	sys3(__NR_munmap, 0, HAL_USER_VA_MAX, 0);
	install_handlers();
	install_filter();
	/* Enter the handler the same way every later entry does. */
	pid = sys3(__NR_getpid, 0, 0, 0);
	sys3(__NR_tgkill, pid, pid, STUB_SIG_KICK);
	stub_exit(121); /* not reached: the handler returns into user code */
}
