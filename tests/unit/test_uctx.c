/*
 * Unit tests of the x86-64 user register file (hal/shared/uctx_x86_64.c
 * with the hosted machine description, and core/sched/user.c over it),
 * without running user code: the state a fresh context starts in, what
 * set_regs refuses (with nothing changed) and accepts, copying, system
 * call restart, the FPU blob's format and every corruption restore must
 * refuse, and the FPE_* codes of x87 and SIMD exceptions. Running user
 * code with these is in test_stub.c and the uctx ktests.
 */
#include "unit.h"

#include <string.h>

#include "sched/sched.h"
#include "../../hal/shared/uctx_x86_64.h"

#include <keel/errno.h>
#include <keel/user.h>

#define HOST_USER_CS 0x33
#define HOST_USER_SS 0x2b
#define BLOB_MAX (HAL_UCTX_FPU_MAX + 4)

static struct user_ctx ctx, saved;
static uint8_t blob[BLOB_MAX], bad[BLOB_MAX];

static void fresh(void)
{
	unit_boot_mm();
	uctx_init(&ctx, 0x401000, 0x7ff000);
}

static uint32_t word32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

START_TEST(fresh_context_is_what_a_linux_process_starts_with)
{
	struct user_regs r;
	uint16_t fcw;

	fresh();
	uctx_get_regs(&ctx, &r);
	ck_assert_uint_eq(r.rip, 0x401000);
	ck_assert_uint_eq(r.rsp, 0x7ff000);
	ck_assert_uint_eq(r.cs, HOST_USER_CS);
	ck_assert_uint_eq(r.ss, HOST_USER_SS);
	ck_assert_uint_eq(r.eflags, 0x202); /* IF and bit 1 */
	ck_assert_uint_eq(r.orig_rax, (uint64_t)-1);
	ck_assert_uint_eq(r.rax | r.rbx | r.rdi | r.r15 | r.fs_base, 0);
	memcpy(&fcw, ctx.hw.fpu + FX_FCW, sizeof(fcw));
	ck_assert_uint_eq(fcw, 0x37f);
	ck_assert_uint_eq(word32(ctx.hw.fpu, FX_MXCSR), 0x1f80);
	/* What get reports, set accepts. */
	ck_assert_int_eq(uctx_set_regs(&ctx, &r), 0);
}
END_TEST

START_TEST(set_regs_reaches_the_named_registers)
{
	struct user_regs r;

	fresh();
	uctx_get_regs(&ctx, &r);
	r.rdi = 1, r.rsi = 2, r.rdx = 3, r.r10 = 4, r.r8 = 5, r.r9 = 6;
	r.rax = 60, r.fs_base = 0x7000;
	r.eflags = 0x202 | 0x1 | 0x400 | 0x40000 | 0x200000 | 0x10000;
	ck_assert_int_eq(uctx_set_regs(&ctx, &r), 0);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_ARG0), 1);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_ARG3), 4);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_ARG5), 6);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_SYSNR), 60);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_TLS), 0x7000);
	uctx_get_regs(&ctx, &r);
	ck_assert_uint_eq(r.eflags, 0x250603); /* CF DF RF AC ID kept */
}
END_TEST

/* Every field a set may not change, with a value user code could not
 * have made; each must be refused with the context untouched. */
START_TEST(set_regs_refuses_what_user_code_cannot_set)
{
	static const struct {
		size_t off;
		uint64_t value;
	} cases[] = {
		{ offsetof(struct user_regs, eflags), 0x3202 },   /* IOPL 3 */
		{ offsetof(struct user_regs, eflags), 0x0002 },   /* IF clear */
		{ offsetof(struct user_regs, eflags), 0x4202 },   /* NT */
		{ offsetof(struct user_regs, eflags), 0x20202 },  /* VM */
		{ offsetof(struct user_regs, eflags), 0x80202 },  /* VIF */
		{ offsetof(struct user_regs, eflags), 0x100202 }, /* VIP */
		{ offsetof(struct user_regs, eflags), 0x20a },    /* reserved */
		{ offsetof(struct user_regs, eflags), 1ull << 32 | 0x202 },
		{ offsetof(struct user_regs, cs), 0x08 },         /* kernel */
		{ offsetof(struct user_regs, cs), 0x23 },         /* 32-bit */
		{ offsetof(struct user_regs, ss), 0x10 },
		{ offsetof(struct user_regs, ds), 0x2b },
		{ offsetof(struct user_regs, es), 0x2b },
		{ offsetof(struct user_regs, fs), 0x33 },
		{ offsetof(struct user_regs, gs), 0x2b },
		{ offsetof(struct user_regs, rip), 0x800000000000ull },
		{ offsetof(struct user_regs, rip), 0xffffffff80000000ull },
		{ offsetof(struct user_regs, fs_base), 0xffff800000000000ull },
		{ offsetof(struct user_regs, gs_base), 0x0000800000000000ull },
	};
	struct user_regs good, r;

	fresh();
	uctx_get_regs(&ctx, &good);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = good;
		memcpy((char *)&r + cases[i].off, &cases[i].value, 8);
		saved = ctx;
		ck_assert_msg(uctx_set_regs(&ctx, &r) == -EINVAL,
			      "case %zu accepted", i);
		ck_assert(memcmp(&saved, &ctx, sizeof(ctx)) == 0);
	}
	/* The highest user addresses are fine. */
	r = good;
	r.rip = r.fs_base = r.gs_base = 0x7fffffffffffull;
	ck_assert_int_eq(uctx_set_regs(&ctx, &r), 0);
}
END_TEST

START_TEST(copy_takes_registers_and_fpu_state)
{
	static struct user_ctx copy;
	struct user_regs r;

	fresh();
	uctx_set(&ctx, UREG_ARG2, 77);
	hal_uctx_fpu_save(&ctx.hw, blob);
	blob[160] = 0x5a; /* xmm0 */
	ck_assert_int_eq(hal_uctx_fpu_restore(&ctx.hw, blob), 0);
	memset(&copy, 0xff, sizeof(copy));
	uctx_copy(&copy, &ctx);
	uctx_get_regs(&copy, &r);
	ck_assert_uint_eq(r.rdx, 77);
	ck_assert_uint_eq(r.rip, 0x401000);
	hal_uctx_fpu_save(&copy.hw, bad);
	ck_assert(memcmp(blob, bad, hal_uctx_fpu_size()) == 0);
	uctx_copy(&ctx, &ctx); /* onto itself: nothing happens */
	ck_assert_uint_eq(uctx_get(&ctx, UREG_ARG2), 77);
}
END_TEST

START_TEST(syscall_restart_rewinds_once)
{
	fresh();
	ck_assert_int_eq(uctx_syscall_restart(&ctx), -EINVAL); /* fresh */
	/* As the HAL leaves a context stopped at getpid. */
	uctx_set(&ctx, UREG_SYSNR, 39);
	x86_uctx_trapped(&ctx.hw, true);
	uctx_set(&ctx, UREG_IP, 0x401002);
	uctx_set(&ctx, UREG_RET, (uint64_t)-512);
	ck_assert_int_eq(uctx_syscall_restart(&ctx), 0);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_IP), 0x401000);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_SYSNR), 39);
	ck_assert_int_eq(uctx_syscall_restart(&ctx), -EINVAL); /* once */
	/* Any other trap leaves nothing to restart. */
	x86_uctx_trapped(&ctx.hw, false);
	ck_assert_int_eq(uctx_syscall_restart(&ctx), -EINVAL);
	/* Nor does an ip that cannot be past a syscall instruction. */
	uctx_set(&ctx, UREG_IP, 1);
	x86_uctx_trapped(&ctx.hw, true);
	ck_assert_int_eq(uctx_syscall_restart(&ctx), -EINVAL);
}
END_TEST

/* ---- The FPU blob -------------------------------------------------------- */

START_TEST(blob_has_the_signal_frame_format)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();
	size_t size = uctx_fpu_size();

	fresh();
	ck_assert_uint_le(size, BLOB_MAX);
	hal_uctx_fpu_save(&ctx.hw, blob);
	ck_assert_uint_eq(word32(blob, FX_MXCSR), 0x1f80);
	if (!m->features) {
		ck_assert_uint_eq(size, FX_SIZE);
		return;
	}
	ck_assert_uint_eq(size, m->fpu_size + 4);
	ck_assert_uint_eq(word32(blob, 464), 0x46505853); /* FP_XSTATE_MAGIC1 */
	ck_assert_uint_eq(word32(blob, 468), size);       /* extended_size */
	ck_assert_uint_eq(word32(blob, 480), m->fpu_size); /* xstate_size */
	ck_assert_uint_eq(word32(blob, m->fpu_size), 0x46505845); /* MAGIC2 */
	ck_assert_uint_eq(word32(blob, 512) & 3, 3); /* x87, SSE live */
	ck_assert_int_eq(hal_uctx_fpu_restore(&ctx.hw, blob), 0);
}
END_TEST

/* Flips bits at off in a good blob; restore must refuse and change
 * nothing. */
static void expect_refused(size_t off, uint32_t xor)
{
	uint32_t v;

	memcpy(bad, blob, sizeof(bad));
	memcpy(&v, bad + off, sizeof(v));
	v ^= xor;
	memcpy(bad + off, &v, sizeof(v));
	saved = ctx;
	ck_assert_msg(hal_uctx_fpu_restore(&ctx.hw, bad) == -EINVAL,
		      "0x%x at %zu accepted", xor, off);
	ck_assert(memcmp(&saved, &ctx, sizeof(ctx)) == 0);
}

START_TEST(corrupt_blobs_are_refused)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();

	fresh();
	hal_uctx_fpu_save(&ctx.hw, blob);
	expect_refused(FX_MXCSR, 1u << 31); /* reserved MXCSR bits */
	expect_refused(FX_MXCSR, ~m->mxcsr_mask & 0xffff0000u);
	if (!m->features)
		return;
	expect_refused(464, 0xff);             /* magic1 */
	expect_refused(468, 4);                /* extended_size */
	expect_refused(472, 1u << 30);         /* xfeatures */
	expect_refused(480, 64);               /* xstate_size */
	expect_refused(m->fpu_size, 1);        /* magic2 */
	expect_refused(512, 1u << 9);          /* xstate_bv: PKRU, not ours */
	expect_refused(516, 1u << 31);         /* xstate_bv bit 63 */
	expect_refused(520, 1);                /* xcomp_bv: compacted */
	expect_refused(524, 1u << 31);
	for (size_t off = 528; off < 576; off += 4)
		expect_refused(off, 1);        /* reserved header bytes */
}
END_TEST

START_TEST(valid_blob_is_loaded_whole)
{
	size_t size = uctx_fpu_size();

	fresh();
	hal_uctx_fpu_save(&ctx.hw, blob);
	for (size_t i = 160; i < 160 + 16 * 16; i++)
		blob[i] = (uint8_t)i; /* xmm0-15 */
	ck_assert_int_eq(uctx_fpu_restore(&ctx, uptr(0x1000)), -EFAULT);
	ck_assert_int_eq(hal_uctx_fpu_restore(&ctx.hw, blob), 0);
	hal_uctx_fpu_save(&ctx.hw, bad);
	ck_assert(memcmp(blob, bad, size) == 0);
	/* No task runs here: user memory is unreachable. */
	ck_assert_int_eq(uctx_fpu_save(&ctx, uptr(0x1000)), -EFAULT);
}
END_TEST

/* ---- FPE codes ------------------------------------------------------------ */

static void set_x87(uint16_t cwd, uint16_t swd)
{
	memcpy(ctx.hw.fpu + FX_FCW, &cwd, sizeof(cwd));
	memcpy(ctx.hw.fpu + FX_FSW, &swd, sizeof(swd));
}

static void set_mxcsr(uint32_t mxcsr)
{
	memcpy(ctx.hw.fpu + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

START_TEST(fpe_codes_follow_linux)
{
	fresh();
	set_x87(0x37f & ~0x04, 0x04); /* ZE unmasked and flagged */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 16), USER_FPE_FLTDIV);
	set_x87(0x37f, 0x04); /* masked: no exception */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 16), 0);
	set_x87(0x340, 0x3f); /* all unmasked: invalid comes first */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 16), USER_FPE_FLTINV);
	set_x87(0x340, 0x28); /* overflow and precision */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 16), USER_FPE_FLTOVF);
	set_x87(0x340, 0x02); /* denormal counts as underflow */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 16), USER_FPE_FLTUND);

	set_mxcsr((0x1f80 & ~(0x20u << 7)) | 0x20); /* PE unmasked, flagged */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 19), USER_FPE_FLTRES);
	set_mxcsr(0x1f80 | 0x20); /* masked */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 19), 0);
	set_mxcsr(0x0000 | 0x05); /* IE and ZE, all unmasked */
	ck_assert_int_eq(x86_uctx_fpe_code(&ctx.hw, 19), USER_FPE_FLTINV);
}
END_TEST

static Suite *uctx_suite(void)
{
	Suite *s = suite_create("uctx");
	TCase *tc = tcase_create("regs");

	tcase_add_test(tc, fresh_context_is_what_a_linux_process_starts_with);
	tcase_add_test(tc, set_regs_reaches_the_named_registers);
	tcase_add_test(tc, set_regs_refuses_what_user_code_cannot_set);
	tcase_add_test(tc, copy_takes_registers_and_fpu_state);
	tcase_add_test(tc, syscall_restart_rewinds_once);
	tcase_add_test(tc, blob_has_the_signal_frame_format);
	tcase_add_test(tc, corrupt_blobs_are_refused);
	tcase_add_test(tc, valid_blob_is_loaded_whole);
	tcase_add_test(tc, fpe_codes_follow_linux);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(uctx_suite);
