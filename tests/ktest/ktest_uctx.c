/*
 * In-kernel tests of the user register file through <keel/user.h>, on
 * every backend: the whole register set goes into user code and comes
 * back as user code left it, set_regs refuses privileged state and
 * changes nothing then, a copied context equals its source, a system
 * call restarted executes again, exceptions and faults carry what Linux
 * reports in siginfo, the FPU blob round-trips through user memory and
 * user code and a corrupt blob is refused, and (x86 with AVX) the upper
 * halves of the YMM registers survive traps and can be set.
 *
 * User code is a few machine instructions (the page-table format tells
 * which instruction set runs: a core-side test may look at the HAL).
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>

#include "ktest_code.h"
#include "sched/sched.h" /* struct user_ctx, for a second context */

#define CODE_VA KT_CODE_VA
#define DATA_VA 0x500000ul /* read-write */
#define RO_VA 0x600000ul   /* read-only */
#define UNMAPPED_VA 0xc00000ul
#define STACK_VA KT_STACK_VA
#define NWORDS (sizeof(struct user_regs) / 8)

#if defined(HAL_PT_X86_64)
#define CODE(...) { __VA_ARGS__ }
#define IDX_IP 16       /* rip */
#define IDX_SP 19       /* rsp */
#define IDX_CHANGED 5   /* rbx: the register the test code inverts */
#define NGPRS 15        /* r15 .. rdi get patterns */
static const uint8_t code_invert[] = { 0x48, 0xf7, 0xd3, 0xcc }; /* not rbx; int3 */
#define INVERT_IP_AFTER 4
static const uint8_t code_restart[] = {
	0xb8, 0x2a, 0x00, 0x00, 0x00, 0x0f, 0x05, /* mov $42, %eax; syscall */
	0xb8, 0x2b, 0x00, 0x00, 0x00, 0x0f, 0x05, /* mov $43, %eax; syscall */
	0xeb, 0xfe,
};
#define RESTART_AT 5 /* the first syscall instruction */
#define RESTART_LEN 2
static const uint8_t code_illegal[] = { 0x0f, 0x0b }; /* ud2 */
#define ILLEGAL_CODE USER_ILL_ILLOPN
#define ILLEGAL_TRAPNO 6
static const uint8_t code_break[] = { 0xcc };
#define BREAK_CODE USER_SI_KERNEL /* Linux: int3 is a plain SIGTRAP */
#define BREAK_ADDR 0ul
#define BREAK_TRAPNO 3
static const uint8_t code_ro_write[] = {
	0xc6, 0x04, 0x25, 0x00, 0x00, 0x60, 0x00, 0x01, /* movb $1, RO_VA */
};
#define WRITE_TRAPNO 14
static const uint8_t code_unmapped_read[] = {
	0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0xc0, 0x00, /* mov UNMAPPED_VA, %rax */
};
/* movq %xmm0, %rdi; movq %rsi, %xmm1; syscall */
static const uint8_t code_fp[] = {
	0x66, 0x48, 0x0f, 0x7e, 0xc7, 0x66, 0x48, 0x0f, 0x6e, 0xce, 0x0f, 0x05,
};
#define FP_IN_OFF 160  /* xmm0 in the blob */
#define FP_OUT_OFF 176 /* xmm1 */
#define FP_IN_REG UREG_ARG0  /* rdi */
#define FP_OUT_REG UREG_ARG1 /* rsi */
#elif defined(HAL_PT_SV39)
#define W(x) (x) & 0xff, ((x) >> 8) & 0xff, ((x) >> 16) & 0xff, ((x) >> 24) & 0xff
#define IDX_IP 0
#define IDX_SP 2
#define IDX_CHANGED 8 /* s0 */
#define NGPRS 32
static const uint8_t code_invert[] = { W(0xfff44413), W(0x00100073) }; /* not s0; ebreak */
#define INVERT_IP_AFTER 4 /* the ebreak itself */
static const uint8_t code_restart[] = {
	W(0x02a00893), W(0x00000073), /* li a7, 42; ecall */
	W(0x02b00893), W(0x00000073), /* li a7, 43; ecall */
	W(0x0000006f),
};
#define RESTART_AT 4
#define RESTART_LEN 4
static const uint8_t code_illegal[] = { 0, 0, 0, 0 };
#define ILLEGAL_CODE USER_ILL_ILLOPC
#define ILLEGAL_TRAPNO 2
static const uint8_t code_break[] = { W(0x00100073) };
#define BREAK_CODE USER_TRAP_BRKPT
#define BREAK_ADDR CODE_VA
#define BREAK_TRAPNO 3
static const uint8_t code_ro_write[] = {
	W(0x006002b7), W(0x00028023), /* lui t0, 0x600; sb zero, 0(t0) */
};
#define WRITE_TRAPNO 15
static const uint8_t code_unmapped_read[] = {
	W(0x00c002b7), W(0x0002b303), /* lui t0, 0xc00; ld t1, 0(t0) */
};
/* lui t0, 0x500; addi t0, t0, 1; amoadd.w zero, zero, (t0) */
static const uint8_t code_misaligned[] = {
	W(0x005002b7), W(0x00128293), W(0x0002a02f),
};
/* fmv.x.d a0, f0; fmv.d.x f1, a1; ecall */
static const uint8_t code_fp[] = {
	W(0xe2000553), W(0xf20580d3), W(0x00000073),
};
#define FP_IN_OFF 0  /* f0 in the blob */
#define FP_OUT_OFF 8 /* f1 */
#define FP_IN_REG UREG_ARG0  /* a0 */
#define FP_OUT_REG UREG_ARG1 /* a1 */
#else
#error "unknown page-table format: which instruction set is this?"
#endif

/*
 * Gives the current task a space with code at CODE_VA and a stack
 * (kt_code_space), a read-write page at DATA_VA and a read-only one at
 * RO_VA, and a fresh context at CODE_VA; false if that fails (reported).
 */
static bool attach(struct ktest_ctx *t, const void *code, size_t len)
{
	struct vm_space *vs = kt_code_space(t, code, len);
	struct task *self = task_current();
	int err;

	if (!vs)
		return false;
	err = vm_map_zero(vs, DATA_VA, PAGE_SIZE, VM_READ | VM_WRITE);
	if (!err)
		err = vm_map_zero(vs, RO_VA, PAGE_SIZE, VM_READ);
	if (err) {
		ktest_fail_at(t, __FILE__, __LINE__, "building space: %d", err);
		vm_space_put(vs);
		return false;
	}
	task_set_vm(self, vs);
	vm_space_put(vs); /* the task holds the space now */
	uctx_init(task_user_ctx(self), CODE_VA, STACK_VA);
	return true;
}

static void detach(void)
{
	task_set_vm(task_current(), NULL);
}

static struct user_ctx *my_ctx(void)
{
	return task_user_ctx(task_current());
}

/* Runs the current context until an event other than an interrupt. */
static enum user_event run(struct user_event_info *info)
{
	enum user_event ev;

	do
		ev = user_run(info);
	while (ev == USER_EVENT_INTERRUPT);
	return ev;
}

static void regs_words(const struct user_regs *r, uint64_t *w)
{
	memcpy(w, r, sizeof(*r));
}

KTEST(uctx, regs_round_trip_through_user_code)
{
	struct user_regs r;
	struct user_event_info info;
	uint64_t want[NWORDS], got[NWORDS];
	static struct user_ctx copy;

	KT_ASSERT(t, attach(t, code_invert, sizeof(code_invert)));
	uctx_get_regs(my_ctx(), &r);
	regs_words(&r, want);
	for (unsigned i = 0; i < NGPRS; i++)
		if (i != IDX_IP && i != IDX_SP)
			want[i] = 0x0101010101010101ull * (i + 1) + i;
	memcpy(&r, want, sizeof(r));
	KT_ASSERT(t, uctx_set_regs(my_ctx(), &r) == 0);
	uctx_copy(&copy, my_ctx());

	KT_ASSERT(t, run(&info) == USER_EVENT_EXCEPTION);
	KT_EXPECT_EQ(t, info.exception, USER_EXC_BREAKPOINT);
	uctx_get_regs(my_ctx(), &r);
	regs_words(&r, got);
	want[IDX_CHANGED] = ~want[IDX_CHANGED];
	want[IDX_IP] = CODE_VA + INVERT_IP_AFTER;
	for (unsigned i = 0; i < NWORDS; i++)
		if (got[i] != want[i])
			ktest_fail_at(t, __FILE__, __LINE__,
				      "word %u: 0x%llx, want 0x%llx", i,
				      (unsigned long long)got[i],
				      (unsigned long long)want[i]);
	/* An exception is no system call: nothing to restart. */
	KT_EXPECT_EQ(t, uctx_syscall_restart(my_ctx()), -EINVAL);

	/* The copy still holds the registers from before the run. */
	uctx_get_regs(&copy, &r);
	regs_words(&r, got);
	KT_EXPECT_EQ(t, got[IDX_CHANGED], ~want[IDX_CHANGED]);
	KT_EXPECT_EQ(t, got[IDX_IP], CODE_VA);
	detach();
}

#if defined(HAL_PT_X86_64)
/* User code runs with Linux's selectors, and the register set says so. */
KTEST(uctx, x86_selectors_are_linux)
{
	/* mov %cs, %eax; mov %ss, %ebx; int3 */
	static const uint8_t code_sel[] = { 0x8c, 0xc8, 0x8c, 0xd3, 0xcc };
	struct user_event_info info;
	struct user_regs r;

	KT_ASSERT(t, attach(t, code_sel, sizeof(code_sel)));
	KT_ASSERT(t, run(&info) == USER_EVENT_EXCEPTION);
	uctx_get_regs(my_ctx(), &r);
	KT_EXPECT_EQ(t, r.rax & 0xffff, 0x33);
	KT_EXPECT_EQ(t, r.rbx & 0xffff, 0x2b);
	KT_EXPECT_EQ(t, r.cs, 0x33);
	KT_EXPECT_EQ(t, r.ss, 0x2b);
	detach();
}
#endif

#if defined(HAL_PT_X86_64)
/* TF is the user's: one instruction runs, then a #DB, which Linux reports
 * as SIGTRAP TRAP_TRACE at the next ip. */
KTEST(uctx, x86_single_step_is_trap_trace)
{
	static const uint8_t code_nops[] = { 0x90, 0x90, 0xcc }; /* nop; nop; int3 */
	struct user_event_info info;
	struct user_regs r;

	KT_ASSERT(t, attach(t, code_nops, sizeof(code_nops)));
	uctx_get_regs(my_ctx(), &r);
	r.eflags |= 0x100; /* TF */
	KT_ASSERT(t, uctx_set_regs(my_ctx(), &r) == 0);
	KT_ASSERT(t, run(&info) == USER_EVENT_EXCEPTION);
	KT_EXPECT_EQ(t, info.exception, USER_EXC_BREAKPOINT);
	KT_EXPECT_EQ(t, info.code, USER_TRAP_TRACE);
	KT_EXPECT_EQ(t, info.trapno, 1);
	KT_EXPECT_EQ(t, info.addr, CODE_VA + 1);
	KT_EXPECT_EQ(t, uctx_get(my_ctx(), UREG_IP), CODE_VA + 1);
	detach();
}
#endif

#if defined(HAL_PT_X86_64)
/* With AC set (CR0.AM is on), a misaligned load is an #AC: SIGBUS
 * BUS_ADRALN without an address, as Linux reports it. QEMU's TCG does not
 * check alignment: there the load completes and the int3 after it traps. */
KTEST(uctx, x86_alignment_check_is_bus_adraln)
{
	/* mov DATA_VA + 1, %eax; int3 */
	static const uint8_t code_ac[] = {
		0x8b, 0x04, 0x25, 0x01, 0x00, 0x50, 0x00, 0xcc,
	};
	struct user_event_info info;
	struct user_regs r;

	KT_ASSERT(t, attach(t, code_ac, sizeof(code_ac)));
	uctx_get_regs(my_ctx(), &r);
	r.eflags |= 0x40000; /* AC */
	KT_ASSERT(t, uctx_set_regs(my_ctx(), &r) == 0);
	KT_ASSERT(t, run(&info) == USER_EVENT_EXCEPTION);
	if (info.exception == USER_EXC_BREAKPOINT &&
	    uctx_get(my_ctx(), UREG_IP) == CODE_VA + sizeof(code_ac)) {
		detach(); /* no alignment checks on this CPU */
		return;
	}
	KT_EXPECT_EQ(t, info.exception, USER_EXC_ALIGN);
	KT_EXPECT_EQ(t, info.code, USER_BUS_ADRALN);
	KT_EXPECT_EQ(t, info.trapno, 17);
	KT_EXPECT_EQ(t, info.addr, 0);
	KT_EXPECT_EQ(t, uctx_get(my_ctx(), UREG_IP), CODE_VA);
	detach();
}
#endif

KTEST(uctx, set_regs_refuses_privileged_state)
{
	struct user_regs good, bad, now;

	KT_ASSERT(t, attach(t, code_invert, sizeof(code_invert)));
	uctx_get_regs(my_ctx(), &good);
	KT_EXPECT_EQ(t, uctx_set_regs(my_ctx(), &good), 0);
#if defined(HAL_PT_X86_64)
	{
		static const struct {
			unsigned word;
			uint64_t xor;
		} cases[] = {
			{ 18, 0x3000 },     /* eflags.IOPL */
			{ 18, 0x200 },      /* eflags.IF cleared */
			{ 18, 0x4000 },     /* eflags.NT */
			{ 18, 0x20000 },    /* eflags.VM */
			{ 18, 0x8 },        /* a reserved flag */
			{ 17, 0x3 },        /* cs with another RPL */
			{ 20, 0x8 },        /* another ss */
			{ 23, 0x2b },       /* ds */
			{ 26, 0x10 },       /* gs */
			{ 16, 1ull << 47 }, /* rip not canonical for user */
			{ 21, 1ull << 63 }, /* fs_base */
			{ 22, 1ull << 50 }, /* gs_base */
		};

		for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
			uint64_t w[NWORDS];

			regs_words(&good, w);
			w[cases[i].word] ^= cases[i].xor;
			memcpy(&bad, w, sizeof(bad));
			if (uctx_set_regs(my_ctx(), &bad) != -EINVAL)
				ktest_fail_at(t, __FILE__, __LINE__,
					      "case %u accepted", i);
			uctx_get_regs(my_ctx(), &now);
			KT_EXPECT(t, memcmp(&now, &good, sizeof(now)) == 0);
		}
	}
#else
	/* Nothing privileged in the set: any value is user state. */
	memset(&bad, 0xa5, sizeof(bad));
	KT_EXPECT_EQ(t, uctx_set_regs(my_ctx(), &bad), 0);
	uctx_get_regs(my_ctx(), &now);
	KT_EXPECT(t, memcmp(&now, &bad, sizeof(now)) == 0);
#endif
	detach();
}

KTEST(uctx, restarted_syscall_runs_again)
{
	struct user_event_info info;
	struct user_ctx *uc;

	KT_ASSERT(t, attach(t, code_restart, sizeof(code_restart)));
	uc = my_ctx();
	uctx_set(uc, UREG_ARG0, 5);
	KT_ASSERT(t, run(&info) == USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_SYSNR), 42);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_IP), CODE_VA + RESTART_AT + RESTART_LEN);
	uctx_set(uc, UREG_RET, (uint64_t)-512); /* -ERESTARTSYS */
	KT_EXPECT_EQ(t, uctx_syscall_restart(uc), 0);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_IP), CODE_VA + RESTART_AT);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_SYSNR), 42);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_ARG0), 5);
	KT_EXPECT_EQ(t, uctx_syscall_restart(uc), -EINVAL); /* once only */

	/* The same instruction traps again, not the next call. */
	KT_ASSERT(t, run(&info) == USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_SYSNR), 42);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_IP), CODE_VA + RESTART_AT + RESTART_LEN);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_ARG0), 5);
	KT_ASSERT(t, run(&info) == USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_SYSNR), 43);
	detach();
}

/* Runs code in a fresh space until its first event; -1 if none ran. */
static int event_of(struct ktest_ctx *t, const void *code, size_t len,
		    struct user_event_info *info)
{
	enum user_event ev;

	if (!attach(t, code, len))
		return -1;
	ev = run(info);
	detach();
	return (int)ev;
}

/* Runs code and expects exception e with Linux's si_code, si_addr and
 * trap number; leaves the details in *i. */
static void expect_exception(struct ktest_ctx *t, const void *code,
			     size_t len, enum user_exception e, int si_code,
			     uintptr_t addr, unsigned trapno,
			     struct user_event_info *i)
{
	KT_ASSERT(t, event_of(t, code, len, i) == USER_EVENT_EXCEPTION);
	KT_EXPECT_EQ(t, i->exception, e);
	KT_EXPECT_EQ(t, i->code, si_code);
	KT_EXPECT_EQ(t, i->addr, addr);
	KT_EXPECT_EQ(t, i->trapno, trapno);
}

KTEST(uctx, exceptions_carry_siginfo)
{
	struct user_event_info i;

	expect_exception(t, code_illegal, sizeof(code_illegal),
			 USER_EXC_ILLEGAL, ILLEGAL_CODE, CODE_VA,
			 ILLEGAL_TRAPNO, &i);
	expect_exception(t, code_break, sizeof(code_break),
			 USER_EXC_BREAKPOINT, BREAK_CODE, BREAK_ADDR,
			 BREAK_TRAPNO, &i);
#if defined(HAL_PT_X86_64)
	{
		static const uint8_t code_div[] = { 0x31, 0xc9, 0xf7, 0xf1 };

		expect_exception(t, code_div, sizeof(code_div),
				 USER_EXC_DIVIDE, USER_FPE_INTDIV, CODE_VA + 2,
				 0, &i);
	}
#else
	/* Linux: si_addr is the pc; stval has the address. The cause is
	 * store/AMO misaligned (6) by the spec; QEMU 7.2 reports a load
	 * misaligned (4) for a misaligned AMO. */
	KT_ASSERT(t, event_of(t, code_misaligned, sizeof(code_misaligned),
			      &i) == USER_EVENT_EXCEPTION);
	KT_EXPECT_EQ(t, i.exception, USER_EXC_ALIGN);
	KT_EXPECT_EQ(t, i.code, USER_BUS_ADRALN);
	KT_EXPECT_EQ(t, i.addr, CODE_VA + 8);
	KT_EXPECT(t, i.trapno == 4 || i.trapno == 6);
	KT_EXPECT_EQ(t, i.errcode, DATA_VA + 1);
#endif
}

KTEST(uctx, faults_tell_maperr_from_accerr)
{
	struct user_event_info i;

	KT_ASSERT(t, event_of(t, code_ro_write, sizeof(code_ro_write), &i) ==
			     USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, i.code, USER_SEGV_ACCERR);
	KT_EXPECT_EQ(t, i.addr, RO_VA);
	KT_EXPECT(t, i.access & USER_ACCESS_WRITE);
	KT_EXPECT_EQ(t, i.trapno, WRITE_TRAPNO);

	KT_ASSERT(t, event_of(t, code_unmapped_read,
			      sizeof(code_unmapped_read),
			      &i) == USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, i.code, USER_SEGV_MAPERR);
	KT_EXPECT_EQ(t, i.addr, UNMAPPED_VA);
	KT_EXPECT_EQ(t, i.access, USER_ACCESS_READ);
}

/* ---- The FPU blob -------------------------------------------------------- */

#define BLOB_MAX HAL_PAGE_SIZE /* the blob lives at DATA_VA */

/* Saves the current context's blob to DATA_VA and reads it into b. */
static int save_blob(uint8_t *b, size_t size)
{
	int err = uctx_fpu_save(my_ctx(), uptr(DATA_VA));

	return err ? err : copy_from_user(b, uptr(DATA_VA), size);
}

/* Writes b to DATA_VA and restores the context's state from there. */
static int restore_blob(const uint8_t *b, size_t size)
{
	int err = copy_to_user(uptr(DATA_VA), b, size);

	return err ? err : uctx_fpu_restore(my_ctx(), uptr(DATA_VA));
}

/* A corruption of the blob that restore must refuse, leaving the state
 * as it was. */
static void expect_refused(struct ktest_ctx *t, const uint8_t *good,
			   size_t size, size_t off, uint32_t xor)
{
	static uint8_t bad[BLOB_MAX], now[BLOB_MAX];
	uint32_t v;

	memcpy(bad, good, size);
	memcpy(&v, bad + off, sizeof(v));
	v ^= xor;
	memcpy(bad + off, &v, sizeof(v));
	if (restore_blob(bad, size) != -EINVAL)
		ktest_fail_at(t, __FILE__, __LINE__,
			      "blob with 0x%x at %u accepted", xor,
			      (unsigned)off);
	KT_EXPECT_EQ(t, save_blob(now, size), 0);
	KT_EXPECT(t, memcmp(now, good, size) == 0);
}

KTEST(uctx, fpu_blob_round_trips_and_refuses_corruption)
{
	static uint8_t blob[BLOB_MAX];
	size_t size = uctx_fpu_size();
	const uint64_t in = 0x0123456789abcdefull, out = 0x1122334455667788ull;
	struct user_event_info info;
	uint64_t v;

	KT_ASSERT(t, size >= 264 && size <= BLOB_MAX);
	KT_ASSERT(t, attach(t, code_fp, sizeof(code_fp)));
	KT_ASSERT(t, save_blob(blob, size) == 0);
	KT_EXPECT_EQ(t, restore_blob(blob, size), 0); /* its own blob */

	/* Into user code and back out. */
	memcpy(blob + FP_IN_OFF, &in, sizeof(in));
	KT_EXPECT_EQ(t, restore_blob(blob, size), 0);
	uctx_set(my_ctx(), FP_OUT_REG, out);
	KT_ASSERT(t, run(&info) == USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, uctx_get(my_ctx(), FP_IN_REG), in);
	KT_ASSERT(t, save_blob(blob, size) == 0);
	memcpy(&v, blob + FP_OUT_OFF, sizeof(v));
	KT_EXPECT_EQ(t, v, out);

	/* Corrupt blobs from user memory are never loaded. */
#if defined(HAL_PT_X86_64)
	expect_refused(t, blob, size, 24, 1u << 31); /* reserved MXCSR bit */
	if (size > 512) { /* XSAVE: the software bytes and the header */
		uint32_t xsize;

		memcpy(&xsize, blob + 480, sizeof(xsize));
		expect_refused(t, blob, size, 464, 1);       /* magic1 */
		expect_refused(t, blob, size, 480, 64);      /* xstate_size */
		expect_refused(t, blob, size, xsize, 1);     /* magic2 */
		expect_refused(t, blob, size, 516, 1u << 31); /* xstate_bv 63 */
		expect_refused(t, blob, size, 520, 1);       /* compacted */
		expect_refused(t, blob, size, 560, 1);       /* reserved */
	}
#else
	expect_refused(t, blob, size, 256, 1u << 8); /* reserved fcsr bit */
#endif

	/* Bad user memory: -EFAULT, state unchanged. */
	KT_EXPECT_EQ(t, uctx_fpu_save(my_ctx(), uptr(UNMAPPED_VA)), -EFAULT);
	KT_EXPECT_EQ(t, uctx_fpu_restore(my_ctx(), uptr(UNMAPPED_VA)),
		     -EFAULT);
	KT_EXPECT_EQ(t, uctx_fpu_save(my_ctx(), uptr(RO_VA)), -EFAULT);
	detach();
}

#if defined(HAL_PT_X86_64)
/* An unmasked SSE exception (divide by zero) is a #XM: SIGFPE with the
 * FPE_* code of the flag, at the faulting ip (where the CPU raises it). */
KTEST(uctx, x86_simd_exception_is_fpe_fltdiv)
{
	/* xorps %xmm1, %xmm1; divss %xmm1, %xmm0; int3 */
	static const uint8_t code_xm[] = {
		0x0f, 0x57, 0xc9, 0xf3, 0x0f, 0x5e, 0xc1, 0xcc,
	};
	static uint8_t blob[BLOB_MAX];
	const uint32_t one = 0x3f800000, mxcsr = 0x1f80 & ~(1u << 9); /* ZM */
	size_t size = uctx_fpu_size();
	struct user_event_info info;

	KT_ASSERT(t, attach(t, code_xm, sizeof(code_xm)));
	KT_ASSERT(t, save_blob(blob, size) == 0);
	memcpy(blob + 24, &mxcsr, sizeof(mxcsr));
	memcpy(blob + 160, &one, sizeof(one)); /* xmm0 = 1.0f */
	KT_ASSERT(t, restore_blob(blob, size) == 0);
	KT_ASSERT(t, run(&info) == USER_EVENT_EXCEPTION);
	if (info.exception == USER_EXC_BREAKPOINT) {
		uint32_t flags;

		/* QEMU's TCG raises no SIMD exceptions: the division ran to
		 * the int3 and only flagged ZE. */
		KT_ASSERT(t, save_blob(blob, size) == 0);
		memcpy(&flags, blob + 24, sizeof(flags));
		KT_EXPECT(t, flags & 0x4);
		KT_EXPECT_EQ(t, uctx_get(my_ctx(), UREG_IP),
			     CODE_VA + sizeof(code_xm));
		detach();
		return;
	}
	KT_EXPECT_EQ(t, info.exception, USER_EXC_FPU);
	KT_EXPECT_EQ(t, info.code, USER_FPE_FLTDIV);
	KT_EXPECT_EQ(t, info.trapno, 19);
	KT_EXPECT_EQ(t, info.addr, CODE_VA + 3);
	detach();
}

/* ---- AVX (x86-64) --------------------------------------------------------- */

static void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* Does the OS side of this machine have AVX on (CPUID.1:ECX OSXSAVE and
 * AVX, XCR0 x87|SSE|AVX)? On bare metal the HAL set XCR0 itself. */
static bool avx_enabled(void)
{
	uint32_t r[4], lo, hi;

	cpuid_count(1, 0, r);
	if (!(r[2] & (1u << 27)) || !(r[2] & (1u << 28)))
		return false;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 7) == 7;
}

/* vpcmpeqb %ymm1, %ymm1, %ymm1 (all ones); syscall;
 * vmovdqu %ymm1, 0x500f00; syscall */
static const uint8_t code_avx[] = {
	0xc5, 0xf5, 0x74, 0xc9, 0x0f, 0x05,
	0xc5, 0xfe, 0x7f, 0x0c, 0x25, 0x00, 0x0f, 0x50, 0x00, 0x0f, 0x05,
	0xeb, 0xfe,
};
#define AVX_OUT_VA (DATA_VA + 0xf00)

KTEST(uctx, avx_upper_halves_survive_traps)
{
	static uint8_t blob[BLOB_MAX];
	size_t size = uctx_fpu_size();
	struct user_event_info info;
	uint8_t ymm[32];
	uint64_t features, bv;
	uint32_t r[4];
	unsigned off;

	if (!avx_enabled()) {
		/* Without AVX the blob holds what there is (fxsave, or an
		 * XSAVE area without AVX): never AVX. */
		if (size > 512) {
			KT_ASSERT(t, attach(t, code_avx, sizeof(code_avx)));
			KT_ASSERT(t, save_blob(blob, size) == 0);
			memcpy(&features, blob + 472, sizeof(features));
			KT_EXPECT(t, !(features & 4));
			detach();
		}
		return;
	}
	KT_ASSERT(t, size > 512);
	cpuid_count(0xd, 2, r);
	off = r[1]; /* YMM_Hi128 in the standard format */
	KT_ASSERT(t, off + 256 <= size);
	KT_ASSERT(t, attach(t, code_avx, sizeof(code_avx)));
	KT_ASSERT(t, run(&info) == USER_EVENT_SYSCALL);
	KT_ASSERT(t, save_blob(blob, size) == 0);
	memcpy(&features, blob + 472, sizeof(features));
	memcpy(&bv, blob + 512, sizeof(bv));
	KT_EXPECT(t, features & 4);
	KT_EXPECT(t, bv & 4); /* AVX state in use */
	for (unsigned i = 0; i < 16; i++)
		KT_EXPECT_EQ(t, blob[off + 16 + i], 0xff); /* ymm1[255:128] */

	/* A new upper half reaches user code, which stores the register. */
	for (unsigned i = 0; i < 16; i++)
		blob[off + 16 + i] = (uint8_t)(7 * i + 1);
	KT_ASSERT(t, restore_blob(blob, size) == 0);
	KT_ASSERT(t, run(&info) == USER_EVENT_SYSCALL);
	KT_ASSERT(t, copy_from_user(ymm, uptr(AVX_OUT_VA), sizeof(ymm)) == 0);
	for (unsigned i = 0; i < 16; i++) {
		KT_EXPECT_EQ(t, ymm[i], 0xff);
		KT_EXPECT_EQ(t, ymm[16 + i], (uint8_t)(7 * i + 1));
	}
	detach();
}
#endif
