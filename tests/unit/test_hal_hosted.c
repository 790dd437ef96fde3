/*
 * Unit tests of the hosted HAL below user mode: the host command line,
 * initrd loading, interrupt masking (nesting, pending lines replayed on
 * enable, masked lines), the clock, the one-shot timer, IPIs, hal_cpu_idle,
 * kernel-context switching and vCPU bring-up limits.
 *
 * Interrupts are diverted to a counting hook (hosted_irq_divert) instead
 * of the core's core_irq, so the tests see exactly what the HAL delivers.
 * The test thread is vCPU 0 (hosted_cpu_boot).
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hal/hal.h>
#include "../../hal/hosted/hosted.h"
#include "mm/frame.h"

/* ---- Interrupt bookkeeping shared by the tests ---------------------- */

static unsigned irq_count[HAL_IRQ_MAX];
static bool irq_enabled_in_handler;

static void count_irq(unsigned line)
{
	irq_count[line]++;
	if (hal_irq_enabled())
		irq_enabled_in_handler = true;
}

static void setup_cpu(void)
{
	unit_boot_mm();
	hosted_cpu_boot(1);
	hosted_irq_divert = count_irq;
	hal_irq_save();
	hal_timer_arm(HAL_TIMER_OFF);
	__atomic_store_n(&hosted_cpu_self()->pending, 0, __ATOMIC_SEQ_CST);
	memset(irq_count, 0, sizeof(irq_count));
	irq_enabled_in_handler = false;
}

static void teardown_cpu(void)
{
	hal_timer_arm(HAL_TIMER_OFF);
	hal_irq_save();
	hal_irq_mask(HAL_IRQ_CONSOLE);
	__atomic_store_n(&hosted_cpu_self()->pending, 0, __ATOMIC_SEQ_CST);
}

/* Spins (with interrupts as they are) until ns have passed. */
static void spin_for(uint64_t ns)
{
	uint64_t end = hal_clock_ns() + ns;

	while (hal_clock_ns() < end)
		hal_cpu_relax();
}

/* ---- Host command line ------------------------------------------------ */

/* Parses argv with the usage text (stdout or stderr) silenced. */
static int parse(struct hosted_opts *o, int argc, const char **argv)
{
	int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY);
	int r;

	ck_assert(out >= 0 && err >= 0 && null >= 0);
	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	r = hosted_parse_args(argc, (char **)argv, o);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	close(out);
	close(err);
	close(null);
	return r;
}

START_TEST(args_defaults_and_cmdline)
{
	const char *argv[] = { "keel-kernel", "--initrd", "x.cpio", "ktest",
			       "--", "/hello", "a", "--mem", "b" };
	struct hosted_opts o;

	ck_assert_int_eq(parse(&o, 9, argv), 0);
	ck_assert_uint_eq(o.mem, HOSTED_DEFAULT_MEM);
	ck_assert_uint_eq(o.cpus, 1);
	ck_assert_str_eq(o.initrd, "x.cpio");
	ck_assert_ptr_null(o.stub);
	/* After "--" nothing is a host option any more. */
	ck_assert_str_eq(o.cmdline, "ktest -- /hello a --mem b");
	hosted_opts_free(&o);
}
END_TEST

START_TEST(args_all_options)
{
	const char *argv[] = { "k", "--mem", "64M", "--cpus", "4", "--stub",
			       "/s", "loglevel=3" };
	struct hosted_opts o;

	ck_assert_int_eq(parse(&o, 8, argv), 0);
	ck_assert_uint_eq(o.mem, 64ull << 20);
	ck_assert_uint_eq(o.cpus, 4);
	ck_assert_str_eq(o.stub, "/s");
	ck_assert_ptr_null(o.initrd);
	ck_assert_str_eq(o.cmdline, "loglevel=3");
	hosted_opts_free(&o);

	ck_assert_int_eq(parse(&o, 1, argv), 0);
	ck_assert_str_eq(o.cmdline, "");
	hosted_opts_free(&o);
}
END_TEST

START_TEST(args_errors)
{
	const char *bad[][3] = {
		{ "k", "--mem", "lots" }, { "k", "--mem", "1M" },
		{ "k", "--cpus", "0" },   { "k", "--cpus", "9" },
		{ "k", "--cpus", "2x" },  { "k", "--frobnicate", "1" },
	};
	const char *missing[] = { "k", "--initrd" };
	struct hosted_opts o;

	const char *help[] = { "k", "ktest", "--help" };
	const char *late[] = { "k", "--", "--help" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(parse(&o, 3, bad[i]), -EINVAL);
	ck_assert_int_eq(parse(&o, 2, missing), -EINVAL);
	ck_assert_int_eq(parse(&o, 3, help), 1);
	/* After "--" it is the kernel's word. */
	ck_assert_int_eq(parse(&o, 3, late), 0);
	ck_assert_str_eq(o.cmdline, "-- --help");
	hosted_opts_free(&o);
}
END_TEST

START_TEST(sizes_parse)
{
	uint64_t v = 0;

	ck_assert(hosted_parse_size("4096", &v));
	ck_assert_uint_eq(v, 4096);
	ck_assert(hosted_parse_size("64k", &v));
	ck_assert_uint_eq(v, 64 << 10);
	ck_assert(hosted_parse_size("2G", &v));
	ck_assert_uint_eq(v, 2ull << 30);
	ck_assert(!hosted_parse_size("", &v));
	ck_assert(!hosted_parse_size("-1", &v));
	ck_assert(!hosted_parse_size("1T", &v));
	ck_assert(!hosted_parse_size("12MB", &v));
	ck_assert(!hosted_parse_size("99999999999999999999", &v));
	ck_assert(!hosted_parse_size("17179869184G", &v)); /* overflows */
}
END_TEST

START_TEST(initrd_is_loaded_into_reserved_memory)
{
	char path[] = "/tmp/keel-initrd-XXXXXX";
	struct hal_boot_info bi;
	hal_paddr_t base;
	char data[5000];
	int fd;

	unit_boot_mm();
	base = frame_alloc(2); /* 4 frames to play boot loader in */
	ck_assert_uint_ne(base, 0);
	memset(&bi, 0, sizeof(bi));
	bi.mem[0].base = base;
	bi.mem[0].size = 4 * HAL_PAGE_SIZE;
	bi.nmem = 1;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + 3);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, sizeof(data)), (int)sizeof(data));
	close(fd);

	hosted_load_initrd(path, &bi);
	unlink(path);
	/* Two pages off the top, the rest still RAM. */
	ck_assert_uint_eq(bi.initrd_size, sizeof(data));
	ck_assert_uint_eq(bi.initrd_base, base + 2 * HAL_PAGE_SIZE);
	ck_assert_uint_eq(bi.mem[0].size, 2 * HAL_PAGE_SIZE);
	ck_assert_mem_eq(hal_phys_to_virt(bi.initrd_base), data, sizeof(data));
	frame_free(base);
}
END_TEST

START_TEST(errno_translation)
{
	ck_assert_int_eq(hosted_errno(ENOMEM), -ENOMEM);
	ck_assert_int_eq(hosted_errno(EINVAL), -EINVAL);
	ck_assert_int_eq(hosted_errno(0), -EIO);
	ck_assert_int_eq(hosted_errno(-3), -EIO);
}
END_TEST

/* ---- Interrupt state ------------------------------------------------- */

START_TEST(irq_save_restore_nests)
{
	unsigned long outer, inner;

	hal_irq_enable();
	ck_assert(hal_irq_enabled());
	outer = hal_irq_save();
	ck_assert(!hal_irq_enabled());
	inner = hal_irq_save();
	ck_assert(!hal_irq_enabled());
	hal_irq_restore(inner);
	ck_assert(!hal_irq_enabled()); /* still inside the outer section */
	hal_irq_restore(outer);
	ck_assert(hal_irq_enabled());
	ck_assert_uint_ne(outer, 0);
	ck_assert_uint_eq(inner, 0);
}
END_TEST

START_TEST(ipi_while_disabled_is_replayed_on_restore)
{
	unsigned long s;

	hal_irq_enable();
	s = hal_irq_save();
	hal_cpu_kick(0); /* the signal arrives at once: only recorded */
	ck_assert_uint_eq(irq_count[HAL_IRQ_IPI], 0);
	hal_irq_restore(s);
	ck_assert_uint_eq(irq_count[HAL_IRQ_IPI], 1);
	ck_assert(!irq_enabled_in_handler);
	ck_assert(hal_irq_enabled());
}
END_TEST

START_TEST(ipi_while_enabled_dispatches_at_once)
{
	hal_irq_enable();
	hal_cpu_kick(0);
	ck_assert_uint_eq(irq_count[HAL_IRQ_IPI], 1);
	ck_assert(!irq_enabled_in_handler);
	ck_assert(hal_irq_enabled());
	/* A kick to a CPU the machine lacks is ignored. */
	hal_cpu_kick(HAL_MAX_CPUS + 1);
	ck_assert_uint_eq(irq_count[HAL_IRQ_IPI], 1);
}
END_TEST

START_TEST(masked_line_is_not_delivered)
{
	hal_irq_enable();
	hosted_irq_raise(0, HAL_IRQ_CONSOLE);
	ck_assert_uint_eq(irq_count[HAL_IRQ_CONSOLE], 0);
	ck_assert_int_eq(hal_irq_unmask(HAL_IRQ_CONSOLE), 0);
	hosted_irq_raise(0, HAL_IRQ_CONSOLE);
	ck_assert_uint_eq(irq_count[HAL_IRQ_CONSOLE], 1);
	hal_irq_mask(HAL_IRQ_CONSOLE);
	hal_irq_mask(HAL_IRQ_TIMER); /* cannot be masked */
	ck_assert(hosted_irq_line_unmasked(HAL_IRQ_TIMER));
	ck_assert_int_eq(hal_irq_unmask(HAL_IRQ_MAX), -EINVAL);
	ck_assert_int_eq(hal_irq_unmask(7), -EINVAL);
	ck_assert(!hosted_irq_line_unmasked(HAL_IRQ_MAX + 3));
}
END_TEST

START_TEST(console_read_without_input_returns_zero)
{
	char buf[8];

	ck_assert_uint_eq(hal_console_read(buf, sizeof(buf)), 0);
	hal_console_write("", 0);
}
END_TEST

/* ---- Time -------------------------------------------------------------- */

START_TEST(clock_is_monotonic_and_advances)
{
	uint64_t prev = hal_clock_ns(), start = prev;
	struct timespec ts = { 0, 2000000 };

	for (int i = 0; i < 10000; i++) {
		uint64_t now = hal_clock_ns();

		ck_assert_uint_ge(now, prev);
		prev = now;
	}
	while (nanosleep(&ts, &ts) != 0)
		;
	ck_assert_uint_ge(hal_clock_ns() - start, 2000000);
}
END_TEST

START_TEST(timer_fires_in_idle_after_deadline)
{
	uint64_t start = hal_clock_ns(), deadline = start + 3000000;

	hal_timer_arm(deadline);
	while (!irq_count[HAL_IRQ_TIMER])
		hal_cpu_idle();
	ck_assert_uint_ge(hal_clock_ns(), deadline);
	ck_assert_uint_eq(irq_count[HAL_IRQ_TIMER], 1);
	ck_assert(!hal_irq_enabled()); /* idle returns disabled */
	ck_assert(!irq_enabled_in_handler);
}
END_TEST

START_TEST(timer_in_the_past_fires_at_once)
{
	hal_timer_arm(0);
	hal_cpu_idle();
	ck_assert_uint_eq(irq_count[HAL_IRQ_TIMER], 1);
}
END_TEST

START_TEST(timer_fires_while_enabled)
{
	hal_irq_enable();
	hal_timer_arm(hal_clock_ns() + 1000000);
	for (uint64_t end = hal_clock_ns() + 5000000000ull;
	     !irq_count[HAL_IRQ_TIMER] && hal_clock_ns() < end;)
		hal_cpu_relax();
	ck_assert_uint_eq(irq_count[HAL_IRQ_TIMER], 1);
	ck_assert(!irq_enabled_in_handler);
}
END_TEST

START_TEST(timer_rearm_replaces_and_off_disarms)
{
	hal_irq_enable();
	hal_timer_arm(hal_clock_ns() + 1000000);
	hal_timer_arm(hal_clock_ns() + 3600 * 1000000000ull);
	spin_for(10000000);
	ck_assert_uint_eq(irq_count[HAL_IRQ_TIMER], 0);
	hal_timer_arm(hal_clock_ns() + 1000000);
	hal_timer_arm(HAL_TIMER_OFF);
	spin_for(10000000);
	ck_assert_uint_eq(irq_count[HAL_IRQ_TIMER], 0);
}
END_TEST

/* ---- Kernel contexts -------------------------------------------------- */

#define KSTACK (64u << 10)

static struct hal_kctx k_main, k_a, k_b;
static char trace[32];
static size_t ntrace;
static bool misaligned;

static void note(char c)
{
	if (ntrace < sizeof(trace) - 1)
		trace[ntrace++] = c;
	/* The System V ABI: rbp pushed at entry sits 16-byte aligned. */
	if ((uintptr_t)__builtin_frame_address(0) % 16)
		misaligned = true;
}

static void ctx_a(void *arg)
{
	for (;;) {
		note(*(const char *)arg);
		hal_kctx_switch(&k_a, &k_b);
	}
}

static void ctx_b(void *arg)
{
	for (int round = 0;; round++) {
		note((char)(*(const char *)arg + round));
		hal_kctx_switch(&k_b, &k_main);
	}
}

START_TEST(kctx_switch_ping_pong)
{
	char *sa = malloc(KSTACK), *sb = malloc(KSTACK);
	static const char a = 'a', b = '0';
	volatile int kept = 12345; /* lives across the switches */

	ck_assert_ptr_nonnull(sa);
	ck_assert_ptr_nonnull(sb);
	ntrace = 0;
	misaligned = false;
	/* Odd sizes: the HAL aligns the top itself. */
	hal_kctx_init(&k_a, sa, KSTACK - 3, ctx_a, (void *)&a);
	hal_kctx_init(&k_b, sb, KSTACK - 8, ctx_b, (void *)&b);
	for (int i = 0; i < 3; i++) {
		hal_kctx_switch(&k_main, &k_a);
		trace[ntrace++] = '|';
	}
	trace[ntrace] = '\0';
	ck_assert_str_eq(trace, "a0|a1|a2|");
	ck_assert(!misaligned);
	ck_assert_int_eq(kept, 12345);
	free(sa);
	free(sb);
}
END_TEST

/* ---- CPUs --------------------------------------------------------------- */

START_TEST(cpu_identity_and_limits)
{
	ck_assert_uint_eq(hal_cpu_id(), 0);
	ck_assert_uint_eq(hosted_cpu_count(), 1);
	ck_assert_int_eq(hal_cpu_start(0), -EINVAL);
	ck_assert_int_eq(hal_cpu_start(1), -EINVAL); /* booted with 1 CPU */
	ck_assert_int_eq(hal_cpu_start(HAL_MAX_CPUS), -EINVAL);
}
END_TEST

static Suite *hal_hosted_suite(void)
{
	Suite *s = suite_create("hal_hosted");
	TCase *boot = tcase_create("boot");
	TCase *irq = tcase_create("irq");
	TCase *time = tcase_create("time");
	TCase *kctx = tcase_create("kctx");

	tcase_add_test(boot, args_defaults_and_cmdline);
	tcase_add_test(boot, args_all_options);
	tcase_add_test(boot, args_errors);
	tcase_add_test(boot, sizes_parse);
	tcase_add_test(boot, initrd_is_loaded_into_reserved_memory);
	tcase_add_test(boot, errno_translation);
	suite_add_tcase(s, boot);

	tcase_add_checked_fixture(irq, setup_cpu, teardown_cpu);
	tcase_add_test(irq, irq_save_restore_nests);
	tcase_add_test(irq, ipi_while_disabled_is_replayed_on_restore);
	tcase_add_test(irq, ipi_while_enabled_dispatches_at_once);
	tcase_add_test(irq, masked_line_is_not_delivered);
	tcase_add_test(irq, console_read_without_input_returns_zero);
	tcase_add_test(irq, cpu_identity_and_limits);
	suite_add_tcase(s, irq);

	tcase_add_checked_fixture(time, setup_cpu, teardown_cpu);
	tcase_set_timeout(time, 60);
	tcase_add_test(time, clock_is_monotonic_and_advances);
	tcase_add_test(time, timer_fires_in_idle_after_deadline);
	tcase_add_test(time, timer_in_the_past_fires_at_once);
	tcase_add_test(time, timer_fires_while_enabled);
	tcase_add_test(time, timer_rearm_replaces_and_off_disarms);
	suite_add_tcase(s, time);

	tcase_add_checked_fixture(kctx, setup_cpu, teardown_cpu);
	tcase_add_test(kctx, kctx_switch_ping_pong);
	suite_add_tcase(s, kctx);
	return s;
}

UNIT_SUITE(hal_hosted_suite);
