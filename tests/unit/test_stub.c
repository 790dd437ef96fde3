/*
 * Unit tests of hosted user mode (hal/hosted/stub_host.c and the stub
 * process), without the core's page tables: each test puts x86-64 code
 * bytes into a frame, maps it with hal_tlb_update as the core would, runs
 * it with hal_user_run and checks the trap, the registers and the trap
 * info: system calls, page faults (read, write, exec, read-only), a TLB
 * flush stopping user code on another vCPU, every exception, the FS base,
 * FPU state, two vCPUs running threads of one space at once (registers
 * and FS base their own, a fault in one leaving the other running),
 * interrupts ending user mode (one pending before a run entered
 * with interrupts disabled too), the
 * mapping-op queue overflowing into several mapper batches, and stub
 * processes that die, are destroyed or are reused (scrubbed) by the next
 * space, the placement of a stub thread off its vCPU's host CPU
 * (stub_place.c), and user code borrowing the stub's system calls.
 *
 * The stub binary is found like the kernel finds it: $KEEL_STUB if set,
 * else keel-stub next to the unit-test binary (build/hosted/). The stub
 * runs as a separate process, not under Valgrind.
 */
#include "unit.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hal/hal.h>
#include "../../hal/hosted/hosted.h"
#include "../../hal/hosted/stub_abi.h"
#include "../../hal/hosted/stub_host.h"
#include "mm/frame.h"

#define CODE_VA 0x400000ul
#define DATA_VA 0x500000ul
#define STACK_TOP 0x800000ul
#define PG HAL_PAGE_SIZE

static struct hal_as as;
static struct hal_uctx ctx;
static struct hal_trap_info info;
static hal_paddr_t code_pa, stack_pa, data_pa;
static unsigned timer_irqs, ipis;

static void count_irq(unsigned line)
{
	if (line == HAL_IRQ_TIMER)
		timer_irqs++;
	if (line == HAL_IRQ_IPI)
		ipis++;
}

static void setup(void)
{
	unit_boot_mm();
	hosted_cpu_boot(1);
	hosted_irq_divert = count_irq;
	hosted_stub_set_path(NULL);
	hosted_stub_pool_drain(); /* every test starts with no stub */
	timer_irqs = 0;
	ipis = 0;
	code_pa = frame_alloc_zeroed(0);
	stack_pa = frame_alloc_zeroed(0);
	data_pa = frame_alloc_zeroed(0);
	ck_assert(code_pa && stack_pa && data_pa);
	ck_assert_int_eq(hal_as_init(&as, 0x1000 /* dummy root */), 0);
	hal_tlb_update(&as, STACK_TOP - PG, stack_pa,
		       HAL_PROT_READ | HAL_PROT_WRITE);
	/* hal_user_run is entered with interrupts enabled. */
	hal_irq_enable();
}

static void teardown(void)
{
	hal_irq_save();
	hal_timer_arm(HAL_TIMER_OFF);
	__atomic_store_n(&hosted_cpu_self()->pending, 0, __ATOMIC_SEQ_CST);
	hal_as_destroy(&as);
	frame_free(code_pa);
	frame_free(stack_pa);
	frame_free(data_pa);
}

/* Loads code at CODE_VA (read+exec) and a fresh context starting there. */
static void load(const void *code, size_t len)
{
	memcpy(hal_phys_to_virt(code_pa), code, len);
	hal_tlb_update(&as, CODE_VA, code_pa, HAL_PROT_READ | HAL_PROT_EXEC);
	hal_uctx_init(&ctx, CODE_VA, STACK_TOP);
}

static enum hal_trap run(void)
{
	return hal_user_run(&ctx, &as, &info);
}

/* Runs until something else than an interrupt (a late kick) comes back. */
static enum hal_trap run_no_irq(void)
{
	enum hal_trap t;

	while ((t = run()) == HAL_TRAP_INTERRUPT)
		;
	return t;
}

static uint64_t *data_word(size_t off)
{
	return (uint64_t *)((char *)hal_phys_to_virt(data_pa) + off);
}

/* ---- System calls -------------------------------------------------------- */

START_TEST(syscall_arguments_and_return_value)
{
	static const uint8_t code[] = {
		0x0f, 0x05,                   /* syscall */
		0x48, 0x89, 0xc7,             /* mov %rax, %rdi */
		0xb8, 0x3c, 0x00, 0x00, 0x00, /* mov $60, %eax */
		0x0f, 0x05,                   /* syscall */
		0x0f, 0x0b,                   /* ud2 */
	};

	load(code, sizeof(code));
	hal_uctx_set(&ctx, HAL_UREG_SYSNR, 39);
	for (unsigned r = HAL_UREG_ARG0; r <= HAL_UREG_ARG5; r++)
		hal_uctx_set(&ctx, r, 1000 + r);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_SYSNR), 39);
	for (unsigned r = HAL_UREG_ARG0; r <= HAL_UREG_ARG5; r++)
		ck_assert_uint_eq(hal_uctx_get(&ctx, r), 1000 + r);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_IP), CODE_VA + 2);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_SP), STACK_TOP);
	ck_assert_int_gt(hosted_stub_pid(&as), 0);

	/* The return value reaches user code, which passes it back. */
	hal_uctx_set(&ctx, HAL_UREG_RET, 0x1234abcd);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_SYSNR), 60);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_ARG0), 0x1234abcd);
}
END_TEST

/* The host CPUs stub thread tid may run on. */
static cpu_set_t thread_cpus(pid_t tid)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	ck_assert_int_eq(sched_getaffinity(tid, sizeof(set), &set), 0);
	return set;
}

START_TEST(paired_placement_keeps_the_stub_thread_off_this_cpu)
{
	static const uint8_t code[] = {
		0x0f, 0x05, /* syscall */
		0x0f, 0x05, /* syscall */
		0x0f, 0x0b, /* ud2 */
	};
	struct stub_thread *t;
	cpu_set_t all = thread_cpus(0), now;

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	t = &((struct hosted_stub *)as.stub)->th[hal_cpu_id()];
	ck_assert_int_gt(t->tid, 0);
	t->place_off = false;
	stub_place_apply(t, STUB_PLACE_PAIRED);
	now = thread_cpus(t->tid);
	if (CPU_COUNT(&all) < 2) {
		/* Nowhere else to go: placement is given up, the thread is
		 * left where it was. */
		ck_assert(t->place_off);
		ck_assert_uint_eq(t->place_cpu, 0);
		ck_assert(CPU_EQUAL(&now, &all));
	} else {
		ck_assert(!t->place_off);
		ck_assert_uint_ne(t->place_cpu, 0);
		ck_assert(!CPU_ISSET(t->place_cpu - 1, &now));
		ck_assert_int_eq(CPU_COUNT(&now), CPU_COUNT(&all) - 1);
	}
	/* User code runs on where it was put. */
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_IP), CODE_VA + 4);
	/* SHARED gives it every CPU back. */
	t->place_off = false;
	stub_place_apply(t, STUB_PLACE_SHARED);
	now = thread_cpus(t->tid);
	ck_assert(CPU_EQUAL(&now, &all));
	ck_assert_uint_eq(t->place_cpu, 0);
}
END_TEST

START_TEST(placement_of_a_dead_stub_thread_is_given_up)
{
	static const uint8_t code[] = { 0x0f, 0x05, 0x0f, 0x0b };
	struct stub_thread *t;

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	t = &((struct hosted_stub *)as.stub)->th[hal_cpu_id()];
	ck_assert_int_eq(kill(hosted_stub_pid(&as), SIGKILL), 0);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION); /* reaped */
	t->place_off = false;
	stub_place_apply(t, STUB_PLACE_SHARED);
	ck_assert(t->place_off);
	ck_assert_uint_eq(t->place_cpu, 0);
}
END_TEST

START_TEST(int80_is_a_protection_fault)
{
	static const uint8_t code[] = { 0xcd, 0x80 }; /* int $0x80 */

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION);
	/* Whether or not the host has IA-32 emulation: never a 64-bit
	 * system call, and the same answer as x86_64 bare metal. */
	ck_assert_int_eq(info.exception, HAL_EXC_PROTECTION);
	ck_assert_int_eq(info.code, HAL_SI_KERNEL);
	ck_assert_uint_eq(info.trapno, 13);
	ck_assert_uint_eq(info.error, 0x402); /* IDT entry 0x80 */
	ck_assert_uint_eq(ctx.orig_rax, (uint64_t)-1); /* no syscall */
}
END_TEST

/* ---- Page faults --------------------------------------------------------- */

START_TEST(write_to_unmapped_page_faults_then_retries)
{
	static const uint8_t code[] = {
		/* movq $42, DATA_VA+8 */
		0x48, 0xc7, 0x04, 0x25, 0x08, 0x00, 0x50, 0x00, 0x2a, 0x00,
		0x00, 0x00,
		0x0f, 0x05, /* syscall */
	};

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, DATA_VA + 8);
	ck_assert_uint_eq(info.access, HAL_ACCESS_WRITE);
	ck_assert_uint_eq(info.trapno, 14);
	ck_assert_uint_eq(info.error & 7, 6); /* not present, write, user */
	ck_assert_uint_eq(ctx.rip, CODE_VA); /* the faulting instruction */

	/* Map it, as a fault handler would, and the write completes. */
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ | HAL_PROT_WRITE);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(*data_word(8), 42);
}
END_TEST

START_TEST(read_of_unmapped_page_faults)
{
	static const uint8_t code[] = {
		/* mov 0x500010, %rax */
		0x48, 0x8b, 0x04, 0x25, 0x10, 0x00, 0x50, 0x00,
	};

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, DATA_VA + 0x10);
	ck_assert_uint_eq(info.access, HAL_ACCESS_READ);
}
END_TEST

START_TEST(jump_to_unmapped_page_faults_as_exec)
{
	static const uint8_t code[] = { 0x0f, 0x05 };

	load(code, sizeof(code));
	ctx.rip = 0x600000;
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, 0x600000);
	ck_assert_uint_eq(info.access, HAL_ACCESS_EXEC);
}
END_TEST

START_TEST(write_to_read_only_page_faults_as_write)
{
	static const uint8_t code[] = {
		/* mov 0x500000, %rax; mov %rax, 0x500018 */
		0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x50, 0x00,
		0x48, 0x89, 0x04, 0x25, 0x18, 0x00, 0x50, 0x00,
	};

	*data_word(0) = 77;
	load(code, sizeof(code));
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, DATA_VA + 0x18);
	ck_assert_uint_eq(info.access, HAL_ACCESS_WRITE);
	ck_assert_uint_eq(info.trapno, 14);
	ck_assert_uint_eq(info.error & 7, 7); /* present, write, user */
	ck_assert_uint_eq(ctx.rax, 77); /* the read went through */
}
END_TEST

START_TEST(invalidated_page_faults_again)
{
	static const uint8_t code[] = {
		/* mov 0x500000, %rdi; syscall; jmp back to the mov */
		0x48, 0x8b, 0x3c, 0x25, 0x00, 0x00, 0x50, 0x00,
		0x0f, 0x05,
		0xeb, 0xf4,
	};

	*data_word(0) = 5;
	load(code, sizeof(code));
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.rdi, 5);
	hal_tlb_invalidate(&as, DATA_VA, PG);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, DATA_VA);
}
END_TEST

/* vCPU 1 of flush_stops_user_code_elsewhere: runs ctx until a trap
 * other than an interrupt. */
static enum hal_trap other_trap;

static void *run_on_vcpu1(void *arg)
{
	(void)arg;
	hosted_cpu_attach(1);
	hal_irq_enable();
	while ((other_trap = hal_user_run(&ctx, &as, &info)) ==
	       HAL_TRAP_INTERRUPT)
		;
	hal_irq_save();
	return NULL;
}

/*
 * The TLB contract across vCPUs: while vCPU 1 runs user code that keeps
 * incrementing a word of the data page, vCPU 0 invalidates the page and
 * flushes. Once hal_tlb_flush has returned the page is out of reach: the
 * word never moves again, and vCPU 1's code ends in a fault on it.
 */
START_TEST(flush_stops_user_code_elsewhere)
{
	static const uint8_t code[] = {
		/* 1: incq 0x500000; jmp 1b */
		0x48, 0xff, 0x04, 0x25, 0x00, 0x00, 0x50, 0x00,
		0xeb, 0xf6,
	};
	volatile uint64_t *word = data_word(0);
	pthread_t t;
	uint64_t seen;

	*word = 0;
	load(code, sizeof(code));
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ | HAL_PROT_WRITE);
	ck_assert_int_eq(pthread_create(&t, NULL, run_on_vcpu1, NULL), 0);
	while (*word < 1000) /* user code is running over there */
		sched_yield();
	hal_tlb_invalidate(&as, DATA_VA, PG);
	hal_tlb_flush(&as);
	seen = *word;
	for (int i = 0; i < 100; i++)
		sched_yield();
	ck_assert_uint_eq(*word, seen);
	pthread_join(t, NULL);
	ck_assert_int_eq(other_trap, HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, DATA_VA);
	ck_assert_uint_eq(*word, seen);
	/* With nobody running the stub, a flush returns at once. */
	hal_tlb_flush(&as);
}
END_TEST

START_TEST(many_mappings_go_in_batches)
{
	/* More ops than one mapper batch holds, none mergeable (every other
	 * page, all the same frame), then code reads through the last. */
	const size_t n = 3 * STUB_MAP_OPS;
	const uintptr_t base = 0x10000000, last = base + 2 * PG * (n - 1);
	const uint8_t code[] = {
		/* mov last, %rdi */
		0x48, 0x8b, 0x3c, 0x25, (uint8_t)last, (uint8_t)(last >> 8),
		(uint8_t)(last >> 16), (uint8_t)(last >> 24),
		0x0f, 0x05,
	};

	*data_word(0) = 99;
	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT); /* spawned */
	for (size_t i = 0; i < n; i++)
		hal_tlb_update(&as, base + 2 * PG * i, data_pa, HAL_PROT_READ);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.rdi, 99);
}
END_TEST

START_TEST(ops_queued_before_the_stub_exists_are_replayed)
{
	const size_t n = 2 * STUB_MAP_OPS + 5;
	const uintptr_t base = 0x20000000, last = base + 2 * PG * (n - 1);
	const uint8_t code[] = {
		/* mov last, %rdi */
		0x48, 0x8b, 0x3c, 0x25, (uint8_t)last, (uint8_t)(last >> 8),
		(uint8_t)(last >> 16), (uint8_t)(last >> 24),
		0x0f, 0x05,
	};

	*data_word(0) = 7;
	load(code, sizeof(code));
	for (size_t i = 0; i < n; i++)
		hal_tlb_update(&as, base + 2 * PG * i, data_pa, HAL_PROT_READ);
	ck_assert_int_eq(hosted_stub_pid(&as), 0);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.rdi, 7);
}
END_TEST

START_TEST(failed_host_mapping_is_an_exception)
{
	/* More separate mappings than the host allows a process
	 * (vm.max_map_count, 65530 by default): the stub's mmap fails. */
	static const uint8_t code[] = { 0x0f, 0x05 };
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	unsigned long max = 0;
	size_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%lu", &max), 1);
	fclose(f);
	ck_assert_uint_le(max, 1ul << 20); /* else this test is too slow */
	n = max + 100;

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	for (size_t i = 0; i < n; i++)
		hal_tlb_update(&as, 0x40000000 + 2 * PG * i, data_pa,
			       HAL_PROT_READ);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION); /* and stays so */
}
END_TEST

/* ---- Exceptions ---------------------------------------------------------- */

/* Checks the exception against what Linux reports for it: si_code,
 * si_addr and the trap number of the sigcontext. */
static void expect_exception(const uint8_t *code, size_t len,
			     enum hal_exception e, int si_code,
			     uintptr_t addr, unsigned trapno)
{
	load(code, len);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION);
	ck_assert_int_eq(info.exception, e);
	ck_assert_int_eq(info.code, si_code);
	ck_assert_uint_eq(info.addr, addr);
	ck_assert_uint_eq(info.trapno, trapno);
}

START_TEST(ud2_is_illegal)
{
	static const uint8_t code[] = { 0x90, 0x0f, 0x0b }; /* nop; ud2 */

	expect_exception(code, sizeof(code), HAL_EXC_ILLEGAL, HAL_ILL_ILLOPN,
			 CODE_VA + 1, 6);
	ck_assert_uint_eq(ctx.rip, CODE_VA + 1);
}
END_TEST

START_TEST(int3_is_breakpoint)
{
	static const uint8_t code[] = { 0xcc };

	/* As on Linux: ip past the int3, SI_KERNEL, no address. */
	expect_exception(code, sizeof(code), HAL_EXC_BREAKPOINT,
			 HAL_SI_KERNEL, 0, 3);
	ck_assert_uint_eq(ctx.rip, CODE_VA + 1);
}
END_TEST

START_TEST(divide_by_zero_is_divide)
{
	static const uint8_t code[] = { 0x31, 0xc9, 0xf7, 0xf1 }; /* div %ecx */

	expect_exception(code, sizeof(code), HAL_EXC_DIVIDE, HAL_FPE_INTDIV,
			 CODE_VA + 2, 0);
}
END_TEST

START_TEST(privileged_instruction_is_protection)
{
	static const uint8_t code[] = { 0xf4 }; /* hlt */

	expect_exception(code, sizeof(code), HAL_EXC_PROTECTION,
			 HAL_SI_KERNEL, 0, 13);
	ck_assert_uint_eq(info.error, 0);
}
END_TEST

/* ---- Register state ------------------------------------------------------ */

START_TEST(fs_base_is_visible_to_user_code)
{
	static const uint8_t code[] = {
		/* mov %fs:0, %rdi */
		0x64, 0x48, 0x8b, 0x3c, 0x25, 0x00, 0x00, 0x00, 0x00,
		0x0f, 0x05,
	};

	*data_word(0x20) = 0xfeedface;
	load(code, sizeof(code));
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ);
	hal_uctx_set(&ctx, HAL_UREG_TLS, DATA_VA + 0x20);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.rdi, 0xfeedface);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_TLS), DATA_VA + 0x20);

	/* A new base takes effect on the next entry. */
	*data_word(0x40) = 0xbeef;
	hal_uctx_set(&ctx, HAL_UREG_TLS, DATA_VA + 0x40);
	ctx.rip = CODE_VA;
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.rdi, 0xbeef);
}
END_TEST

START_TEST(fpu_state_goes_both_ways)
{
	static const uint8_t code[] = {
		0x66, 0x48, 0x0f, 0x7e, 0xc7, /* movq %xmm0, %rdi */
		0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
		/* movabs $0x1122334455667788, %rax */
		0x66, 0x48, 0x0f, 0x6e, 0xc8, /* movq %rax, %xmm1 */
		0x0f, 0x05,
	};
	const uint64_t in = 0x0123456789abcdefull;
	uint64_t out;

	load(code, sizeof(code));
	memcpy(ctx.fpu + 160, &in, sizeof(in)); /* xmm0 */
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.rdi, in);
	memcpy(&out, ctx.fpu + 176, sizeof(out)); /* xmm1 */
	ck_assert_uint_eq(out, 0x1122334455667788ull);
}
END_TEST

START_TEST(privileged_flags_are_sanitised)
{
	static const uint8_t code[] = { 0x0f, 0x05 };

	load(code, sizeof(code));
	ctx.eflags = ~0ull & ~0x100ull; /* all but TF (single step) */
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.eflags & 0x3000, 0); /* IOPL */
	ck_assert_uint_eq(ctx.eflags & 0x200, 0x200); /* IF */
	ck_assert_uint_eq(ctx.eflags & 0x400, 0x400); /* DF is the user's */
}
END_TEST

START_TEST(named_registers_map_to_the_abi)
{
	struct hal_uctx c;

	hal_uctx_init(&c, 0x1000, 0x2000);
	ck_assert_uint_eq(c.rip, 0x1000);
	ck_assert_uint_eq(c.rsp, 0x2000);
	hal_uctx_set(&c, HAL_UREG_ARG3, 3);
	hal_uctx_set(&c, HAL_UREG_ARG4, 4);
	hal_uctx_set(&c, HAL_UREG_ARG5, 5);
	hal_uctx_set(&c, HAL_UREG_ARG2, 2);
	hal_uctx_set(&c, HAL_UREG_RET, 7);
	ck_assert_uint_eq(c.r10, 3);
	ck_assert_uint_eq(c.r8, 4);
	ck_assert_uint_eq(c.r9, 5);
	ck_assert_uint_eq(c.rdx, 2);
	ck_assert_uint_eq(hal_uctx_get(&c, HAL_UREG_SYSNR), 7);
	hal_uctx_set(&c, HAL_UREG_COUNT, 9); /* ignored */
	ck_assert_uint_eq(hal_uctx_get(&c, HAL_UREG_COUNT), 0);
}
END_TEST

/* Every general register goes into user code and comes back as user
 * code left it (int3 clobbers nothing; syscall would clobber rcx, r11). */
START_TEST(whole_register_set_round_trips)
{
	static const uint8_t code[] = { 0x48, 0xf7, 0xd3, 0xcc }; /* not rbx; int3 */
	struct hal_uregs r, want;
	uint64_t *w = (uint64_t *)&want;

	load(code, sizeof(code));
	hal_uctx_get_regs(&ctx, &want);
	for (unsigned i = 0; i < 15; i++) /* r15 .. rdi */
		w[i] = 0x0101010101010101ull * (i + 1);
	want.eflags |= 0x401; /* CF, DF */
	want.fs_base = DATA_VA;
	ck_assert_int_eq(hal_uctx_set_regs(&ctx, &want), 0);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION);
	ck_assert_int_eq(info.exception, HAL_EXC_BREAKPOINT);
	hal_uctx_get_regs(&ctx, &r);
	want.rbx = ~want.rbx;
	want.rip = CODE_VA + sizeof(code);
	ck_assert_uint_eq(r.rbx, want.rbx);
	ck_assert(memcmp(&r, &want, sizeof(r)) == 0);
}
END_TEST

START_TEST(restarted_syscall_traps_again)
{
	static const uint8_t code[] = {
		0xb8, 0x27, 0x00, 0x00, 0x00, 0x0f, 0x05, /* mov $39; syscall */
		0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, /* mov $60; syscall */
	};

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(ctx.orig_rax, 39);
	hal_uctx_set(&ctx, HAL_UREG_RET, (uint64_t)-4); /* -EINTR */
	ck_assert_int_eq(hal_uctx_syscall_restart(&ctx), 0);
	ck_assert_uint_eq(ctx.rip, CODE_VA + 5);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_SYSNR), 39);
	ck_assert_uint_eq(ctx.rip, CODE_VA + 7);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(hal_uctx_get(&ctx, HAL_UREG_SYSNR), 60);
	ck_assert_uint_eq(ctx.orig_rax, 60);
}
END_TEST

/* ---- Threads of one space ------------------------------------------------ */

/* A second vCPU's run: its own context, trap info and result. */
struct vcpu_run {
	struct hal_uctx ctx;
	struct hal_trap_info info;
	enum hal_trap trap;
};

/*
 * The stub is spawned by this thread (vCPU 0), whose life is the test's:
 * its PR_SET_PDEATHSIG fires when the spawning *thread* ends, and vCPU 1's
 * thread ends before the test does.
 */
static void spawn_from_vcpu0(void)
{
	static const uint8_t code[] = { 0x0f, 0x05 }; /* syscall */

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
}

static void *run_ctx_on_vcpu1(void *arg)
{
	struct vcpu_run *r = arg;

	hosted_cpu_attach(1);
	hal_irq_enable();
	while ((r->trap = hal_user_run(&r->ctx, &as, &r->info)) ==
	       HAL_TRAP_INTERRUPT)
		;
	hal_irq_save();
	return NULL;
}

/*
 * Count in (%rdi) until both (%rsi) and (%rdi) reach 1000, then read
 * %fs:0 into rdi and make a system call. No timer runs, so no interrupt
 * ever takes a thread out of user mode: two contexts running this on
 * each other's counters both finish only if they run at the same time.
 */
static const uint8_t code_count[] = {
	0x48, 0xff, 0x07,                         /* 1: incq (%rdi) */
	0x48, 0x81, 0x3e, 0xe8, 0x03, 0x00, 0x00, /* cmpq $1000, (%rsi) */
	0x72, 0xf4,                               /* jb 1b */
	0x48, 0x81, 0x3f, 0xe8, 0x03, 0x00, 0x00, /* cmpq $1000, (%rdi) */
	0x72, 0xeb,                               /* jb 1b */
	0x64, 0x48, 0x8b, 0x3c, 0x25,             /* mov %fs:0, %rdi */
	0x00, 0x00, 0x00, 0x00,
	0x0f, 0x05,                               /* syscall */
	0x0f, 0x0b,                               /* ud2 */
	/* CODE_WAIT: 1: cmpq $0, (%rsi); je 1b; syscall */
	0x48, 0x83, 0x3e, 0x00, 0x74, 0xfa, 0x0f, 0x05,
};
#define CODE_UD2 (CODE_VA + 32)
#define CODE_WAIT (CODE_VA + 34)

START_TEST(threads_of_one_space_run_in_parallel)
{
	static struct vcpu_run other;
	pthread_t t;

	*data_word(0) = 0;
	*data_word(8) = 0;
	*data_word(0x100) = 0xa1;
	*data_word(0x200) = 0xb2;
	spawn_from_vcpu0();
	load(code_count, sizeof(code_count));
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ | HAL_PROT_WRITE);
	ctx.rdi = DATA_VA;
	ctx.rsi = DATA_VA + 8;
	ctx.fs_base = DATA_VA + 0x100;
	hal_uctx_init(&other.ctx, CODE_VA, STACK_TOP);
	other.ctx.rdi = DATA_VA + 8;
	other.ctx.rsi = DATA_VA;
	other.ctx.fs_base = DATA_VA + 0x200;
	ck_assert_int_eq(pthread_create(&t, NULL, run_ctx_on_vcpu1, &other),
			 0);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	pthread_join(t, NULL);
	ck_assert_int_eq(other.trap, HAL_TRAP_SYSCALL);
	/* Each read through its own FS base, in its own registers. */
	ck_assert_uint_eq(ctx.rdi, 0xa1);
	ck_assert_uint_eq(other.ctx.rdi, 0xb2);
	ck_assert_uint_eq(ctx.rsi, DATA_VA + 8);
	ck_assert_uint_eq(other.ctx.rsi, DATA_VA);
	ck_assert_uint_eq(ctx.fs_base, DATA_VA + 0x100);
	ck_assert_uint_eq(other.ctx.fs_base, DATA_VA + 0x200);
	ck_assert_uint_ge(*data_word(0), 1000);
	ck_assert_uint_ge(*data_word(8), 1000);
	/* Two threads in one stub process. */
	ck_assert_int_gt(hosted_stub_thread_tid(&as, 0), 0);
	ck_assert_int_gt(hosted_stub_thread_tid(&as, 1), 0);
	ck_assert_int_ne(hosted_stub_thread_tid(&as, 0),
			 hosted_stub_thread_tid(&as, 1));
}
END_TEST

/*
 * vCPU 1 waits in user code for a flag while vCPU 0's context dies of an
 * illegal instruction: vCPU 1 is not disturbed, sees the flag once vCPU 0
 * sets it, and both threads go on working in the same stub process.
 */
START_TEST(faulting_thread_leaves_its_sibling_running)
{
	static struct vcpu_run other;
	pthread_t t;
	pid_t pid;

	*data_word(0) = 0;
	spawn_from_vcpu0();
	load(code_count, sizeof(code_count));
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ | HAL_PROT_WRITE);
	hal_uctx_init(&other.ctx, CODE_WAIT, STACK_TOP);
	other.ctx.rsi = DATA_VA;
	ck_assert_int_eq(pthread_create(&t, NULL, run_ctx_on_vcpu1, &other),
			 0);
	while (hosted_stub_thread_tid(&as, 1) == 0) /* it has started */
		sched_yield();
	ctx.rip = CODE_UD2;
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION);
	ck_assert_int_eq(info.exception, HAL_EXC_ILLEGAL);
	pid = hosted_stub_pid(&as);
	*data_word(0) = 1; /* let vCPU 1's code finish */
	pthread_join(t, NULL);
	ck_assert_int_eq(other.trap, HAL_TRAP_SYSCALL);
	ck_assert_uint_eq(other.ctx.rip, CODE_WAIT + 8);
	/* The faulted thread runs again, in the same process. */
	hal_uctx_init(&ctx, CODE_WAIT, STACK_TOP);
	ctx.rsi = DATA_VA;
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_int_eq(hosted_stub_pid(&as), pid);
}
END_TEST

/* ---- Interrupts and the stub's life -------------------------------------- */

START_TEST(spinning_code_returns_on_timer_interrupt)
{
	static const uint8_t code[] = { 0xeb, 0xfe }; /* jmp . */
	enum hal_trap t;

	load(code, sizeof(code));
	hal_timer_arm(hal_clock_ns() + 5000000);
	do
		t = run();
	while (t == HAL_TRAP_INTERRUPT && timer_irqs == 0);
	ck_assert_int_eq(t, HAL_TRAP_INTERRUPT);
	ck_assert_uint_eq(timer_irqs, 1);
	ck_assert_uint_eq(ctx.rip, CODE_VA);
}
END_TEST

/* The core calls hal_user_run with interrupts disabled after its last
 * look at its flags: a kick sent before must end the run before user code
 * runs (not wait for the next interrupt), and the state is kept. */
START_TEST(kick_pending_with_interrupts_disabled_is_not_lost)
{
	static const uint8_t code[] = { 0x0f, 0x05 }; /* syscall */
	unsigned long irq;

	load(code, sizeof(code));
	irq = hal_irq_save();
	hal_cpu_kick(0);
	ck_assert_uint_eq(ipis, 0); /* held pending */
	ck_assert_int_eq(run(), HAL_TRAP_INTERRUPT);
	ck_assert(!hal_irq_enabled());
	ck_assert_uint_eq(ipis, 1); /* dispatched inside the run */
	ck_assert_uint_eq(ctx.rip, CODE_VA); /* no user instruction ran */
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert(!hal_irq_enabled());
	ck_assert_uint_eq(ctx.rip, CODE_VA + 2);
	hal_irq_restore(irq);
	ck_assert(hal_irq_enabled());
}
END_TEST

START_TEST(destroy_leaves_no_stub)
{
	static const uint8_t code[] = { 0x0f, 0x05 };
	pid_t pid;

	ck_assert_int_eq(hosted_stub_pid(&as), 0); /* spawned lazily */
	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	pid = hosted_stub_pid(&as);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(kill(pid, 0), 0);
	hal_as_destroy(&as);
	hosted_stub_pool_drain(); /* destroy may keep it for reuse */
	ck_assert_int_eq(kill(pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(hal_as_init(&as, 0x1000), 0); /* for teardown */
}
END_TEST

/* A destroyed space leaves its stub for the next one, without any of its
 * mappings (execve, fork after exit). */
static const uint8_t code_syscall[] = { 0x0f, 0x05 };

/* Runs a system call on as (spawning its stub), destroys as; returns the
 * stub's pid. */
static pid_t run_and_destroy(void)
{
	pid_t pid;

	load(code_syscall, sizeof(code_syscall));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	pid = hosted_stub_pid(&as);
	hal_as_destroy(&as);
	return pid;
}

/* A new space in as, with the stack page mapped as setup() does. */
static void new_space(void)
{
	ck_assert_int_eq(hal_as_init(&as, 0x1000), 0);
	hal_tlb_update(&as, STACK_TOP - PG, stack_pa,
		       HAL_PROT_READ | HAL_PROT_WRITE);
}

START_TEST(destroyed_stub_is_reused_without_its_mappings)
{
	pid_t pid = run_and_destroy();

	new_space();
	ck_assert_int_eq(hosted_stub_pid(&as), pid);
	hal_uctx_init(&ctx, CODE_VA, STACK_TOP); /* the code is not mapped */
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, CODE_VA);
	ck_assert_uint_eq(info.access, HAL_ACCESS_EXEC);
	load(code_syscall, sizeof(code_syscall));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_int_eq(hosted_stub_pid(&as), pid);
}
END_TEST

/* A pooled stub that died meanwhile is never handed out. */
START_TEST(dead_pooled_stub_is_not_reused)
{
	pid_t pid = run_and_destroy();

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	for (;;) { /* until it is a zombie (not reaped: WNOWAIT) */
		siginfo_t si = { .si_pid = 0 };

		ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si,
					WEXITED | WNOHANG | WNOWAIT), 0);
		if (si.si_pid == pid)
			break;
		sched_yield();
	}
	new_space();
	ck_assert_int_eq(hosted_stub_pid(&as), 0); /* a fresh one, later */
	load(code_syscall, sizeof(code_syscall));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_int_ne(hosted_stub_pid(&as), pid);
}
END_TEST

START_TEST(stub_death_is_an_exception)
{
	static const uint8_t code[] = { 0x0f, 0x05 };

	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	ck_assert_int_eq(kill(hosted_stub_pid(&as), SIGKILL), 0);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION);
	ck_assert_int_eq(hosted_stub_pid(&as), -1);
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION); /* and stays so */
}
END_TEST

START_TEST(missing_stub_binary_is_an_exception)
{
	static const uint8_t code[] = { 0x0f, 0x05 };

	hosted_stub_set_path("/nonexistent/keel-stub");
	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_EXCEPTION);
	hosted_stub_set_path(NULL);
}
END_TEST

/* ---- Isolation: user code borrowing the stub's system calls ------------ */

/*
 * What a hostile program can do on hosted: the stub's text is readable
 * at a known address, and seccomp sees only a call's instruction
 * pointer. So user code finds `syscall; ret` (0f 05 c3) in the stub's
 * text, loads the registers of a call from the data page (nr, then
 * arguments 0..5 in seven words) and calls the gadget; then it passes the
 * result to the kernel in a system call of its own (rdi). Whatever it
 * asks, the stub must not map memory, write a file or signal anyone but
 * itself for it: such a call ends the stub, the kernel sees an exception
 * and goes on.
 */
static const uint8_t code_gadget_call[] = {
	0x48, 0xbb, 0x00, 0x00, 0x00, 0x00, 0x80, 0x7f, 0x00, 0x00,
					/* movabs $0x7f8000000000, %rbx */
	0x66, 0x81, 0x3b, 0x0f, 0x05,	/* 1: cmpw $0x050f, (%rbx) */
	0x75, 0x06,			/* jne 2f */
	0x80, 0x7b, 0x02, 0xc3,		/* cmpb $0xc3, 2(%rbx) */
	0x74, 0x05,			/* je 3f */
	0x48, 0xff, 0xc3,		/* 2: inc %rbx */
	0xeb, 0xee,			/* jmp 1b */
	0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x50, 0x00, /* 3: mov nr, %rax */
	0x48, 0x8b, 0x3c, 0x25, 0x08, 0x00, 0x50, 0x00, /* mov a0, %rdi */
	0x48, 0x8b, 0x34, 0x25, 0x10, 0x00, 0x50, 0x00, /* mov a1, %rsi */
	0x48, 0x8b, 0x14, 0x25, 0x18, 0x00, 0x50, 0x00, /* mov a2, %rdx */
	0x4c, 0x8b, 0x14, 0x25, 0x20, 0x00, 0x50, 0x00, /* mov a3, %r10 */
	0x4c, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x50, 0x00, /* mov a4, %r8 */
	0x4c, 0x8b, 0x0c, 0x25, 0x30, 0x00, 0x50, 0x00, /* mov a5, %r9 */
	0xff, 0xd3,			/* call *%rbx */
	0x48, 0x89, 0xc7,		/* mov %rax, %rdi */
	0x0f, 0x05,			/* syscall (trapped: to the kernel) */
};

/* Runs the gadget program for call nr(a...) in a space of its own. */
static enum hal_trap borrow_stub_call(long nr, const long a[6])
{
	*data_word(0) = (uint64_t)nr;
	for (int i = 0; i < 6; i++)
		*data_word(8 + 8 * (size_t)i) = (uint64_t)a[i];
	load(code_gadget_call, sizeof(code_gadget_call));
	hal_tlb_update(&as, DATA_VA, data_pa, HAL_PROT_READ);
	return run_no_irq();
}

/* The control: a call the stub's user filter allows goes through the
 * gadget and back, so the refusals below are the filter's. */
START_TEST(borrowed_allowed_call_returns)
{
	static const long none[6];

	ck_assert_int_eq(borrow_stub_call(39 /* getpid */, none),
			 HAL_TRAP_SYSCALL);
	ck_assert_int_eq((long)ctx.rdi, hosted_stub_pid(&as));
}
END_TEST

#define PROT_R 1
#define PROT_RW 3
#define MAP_SHARED_FIXED 0x11

static const struct borrowed_call {
	const char *what;
	long nr;
	long a[6];
} forbidden_calls[] = {
	/* a frame of physical memory (data_pa is patched in) */
	{ "mmap of the physical-memory fd", 9,
	  { 0x600000, 4096, PROT_RW, MAP_SHARED_FIXED, STUB_PHYS_FD, -1 } },
	{ "mmap of the context fd over the mapper's request", 9,
	  { STUB_MAP_ADDR, 4096, PROT_RW, MAP_SHARED_FIXED, STUB_CTX_FD,
	    STUB_MAP_OFF } },
	{ "anonymous mmap", 9, { 0x600000, 4096, PROT_RW, 0x32, -1, 0 } },
	{ "mprotect of the mapper's request", 10,
	  { STUB_MAP_ADDR, 4096, PROT_RW } },
	{ "munmap of the stub's text", 11, { 0x7f8000000000, 4096 } },
	{ "pwrite64 forging the mapper's report", 18,
	  { STUB_CTX_FD, DATA_VA, 8, STUB_MAP_OFF + STUB_MAP_DONE_OFF } },
	{ "openat", 257, { -100, DATA_VA, 0 } },
	{ "tgkill of another process", 234, { 1, 1, 0 } },
	{ "tgkill with SIGSTOP", 234, { 0 /* own pid, patched */, 0, 19 } },
	{ "futex requeue", 202, { DATA_VA, 4 /* CMP_REQUEUE */, 0, 0 } },
	{ "arch_prctl other than ARCH_SET_FS", 158, { 0x1001 /* SET_GS */ } },
	{ "rt_sigprocmask", 14, { 2, 0, 0, 8 } },
};

START_TEST(borrowed_forbidden_call_ends_the_stub)
{
	const struct borrowed_call *c = &forbidden_calls[_i];
	long a[6];
	pid_t pid;

	memcpy(a, c->a, sizeof(a));
	if (c->nr == 9 && a[4] == STUB_PHYS_FD)
		a[5] = (long)data_pa;
	/* The stub exists (and its pid is known) before the attack. */
	load(code_syscall, sizeof(code_syscall));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
	pid = hosted_stub_pid(&as);
	if (c->nr == 234 && a[0] == 0)
		a[0] = pid;
	ck_assert_msg(borrow_stub_call(c->nr, a) == HAL_TRAP_EXCEPTION,
		      "%s: not refused (rdi %ld)", c->what, (long)ctx.rdi);
	ck_assert_int_eq(hosted_stub_pid(&as), -1);
	ck_assert_int_eq(kill(pid, 0), -1); /* gone, and reaped */
	/* The kernel goes on: the next space runs. */
	hal_as_destroy(&as);
	new_space();
	load(code_syscall, sizeof(code_syscall));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_SYSCALL);
}
END_TEST

/* The mapper's request is read-only to user code: a write faults. */
START_TEST(mapper_request_is_read_only_to_user_code)
{
	static const uint8_t code[] = {
		0x48, 0xb8, 0x00, 0x00, 0x00, 0xf8, 0x7f, 0x7f, 0x00, 0x00,
						/* movabs $STUB_MAP_ADDR, %rax */
		0x48, 0xc7, 0x00, 0x07, 0x00, 0x00, 0x00, /* movq $7, (%rax) */
		0x0f, 0x05,
	};

	_Static_assert(STUB_MAP_ADDR == 0x7f7ff8000000, "the code above");
	load(code, sizeof(code));
	ck_assert_int_eq(run_no_irq(), HAL_TRAP_PAGE_FAULT);
	ck_assert_uint_eq(info.addr, STUB_MAP_ADDR);
	ck_assert_uint_eq(info.access, HAL_ACCESS_WRITE);
}
END_TEST

static Suite *stub_suite(void)
{
	Suite *s = suite_create("stub");
	TCase *tc = tcase_create("user");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, syscall_arguments_and_return_value);
	tcase_add_test(tc, int80_is_a_protection_fault);
	tcase_add_test(tc, paired_placement_keeps_the_stub_thread_off_this_cpu);
	tcase_add_test(tc, placement_of_a_dead_stub_thread_is_given_up);
	tcase_add_test(tc, write_to_unmapped_page_faults_then_retries);
	tcase_add_test(tc, read_of_unmapped_page_faults);
	tcase_add_test(tc, jump_to_unmapped_page_faults_as_exec);
	tcase_add_test(tc, write_to_read_only_page_faults_as_write);
	tcase_add_test(tc, invalidated_page_faults_again);
	tcase_add_test(tc, flush_stops_user_code_elsewhere);
	tcase_add_test(tc, many_mappings_go_in_batches);
	tcase_add_test(tc, ops_queued_before_the_stub_exists_are_replayed);
	tcase_add_test(tc, failed_host_mapping_is_an_exception);
	tcase_add_test(tc, ud2_is_illegal);
	tcase_add_test(tc, int3_is_breakpoint);
	tcase_add_test(tc, divide_by_zero_is_divide);
	tcase_add_test(tc, privileged_instruction_is_protection);
	tcase_add_test(tc, fs_base_is_visible_to_user_code);
	tcase_add_test(tc, fpu_state_goes_both_ways);
	tcase_add_test(tc, privileged_flags_are_sanitised);
	tcase_add_test(tc, named_registers_map_to_the_abi);
	tcase_add_test(tc, whole_register_set_round_trips);
	tcase_add_test(tc, restarted_syscall_traps_again);
	tcase_add_test(tc, threads_of_one_space_run_in_parallel);
	tcase_add_test(tc, faulting_thread_leaves_its_sibling_running);
	tcase_add_test(tc, spinning_code_returns_on_timer_interrupt);
	tcase_add_test(tc, kick_pending_with_interrupts_disabled_is_not_lost);
	tcase_add_test(tc, destroy_leaves_no_stub);
	tcase_add_test(tc, destroyed_stub_is_reused_without_its_mappings);
	tcase_add_test(tc, dead_pooled_stub_is_not_reused);
	tcase_add_test(tc, stub_death_is_an_exception);
	tcase_add_test(tc, missing_stub_binary_is_an_exception);
	tcase_add_test(tc, borrowed_allowed_call_returns);
	tcase_add_loop_test(tc, borrowed_forbidden_call_ends_the_stub, 0,
			    sizeof(forbidden_calls) / sizeof(forbidden_calls[0]));
	tcase_add_test(tc, mapper_request_is_read_only_to_user_code);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(stub_suite);
