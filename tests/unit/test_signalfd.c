/*
 * Unit tests of signalfd's hook in the signal service
 * (services/signal/signal_notify.c) and signalfd4's argument checks: a
 * queued signal bumps the count and shows in signal_pending_in (blocked
 * or not, a process's and a thread's), a signal that is dropped (already
 * pending, ignored) bumps nothing, and signalfd4 refuses bad flags and
 * sizes before any user access. Reads and readiness run in
 * tests/abi/signalfd.c.
 */
#include "unit.h"
#include "proc_fixtures.h"

#include "sched/sched.h" /* struct user_ctx */

#include <string.h>

#include <keel/errno.h>
#include <keel/user.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>

static struct proc proc;
static struct thread thr;
static struct user_ctx ctx;

static void fresh(void)
{
	unit_boot_mm();
	fixture_proc(&proc, &thr, 43);
	uctx_init(&ctx, 0x400000, 0x7ff000);
}

static long call4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3)
{
	uctx_set(&ctx, UREG_SYSNR, nr);
	uctx_set(&ctx, UREG_ARG0, a0);
	uctx_set(&ctx, UREG_ARG1, a1);
	uctx_set(&ctx, UREG_ARG2, a2);
	uctx_set(&ctx, UREG_ARG3, a3);
	syscall_dispatch(&thr, &ctx);
	return (long)uctx_get(&ctx, UREG_RET);
}

START_TEST(a_queued_signal_bumps_the_count_and_is_pending_in_its_set)
{
	struct linux_siginfo info;
	unsigned before;

	fresh();
	memset(&info, 0, sizeof(info));
	thr.sig.blocked = SIG_BIT(SIGUSR1) | SIG_BIT(SIGUSR2);
	before = signal_queued_seq();
	ck_assert(!signal_pending_in(&thr, SIG_BIT(SIGUSR1)));
	ck_assert_int_eq(signal_send(&proc, SIGUSR1, &info), 0);
	ck_assert_uint_eq(signal_queued_seq(), before + 1);
	ck_assert(signal_pending_in(&thr, SIG_BIT(SIGUSR1)));
	ck_assert(!signal_pending_in(&thr, SIG_BIT(SIGUSR2)));
	/* Already pending: not queued again, no wake-up. */
	ck_assert_int_eq(signal_send(&proc, SIGUSR1, &info), 0);
	ck_assert_uint_eq(signal_queued_seq(), before + 1);
	/* A thread's own signal counts too. */
	ck_assert_int_eq(signal_send_thread(&thr, SIGUSR2, &info), 0);
	ck_assert_uint_eq(signal_queued_seq(), before + 2);
	ck_assert(signal_pending_in(&thr, SIG_BIT(SIGUSR2)));
	/* An ignored, unblocked signal is dropped: nothing to read. */
	ck_assert_int_eq(signal_send(&proc, SIGCHLD, &info), 0);
	ck_assert_uint_eq(signal_queued_seq(), before + 2);
	ck_assert(!signal_pending_in(&thr, SIG_BIT(SIGCHLD)));
	fixture_proc_done(&proc);
}
END_TEST

START_TEST(signalfd4_checks_flags_and_size_first)
{
	fresh();
	ck_assert_int_eq(call4(SYSNR_signalfd4, -1, 0x10000, 8, 1), -EINVAL);
	ck_assert_int_eq(call4(SYSNR_signalfd4, -1, 0x10000, 4, 0), -EINVAL);
	ck_assert_int_eq(call4(SYSNR_signalfd4, -1, 0x10000, 16, 0), -EINVAL);
	fixture_proc_done(&proc);
}
END_TEST

static Suite *signalfd_suite(void)
{
	Suite *s = suite_create("signalfd");
	TCase *tc = tcase_create("hook");

	tcase_add_test(tc,
		       a_queued_signal_bumps_the_count_and_is_pending_in_its_set);
	tcase_add_test(tc, signalfd4_checks_flags_and_size_first);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(signalfd_suite);
