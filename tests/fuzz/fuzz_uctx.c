/*
 * libFuzzer harness of what rt_sigreturn trusts least: a register set and
 * an FPU-state blob taken from a signal frame user code wrote (the
 * x86-64 HAL's hal_uctx_set_regs and hal_uctx_fpu_restore,
 * hal/shared/uctx_x86_64.c, as the hosted kernel runs them; the services'
 * sigframe code copies the frame in and hands over exactly these). The
 * input is a struct hal_uregs followed by a blob of hal_uctx_fpu_size()
 * bytes (shorter inputs are padded with zeros).
 *
 * Checks beyond "no crash": each answer is 0 or -EINVAL; a refusal leaves
 * the context as it was; an accepted register set is what get_regs gives
 * back, with user selectors, IF set, no privileged rflags bit and
 * canonical user addresses; an accepted blob is one this CPU loads:
 * the harness restores it with xrstor (fxrstor without XSAVE) on its own
 * thread, which raises #GP (a crash here) for what the CPU refuses, and
 * what fpu_save then writes is accepted again.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hal/hal.h>
#include <keel/errno.h>
#include "../../hal/shared/uctx_x86_64.h"

#define RFLAGS_IF 0x200ull
#define RFLAGS_PRIVILEGED 0x3000ull /* IOPL */
#define USER_ADDR_END 0x0000800000000000ull

/* The harness's own FPU state while a fuzzed one is tried. */
static uint8_t own[HAL_UCTX_FPU_MAX] __attribute__((aligned(64)));
static uint8_t trial[HAL_UCTX_FPU_MAX + 64] __attribute__((aligned(64)));

static void cpu_save(void *area, uint64_t features)
{
	if (features)
		__asm__ volatile("xsave (%0)"
				 :
				 : "r"(area), "a"((uint32_t)features),
				   "d"((uint32_t)(features >> 32))
				 : "memory");
	else
		__asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
}

static void cpu_restore(const void *area, uint64_t features)
{
	if (features)
		__asm__ volatile("xrstor (%0)"
				 :
				 : "r"(area), "a"((uint32_t)features),
				   "d"((uint32_t)(features >> 32))
				 : "memory");
	else
		__asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

/* Loads blob into this CPU as the stub would, then puts ours back. */
static void cpu_loads(const uint8_t *blob, const struct x86_uctx_machine *m)
{
	memcpy(trial, blob, m->fpu_size);
	cpu_save(own, m->features);
	cpu_restore(trial, m->features);
	cpu_restore(own, m->features);
}

static void check_regs(const struct hal_uregs *in)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();
	struct hal_uctx ctx, before;
	struct hal_uregs out;
	int r;

	hal_uctx_init(&ctx, 0x400000, 0x7ffffff000);
	before = ctx;
	r = hal_uctx_set_regs(&ctx, in);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r) {
		FUZZ_CHECK(memcmp(&ctx, &before, sizeof(ctx)) == 0);
		return;
	}
	hal_uctx_get_regs(&ctx, &out);
	FUZZ_CHECK(out.rip == in->rip && out.rsp == in->rsp &&
		   out.rax == in->rax);
	FUZZ_CHECK(out.cs == m->user_cs && out.ss == m->user_ss);
	FUZZ_CHECK(!out.ds && !out.es && !out.fs && !out.gs);
	FUZZ_CHECK((out.eflags & RFLAGS_IF) &&
		   !(out.eflags & RFLAGS_PRIVILEGED));
	FUZZ_CHECK(out.rip < USER_ADDR_END && out.fs_base < USER_ADDR_END &&
		   out.gs_base < USER_ADDR_END);
}

static void check_blob(const uint8_t *blob)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();
	size_t size = hal_uctx_fpu_size();
	struct hal_uctx ctx, before;
	uint8_t *again = malloc(size);
	int r;

	FUZZ_CHECK(again != NULL);
	hal_uctx_init(&ctx, 0x400000, 0x7ffffff000);
	before = ctx;
	r = hal_uctx_fpu_restore(&ctx, blob);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r) {
		FUZZ_CHECK(memcmp(&ctx, &before, sizeof(ctx)) == 0);
		free(again);
		return;
	}
	cpu_loads(ctx.fpu, m);
	hal_uctx_fpu_save(&ctx, again);
	FUZZ_CHECK(hal_uctx_fpu_restore(&before, again) == 0);
	free(again);
}

/*
 * With FUZZ_UCTX_SEED=PATH in the environment, writes a seed for this
 * machine there first: a fresh context's registers and the blob fpu_save
 * makes of it (the blob's sizes and features are the CPU's own, so a
 * fixed seed file could not be valid on every machine). gen-seeds and a
 * campaign on a new machine use it.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("FUZZ_UCTX_SEED");
	size_t size = hal_uctx_fpu_size();
	struct hal_uctx ctx;
	struct hal_uregs regs;
	uint8_t *blob;
	FILE *f;

	(void)argc;
	(void)argv;
	if (!path)
		return 0;
	blob = calloc(1, size);
	f = fopen(path, "wb");
	FUZZ_CHECK(blob != NULL && f != NULL);
	hal_uctx_init(&ctx, 0x401000, 0x7ffffff000);
	hal_uctx_get_regs(&ctx, &regs);
	hal_uctx_fpu_save(&ctx, blob);
	FUZZ_CHECK(fwrite(&regs, sizeof(regs), 1, f) == 1 &&
		   fwrite(blob, size, 1, f) == 1 && fclose(f) == 0);
	free(blob);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t blob_size = hal_uctx_fpu_size();
	size_t need = sizeof(struct hal_uregs) + blob_size;
	/* Exactly sized (ASan sees a read past it), zero-padded. */
	uint8_t *in = calloc(1, need);
	struct hal_uregs regs;

	FUZZ_CHECK(in != NULL && blob_size <= HAL_UCTX_FPU_MAX + 64);
	memcpy(in, data, size < need ? size : need);
	memcpy(&regs, in, sizeof(regs));
	check_regs(&regs);
	check_blob(in + sizeof(regs));
	free(in);
	return 0;
}
