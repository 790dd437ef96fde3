/*
 * Unit tests of the signal service (services/signal/) without user
 * memory: queueing (one per standard signal, ignored ones dropped unless
 * blocked), faults going to a handler only when one would run, default
 * actions in signal_deliver (terminate, core bit, ignore), a handler
 * whose frame cannot be written killing with SIGSEGV, exec resetting
 * caught actions, and the system calls' checks that come before any user
 * access (x86-64 numbers, the hosted ABI).
 */
#include "unit.h"
#include "capture.h"
#include "proc_fixtures.h"

#include "sched/sched.h" /* struct user_ctx */

#include <string.h>

#include <keel/errno.h>
#include <keel/user.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/signal.h>
#include <svc/syscall.h>

static struct proc proc;
static struct thread thr;
static struct user_ctx ctx;
static struct capture cap;

static void fresh_proc(void)
{
	unit_boot_mm();
	fixture_proc(&proc, &thr, 42);
	uctx_init(&ctx, 0x400000, 0x7ff000);
}

static void done(void)
{
	fixture_proc_done(&proc);
}

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
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

static void send(int sig)
{
	struct linux_siginfo info;

	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(signal_send(&proc, sig, &info), 0);
}

START_TEST(sending_queues_once_and_drops_ignored)
{
	fresh_proc();
	ck_assert_int_eq(signal_send(&proc, 0, &(struct linux_siginfo){ 0 }),
			 -EINVAL);
	ck_assert_int_eq(signal_send(&proc, 65, &(struct linux_siginfo){ 0 }),
			 -EINVAL);
	send(SIGCHLD); /* default: ignore */
	ck_assert(!signal_deliverable(&thr));
	thr.sig.blocked = SIG_BIT(SIGCHLD);
	send(SIGCHLD); /* blocked: kept, as Linux */
	ck_assert_uint_eq(proc.shared_pending.set, SIG_BIT(SIGCHLD));
	ck_assert(!signal_deliverable(&thr));
	proc.sighand->action[SIGUSR1 - 1].sa_handler = SIG_IGN;
	send(SIGUSR1);
	ck_assert_uint_eq(proc.shared_pending.set, SIG_BIT(SIGCHLD));
	proc.sighand->action[SIGUSR1 - 1].sa_handler = 0x401000;
	send(SIGUSR1);
	send(SIGUSR1);
	ck_assert_uint_eq(proc.shared_pending.set,
			  SIG_BIT(SIGCHLD) | SIG_BIT(SIGUSR1));
	ck_assert_int_eq(proc.shared_pending.info[SIGUSR1 - 1].si_signo, SIGUSR1);
	ck_assert(signal_deliverable(&thr));
	done();
}
END_TEST

START_TEST(faults_go_to_a_handler_only)
{
	fresh_proc();
	ck_assert(!signal_fault(&thr, SIGSEGV, 1, 0x10)); /* SIG_DFL */
	proc.sighand->action[SIGSEGV - 1].sa_handler = SIG_IGN;
	ck_assert(!signal_fault(&thr, SIGSEGV, 1, 0x10));
	proc.sighand->action[SIGSEGV - 1].sa_handler = 0x401000;
	thr.sig.blocked = SIG_BIT(SIGSEGV);
	ck_assert(!signal_fault(&thr, SIGSEGV, 1, 0x10));
	thr.sig.blocked = 0;
	ck_assert(signal_fault(&thr, SIGSEGV, 2, 0x20));
	ck_assert_int_eq(thr.sig.pending.info[SIGSEGV - 1].si_code, 2);
	ck_assert_uint_eq(thr.sig.pending.info[SIGSEGV - 1].fields.sigfault.si_addr,
			  0x20);
	done();
}
END_TEST

START_TEST(default_actions)
{
	fresh_proc();
	capture_start(&cap);
	send(SIGCHLD);
	signal_deliver(&thr, &ctx, false);
	ck_assert(!proc.exiting);
	send(SIGTERM);
	signal_deliver(&thr, &ctx, false);
	ck_assert(proc.exiting);
	ck_assert_int_eq(proc.term_signal, SIGTERM);
	ck_assert(!proc.core_dumped);
	done();
	fresh_proc();
	send(SIGQUIT);
	signal_deliver(&thr, &ctx, false);
	ck_assert_int_eq(proc.term_signal, SIGQUIT);
	ck_assert(proc.core_dumped);
	ck_assert(matches(capture_stop(&cap),
			  "killed by SIGQUIT \\(core dumped\\)"));
	done();
}
END_TEST

START_TEST(an_unwritable_frame_kills_with_sigsegv)
{
	fresh_proc();
	capture_start(&cap);
	proc.sighand->action[SIGUSR1 - 1] = (struct linux_sigaction){
		.sa_handler = 0x401000, .sa_flags = SA_RESTORER,
		.sa_restorer = 0x401100 };
	send(SIGUSR1);
	signal_deliver(&thr, &ctx, false);
	ck_assert(proc.exiting);
	ck_assert_int_eq(proc.term_signal, SIGSEGV);
	ck_assert(matches(capture_stop(&cap),
			  "cannot write the frame of SIGUSR1"));
	done();
}
END_TEST

START_TEST(exec_resets_caught_actions)
{
	fresh_proc();
	proc.sighand->action[SIGUSR1 - 1].sa_handler = 0x401000;
	proc.sighand->action[SIGUSR2 - 1].sa_handler = SIG_IGN;
	thr.sig.blocked = SIG_BIT(SIGTERM);
	ck_assert_int_eq(proc_state_exec(&proc), 0);
	ck_assert_uint_eq(proc.sighand->action[SIGUSR1 - 1].sa_handler, SIG_DFL);
	ck_assert_uint_eq(proc.sighand->action[SIGUSR2 - 1].sa_handler, SIG_IGN);
	ck_assert_uint_eq(thr.sig.blocked, SIG_BIT(SIGTERM));
	done();
}
END_TEST

#define NR_RT_SIGACTION 13
#define NR_RT_SIGPROCMASK 14
#define NR_KILL 62
#define NR_TKILL 200
#define NR_TGKILL 234
#define NR_RT_SIGRETURN 15

START_TEST(system_call_checks)
{
	fresh_proc();
	ck_assert_int_eq(call(NR_RT_SIGACTION, SIGUSR1, 0, 0, 4), -EINVAL);
	ck_assert_int_eq(call(NR_RT_SIGACTION, 0, 0, 0, 8), -EINVAL);
	ck_assert_int_eq(call(NR_RT_SIGACTION, 65, 0, 0, 8), -EINVAL);
	ck_assert_int_eq(call(NR_RT_SIGACTION, SIGUSR1, 0, 0, 8), 0);
	ck_assert_int_eq(call(NR_RT_SIGACTION, SIGUSR1, 0x1000, 0, 8),
			 -EFAULT);
	ck_assert_int_eq(call(NR_RT_SIGPROCMASK, 0, 0, 0, 7), -EINVAL);
	ck_assert_int_eq(call(NR_KILL, 42, 65, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_KILL, 43, SIGUSR1, 0, 0), -ESRCH);
	ck_assert_int_eq(call(NR_KILL, (uint64_t)-1, SIGUSR1, 0, 0), -ESRCH);
	ck_assert_int_eq(call(NR_KILL, 42, 0, 0, 0), 0);
	ck_assert_int_eq(call(NR_TKILL, 0, SIGUSR1, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_TGKILL, 42, 43, SIGUSR1, 0), -ESRCH);
	proc.sighand->action[SIGUSR1 - 1].sa_handler = SIG_IGN;
	ck_assert_int_eq(call(NR_KILL, 42, SIGUSR1, 0, 0), 0);
	ck_assert(!signal_deliverable(&thr));
	capture_start(&cap);
	call(NR_RT_SIGRETURN, 0, 0, 0, 0); /* no frame at sp */
	ck_assert(proc.exiting);
	ck_assert_int_eq(proc.term_signal, SIGSEGV);
	capture_stop(&cap);
	done();
}
END_TEST

static Suite *signal_suite(void)
{
	Suite *s = suite_create("signal");
	TCase *tc = tcase_create("state");

	tcase_add_test(tc, sending_queues_once_and_drops_ignored);
	tcase_add_test(tc, faults_go_to_a_handler_only);
	tcase_add_test(tc, default_actions);
	tcase_add_test(tc, an_unwritable_frame_kills_with_sigsegv);
	tcase_add_test(tc, exec_resets_caught_actions);
	tcase_add_test(tc, system_call_checks);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(signal_suite);
