/*
 * libFuzzer harness of riscv64's rt_sigreturn (services/arch/riscv64/
 * sigframe.c, sigframe_restore, with the riscv64 HAL's register set and
 * F/D state, hal/baremetal/riscv64/uctx.c, and the core's uctx_* between
 * them), built for the host: mk/fuzz.mk compiles the three against
 * riscv64's headers into one object whose symbols carry an rv_ prefix,
 * beside the hosted (x86-64) core that gives them user memory. As
 * fuzz_sigframe does for x86-64, the harness has sigframe_setup build a
 * real frame (struct rt_sigframe: siginfo, then the ucontext with
 * sc_regs and the D state in sc_fpregs) on a user stack of an address
 * space of the hosted core, XORs the input into the user memory from
 * the frame's start on (the empty input is the intact frame), and
 * returns from the "handler" through sigframe_restore.
 *
 * Checks beyond "no crash": the answer is 0, -EFAULT or -EINVAL; a
 * refusal leaves the context as it was (registers and F/D state); an
 * accepted frame gives exactly its sc_regs and f[] and an fcsr with only
 * frm and fflags (no reserved bit); the words after the D state, which
 * Linux refuses unless zero (its q.reserved, later sc_extdesc's
 * reserved word and end header), are zero in every frame accepted; the
 * intact frame gives back the context that made it (registers, F/D
 * state, mask, alternate stack, return value); an accepted garbled
 * frame's context goes through a frame of its own and comes back
 * unchanged.
 */
#include "fuzz.h"

/* The riscv64 code under test, by its prefixed names. */
#define sigframe_setup rv_sigframe_setup
#define sigframe_restore rv_sigframe_restore
#define uctx_init rv_uctx_init
#define uctx_get rv_uctx_get
#define uctx_set rv_uctx_set
#define uctx_get_regs rv_uctx_get_regs
#define uctx_set_regs rv_uctx_set_regs

#include <stddef.h>
#include <string.h>

#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include "sched/sched.h"
#include <svc/proc.h>
#include <svc/sigframe.h>
#include <uapi/arch_ucontext.h>

#define AREA_VA 0x10000000ul
#define AREA_LEN (64ul << 10)
#define STACK_TOP (AREA_VA + AREA_LEN - 512)
#define TRAMPOLINE 0x403000ul /* the process's sigreturn trampoline */
#define FCSR_BITS 0xffu       /* frm and fflags */

/* services/arch/riscv64/sigframe.c's frame. */
struct rt_sigframe {
	struct linux_siginfo info;
	struct linux_ucontext uc;
};

#define FP_OFFSET offsetof(struct rt_sigframe, uc.uc_mcontext.sc_fpregs)
/* The union's last 12 bytes: q.reserved[3] (Linux before 6.5), where
 * later ones put sc_extdesc's reserved word and first header. */
#define TAIL_OFFSET \
	(FP_OFFSET + offsetof(union linux_riscv_fp_state, q.reserved))
#define TAIL_LEN 12

static struct vm_space *vs;
static struct proc proc; /* only its trampoline is read */
static uint8_t memory[AREA_LEN];

static void new_space(void)
{
	fuzz_boot_mm();
	vs = vm_space_create();
	FUZZ_CHECK(vs != NULL);
	FUZZ_CHECK(vm_map_zero(vs, AREA_VA, AREA_LEN,
			       HAL_PROT_READ | HAL_PROT_WRITE) == 0);
	fuzz_set_user_space(vs);
	memset(&proc, 0, sizeof(proc));
	proc.sig_trampoline = TRAMPOLINE;
}

static void drop_space(void)
{
	fuzz_set_user_space(NULL);
	vm_space_put(vs);
	vs = NULL;
}

/* A fresh context with distinct registers and F/D state. */
static void fresh_ctx(struct user_ctx *ctx)
{
	struct user_regs r;

	uctx_init(ctx, 0x401000, STACK_TOP);
	uctx_get_regs(ctx, &r);
	r.a0 = 0x1111;
	r.s1 = 0x2222;
	r.t6 = 0x3333;
	FUZZ_CHECK(uctx_set_regs(ctx, &r) == 0);
	for (unsigned i = 0; i < 32; i++)
		ctx->hw.f[i] = 0x3ff0000000000000ull + i;
	ctx->hw.fcsr = 0x65; /* frm 3, fflags NX and OF */
}

static uintptr_t build_frame(struct user_ctx *ctx, uintptr_t sp)
{
	static const struct linux_sigaction act = { .sa_handler = 0x402000 };
	struct linux_siginfo info;
	struct sigframe_args a = {
		.sig = SIGUSR1, .info = &info, .act = &act,
		.saved_mask = 0x5a5a, .uc_stack = { .ss_sp = 0x7000,
						    .ss_size = 8192 },
		.sp = sp,
	};

	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR1;
	FUZZ_CHECK(sigframe_setup(&proc, ctx, &a) == 0);
	/* The handler's arguments and return, as the ABI wants them. */
	FUZZ_CHECK(uctx_get(ctx, UREG_ARG0) == SIGUSR1);
	FUZZ_CHECK(uctx_get(ctx, UREG_IP) == 0x402000);
	return uctx_get(ctx, UREG_SP);
}

/* The handler's return: rt_sigreturn with sp where the frame starts
 * (riscv64's handler returns to the trampoline with sp unchanged). */
static int sigreturn(struct user_ctx *ctx, uintptr_t frame,
		     linux_sigset_t *mask, struct linux_stack *stack,
		     uint64_t *ret)
{
	uctx_set(ctx, UREG_SP, frame);
	return sigframe_restore(&proc, ctx, mask, stack, ret);
}

static void check_round_trip(struct user_ctx *ctx)
{
	struct user_ctx before = *ctx;
	struct linux_stack stack;
	linux_sigset_t mask;
	uint64_t ret;
	uintptr_t at;

	at = build_frame(ctx, STACK_TOP);
	FUZZ_CHECK(sigreturn(ctx, at, &mask, &stack, &ret) == 0);
	FUZZ_CHECK(memcmp(&before.hw, &ctx->hw, sizeof(before.hw)) == 0);
	FUZZ_CHECK(ret == before.hw.regs.a0 && mask == 0x5a5a);
}

/* An accepted frame: its registers and F/D state are the context's. */
static void check_accepted(const struct user_ctx *ctx, uintptr_t at)
{
	const struct rt_sigframe *f =
		(const void *)(memory + (at - AREA_VA));
	static const uint8_t zero[TAIL_LEN];

	FUZZ_CHECK(memcmp(&ctx->hw.regs, &f->uc.uc_mcontext.sc_regs,
			  sizeof(ctx->hw.regs)) == 0);
	FUZZ_CHECK(memcmp(ctx->hw.f, f->uc.uc_mcontext.sc_fpregs.d.f,
			  sizeof(ctx->hw.f)) == 0);
	FUZZ_CHECK(ctx->hw.fcsr == f->uc.uc_mcontext.sc_fpregs.d.fcsr);
	FUZZ_CHECK((ctx->hw.fcsr & ~(uint64_t)FCSR_BITS) == 0);
	FUZZ_CHECK(memcmp(memory + (at - AREA_VA) + TAIL_OFFSET, zero,
			  TAIL_LEN) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct user_ctx ctx, made, before;
	struct linux_stack stack;
	linux_sigset_t mask;
	uintptr_t at;
	size_t off;
	uint64_t ret;
	int r;

	new_space();
	fresh_ctx(&ctx);
	made = ctx;
	at = build_frame(&ctx, STACK_TOP);
	off = at - AREA_VA;
	FUZZ_CHECK(vm_read(vs, AREA_VA, memory, AREA_LEN) == 0);
	for (size_t i = 0; i < size && off + i < AREA_LEN; i++)
		memory[off + i] ^= data[i];
	FUZZ_CHECK(vm_write(vs, AREA_VA, memory, AREA_LEN) == 0);
	uctx_set(&ctx, UREG_SP, at);
	before = ctx;
	r = sigreturn(&ctx, at, &mask, &stack, &ret);
	FUZZ_CHECK(r == 0 || r == -EFAULT || r == -EINVAL);
	if (r) {
		FUZZ_CHECK(memcmp(&ctx, &before, sizeof(ctx)) == 0);
		drop_space();
		return 0;
	}
	check_accepted(&ctx, at);
	if (size == 0) { /* the intact frame: exactly what made it */
		FUZZ_CHECK(memcmp(&made.hw, &ctx.hw, sizeof(made.hw)) == 0);
		FUZZ_CHECK(ret == 0x1111 && mask == 0x5a5a &&
			   stack.ss_sp == 0x7000 && stack.ss_size == 8192);
	}
	check_round_trip(&ctx);
	drop_space();
	return 0;
}
