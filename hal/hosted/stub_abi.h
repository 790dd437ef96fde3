/*
 * The contract between the hosted kernel (stub_host.c) and the stub
 * process (stub/stub.c) that runs one address space's user code: the
 * layout of the shared context page, the fds the stub inherits and the
 * handshake on the page's state word.
 *
 * Handshake: the stub enters its signal handler (a user syscall, fault,
 * exception or a kick), saves the registers, sets state = STUB_REPORTED
 * and futex-wakes the kernel, then waits until the kernel sets state =
 * STUB_GO. It sets state = STUB_BUSY, applies the queued mapping ops and,
 * for STUB_CMD_RUN, loads the registers and returns to user code; for
 * STUB_CMD_SYNC, or when an op failed, it reports again at once (reason
 * STUB_REASON_SYNCED, op_err set).
 * Only the side that does not own the page (state) may write it.
 *
 * Freestanding: included by the stub, which has no libc.
 */
#ifndef HAL_HOSTED_STUB_ABI_H
#define HAL_HOSTED_STUB_ABI_H

#include <stdint.h>
#include <hal/uctx_x86_64.h>

#define STUB_CTX_FD 3  /* memfd of the shared context page */
#define STUB_PHYS_FD 4 /* memfd of physical memory */

/* Where the stub maps the context page: above every user address
 * (HAL_USER_VA_MAX) and below the stub's own text (0x7f8000000000). */
#define STUB_CTX_ADDR 0x7f7ff0000000ul
#define STUB_CTX_SIZE (64ul << 10)

/* The kick signal: SIGUSR2 in the stub process. */
#define STUB_SIG_KICK 12

enum stub_state {
	STUB_BUSY = 0,     /* the stub runs (user code, or is starting) */
	STUB_REPORTED = 1, /* the stub waits; the kernel owns the page */
	STUB_GO = 2,       /* the kernel answered; the stub may go on */
};

enum stub_cmd {
	STUB_CMD_RUN = 0,  /* apply ops, load registers, run user code */
	STUB_CMD_SYNC = 1, /* apply ops, report STUB_REASON_SYNCED */
};

enum stub_reason {
	STUB_REASON_START = 0,  /* first report: the stub is ready */
	STUB_REASON_SIGNAL = 1, /* user code took signal signo */
	STUB_REASON_SYNCED = 2, /* ops applied, nothing ran */
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

struct stub_shared {
	uint32_t state;  /* enum stub_state; the futex word */
	uint32_t cmd;    /* enum stub_cmd, written by the kernel */
	uint32_t reason; /* enum stub_reason, written by the stub */
	int32_t signo;   /* the signal that brought the stub in */
	int32_t code;    /* its si_code */
	uint32_t arch;   /* SIGSYS: si_arch */
	uint64_t addr;   /* si_addr (fault address, faulting ip) */
	uint64_t err;    /* the trap's error code (REG_ERR) */
	uint64_t trapno; /* the trap number (REG_TRAPNO) */
	int64_t sysnr;   /* SIGSYS: si_syscall */
	int64_t op_err;  /* first failed op: -errno, else 0 */
	uint64_t op_va;  /* ... and its address */
	uint32_t nops;   /* queued ops, applied and cleared by the stub */
	uint32_t pad;
	uint64_t fs_base_set; /* FS base the stub last loaded */
	/* Written by the kernel before the spawn: how much of the signal
	 * frame's FP area regs.fpu holds (fxsave image only if features is
	 * 0; else the XSAVE area up to fpu_size, for those features). */
	uint32_t fpu_size;
	uint32_t pad2;
	uint64_t fpu_features;
	struct hal_uctx regs __attribute__((aligned(64)));
	struct stub_op ops[] __attribute__((aligned(64)));
};

#define STUB_MAX_OPS                                                    \
	((STUB_CTX_SIZE - sizeof(struct stub_shared)) / sizeof(struct stub_op))

#endif
