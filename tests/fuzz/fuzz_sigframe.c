/*
 * libFuzzer harness of rt_sigreturn's whole frame (the services'
 * services/arch/x86_64/sigframe.c, sigframe_restore, as the hosted kernel
 * runs it): a signal frame that user code garbled. For each input, the
 * harness has sigframe_setup build a real frame (a struct rt_sigframe and
 * its XSAVE area) on a user stack of an address space of the hosted core,
 * XORs the input into the user memory from the frame's start on (so the
 * empty input is the intact frame and every mutation a garbling of a real
 * one: the fpstate pointer, the sigcontext, the XSAVE header, past the
 * end), then returns from the "handler" through sigframe_restore. fuzz_uctx
 * covers the register set and the blob on their own; this is the parser
 * that finds them in user memory.
 *
 * Checks beyond "no crash": the answer is 0, -EFAULT or -EINVAL; a
 * refusal leaves the context as it was; the intact frame gives back
 * exactly the context that made it (registers, mask, alternate stack,
 * return value); an accepted garbled frame gives a context that goes
 * through a frame of its own and comes back unchanged.
 */
#include "fuzz.h"

#include <string.h>

#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include "sched/sched.h"
#include <svc/sigframe.h>

#define AREA_VA 0x10000000ul
#define AREA_LEN (64ul << 10)
#define STACK_TOP (AREA_VA + AREA_LEN - 512)

static struct vm_space *vs;
static struct task self; /* the current task: its vm is the user memory */
static uint8_t memory[AREA_LEN];

/* A fresh address space with AREA_LEN of zeroed user memory, the
 * current task's (vs). */
static void new_space(void)
{
	fuzz_boot_mm();
	vs = vm_space_create();
	FUZZ_CHECK(vs != NULL);
	FUZZ_CHECK(vm_map_zero(vs, AREA_VA, AREA_LEN,
			       HAL_PROT_READ | HAL_PROT_WRITE) == 0);
	self.vm = vs;
	this_cpu()->current = &self;
}

static void drop_space(void)
{
	this_cpu()->current = NULL;
	self.vm = NULL;
	vm_space_put(vs);
	vs = NULL;
}

/* A fresh context with distinct registers, as a process would have. */
static void fresh_ctx(struct user_ctx *ctx)
{
	struct user_regs r;

	uctx_init(ctx, 0x401000, STACK_TOP);
	uctx_get_regs(ctx, &r);
	r.rax = 0x1111;
	r.rbx = 0x2222;
	r.r15 = 0x3333;
	FUZZ_CHECK(uctx_set_regs(ctx, &r) == 0);
}

/* Builds a SIGUSR1 frame for ctx below sp; returns where it starts (the
 * stack pointer the handler gets). */
static uintptr_t build_frame(struct user_ctx *ctx, uintptr_t sp)
{
	static const struct linux_sigaction act = {
		.sa_handler = 0x402000, .sa_flags = SA_RESTORER,
		.sa_restorer = 0x403000,
	};
	struct linux_siginfo info;
	struct sigframe_args a = {
		.sig = SIGUSR1, .info = &info, .act = &act,
		.saved_mask = 0x5a5a, .uc_stack = { .ss_sp = 0x7000,
						    .ss_size = 8192 },
		.sp = sp,
	};

	memset(&info, 0, sizeof(info));
	info.si_signo = SIGUSR1;
	FUZZ_CHECK(sigframe_setup(NULL, ctx, &a) == 0);
	return uctx_get(ctx, UREG_SP);
}

/* The handler's return: rt_sigreturn with sp just past pretcode. */
static int sigreturn(struct user_ctx *ctx, uintptr_t frame,
		     linux_sigset_t *mask, struct linux_stack *stack,
		     uint64_t *ret)
{
	uctx_set(ctx, UREG_SP, frame + 8);
	return sigframe_restore(NULL, ctx, mask, stack, ret);
}

static void regs_of(const struct user_ctx *ctx, struct user_regs *r)
{
	memset(r, 0, sizeof(*r));
	uctx_get_regs(ctx, r);
}

/* An accepted context goes through a frame of its own unchanged. */
static void check_round_trip(struct user_ctx *ctx)
{
	struct user_regs before, after;
	struct linux_stack stack;
	linux_sigset_t mask;
	uint64_t ret;
	uintptr_t at;

	regs_of(ctx, &before);
	at = build_frame(ctx, STACK_TOP);
	FUZZ_CHECK(sigreturn(ctx, at, &mask, &stack, &ret) == 0);
	regs_of(ctx, &after);
	FUZZ_CHECK(memcmp(&before, &after, sizeof(before)) == 0);
	FUZZ_CHECK(ret == before.rax && mask == 0x5a5a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct user_ctx ctx, made, before;
	struct user_regs want, got;
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
	uctx_set(&ctx, UREG_SP, at + 8);
	before = ctx;
	r = sigreturn(&ctx, at, &mask, &stack, &ret);
	FUZZ_CHECK(r == 0 || r == -EFAULT || r == -EINVAL);
	if (r) {
		FUZZ_CHECK(memcmp(&ctx, &before, sizeof(ctx)) == 0);
		drop_space();
		return 0;
	}
	if (size == 0) { /* the intact frame: exactly what made it */
		regs_of(&made, &want);
		regs_of(&ctx, &got);
		FUZZ_CHECK(memcmp(&want, &got, sizeof(want)) == 0);
		FUZZ_CHECK(ret == 0x1111 && mask == 0x5a5a &&
			   stack.ss_sp == 0x7000 && stack.ss_size == 8192);
	}
	check_round_trip(&ctx);
	drop_space();
	return 0;
}
