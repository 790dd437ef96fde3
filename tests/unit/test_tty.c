/*
 * Unit tests of the terminal's ioctl decoder (services/tty/tty.c,
 * tty_ioctl) on a tty of the test's own, for processes the job-control
 * bookkeeping knows (job_add) and with arguments in an address space of
 * the test: the cases tests/fuzz/fuzz_tty found (an int argument at an
 * address that is not 4-byte aligned; setsid then TIOCSCTTY), and a
 * refusal that leaves the settings alone.
 */
#include "unit.h"

#include <string.h>

#include "sched/sched.h"

#include <keel/errno.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/vfs.h>
#include <uapi/termios.h>

#include "../../services/tty/tty_core.h"
#include "../../services/tty/tty_internal.h"

#define UA 0x800000ul /* one read-write page, then a read-only one */

static void no_output(struct tty *t, const char *buf, size_t len)
{
}

static const struct tty_driver quiet = { .output = no_output };

static struct tty tty;
static struct file file; /* the open file the ioctls come through */
static struct vm_space *vs;
static struct proc leader, member; /* session 100: pids 100 and 102 */
static struct sighand hands[2];
static struct thread threads[2];
static struct task tasks[2];

static void add_proc(unsigned i, struct proc *p, int pid, int pgid)
{
	struct job_info ji = { pgid, 100, &tty };

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->pgid = pgid;
	p->sid = 100;
	p->sighand = &hands[i];
	threads[i] = (struct thread){ .tid = pid, .proc = p };
	tasks[i] = (struct task){ .vm = vs };
	task_set_owner(&tasks[i], &threads[i]);
	ck_assert_int_eq(job_add(p, &ji), 0);
}

/* The tty controls session 100 with foreground group 100, held by the
 * leader 100 and the member 102 of its group. */
static void world(void)
{
	unit_boot_mm();
	vs = vm_space_create();
	ck_assert_ptr_nonnull(vs);
	ck_assert_int_eq(vm_map_zero(vs, UA, PAGE_SIZE,
				     HAL_PROT_READ | HAL_PROT_WRITE),
			 0);
	ck_assert_int_eq(vm_map_zero(vs, UA + PAGE_SIZE, PAGE_SIZE,
				     HAL_PROT_READ),
			 0);
	tty_setup(&tty, &quiet, "test tty");
	tty.session = tty.fg_pgrp = 100;
	add_proc(0, &leader, 100, 100);
	add_proc(1, &member, 102, 100);
}

static void world_done(void)
{
	this_cpu()->current = NULL;
	job_forget(&leader);
	job_forget(&member);
	vm_space_put(vs);
}

/* ioctl as process i (0 the leader, 1 the member). */
static long as(unsigned i, unsigned cmd, unsigned long arg)
{
	long r;

	this_cpu()->current = &tasks[i];
	r = tty_ioctl(&tty, &file, cmd, arg);
	this_cpu()->current = NULL;
	return r;
}

static int32_t int_at(uintptr_t va)
{
	int32_t v;

	ck_assert_int_eq(vm_read(vs, va, &v, sizeof(v)), 0);
	return v;
}

START_TEST(int_arguments_may_be_unaligned)
{
	int32_t pgrp = 100;

	world();
	ck_assert_int_eq(as(0, TIOCGPGRP, UA + 1), 0);
	ck_assert_int_eq(int_at(UA + 1), 100);
	ck_assert_int_eq(as(1, TIOCGSID, UA + 6), 0);
	ck_assert_int_eq(int_at(UA + 6), 100);
	ck_assert_int_eq(as(0, FIONREAD, UA + 11), 0);
	ck_assert_int_eq(int_at(UA + 11), 0);
	ck_assert_int_eq(vm_write(vs, UA + 17, &pgrp, sizeof(pgrp)), 0);
	ck_assert_int_eq(as(0, TIOCSPGRP, UA + 17), 0);
	/* Still -EFAULT across into the read-only page. */
	ck_assert_int_eq(as(0, TIOCGPGRP, UA + PAGE_SIZE - 2), -EFAULT);
	world_done();
}
END_TEST

START_TEST(setsid_then_tiocsctty_holds_the_terminal)
{
	struct job_info ji;

	world();
	/* The leader gives the terminal up; the member makes a session
	 * of its own (setsid) and takes it. */
	ck_assert_int_eq(as(0, TIOCNOTTY, 0), 0);
	ck_assert_int_eq(tty.session, 0);
	member.sid = member.pgid = member.pid;
	ck_assert_int_eq(as(1, TIOCSCTTY, 0), 0);
	ck_assert(job_get(&member, &ji));
	ck_assert_ptr_eq(ji.ctty, &tty);
	ck_assert_int_eq(tty.session, 102);
	ck_assert_int_eq(tty.fg_pgrp, 102);
	ck_assert_int_eq(as(1, TIOCGSID, UA), 0);
	ck_assert_int_eq(int_at(UA), 102);
	/* Once its: a second TIOCSCTTY is a no-op, the old leader has
	 * none. */
	ck_assert_int_eq(as(1, TIOCSCTTY, 0), 0);
	ck_assert_int_eq(as(0, TIOCGPGRP, UA), -ENOTTY);
	world_done();
}
END_TEST

START_TEST(refused_settings_change_nothing)
{
	struct linux_termios tio, before;
	struct linux_winsize ws = { 24, 80, 0, 0 }, ws_before;

	world();
	memset(&tio, 0xa5, sizeof(tio));
	before = tty.ld.tio;
	/* Its end is past the mapped pages: nothing is installed. */
	ck_assert_int_eq(as(0, TCSETS, UA + 2 * PAGE_SIZE - 8), -EFAULT);
	ck_assert_mem_eq(&tty.ld.tio, &before, sizeof(before));
	/* A background group's process at SIGTTOU's default action. */
	member.pgid = 101;
	ck_assert_int_eq(vm_write(vs, UA, &tio, sizeof(tio)), 0);
	ck_assert_int_eq(as(1, TCSETS, UA), -EIO);
	ck_assert_mem_eq(&tty.ld.tio, &before, sizeof(before));
	/* The window size goes through, not from read-only-then-unmapped. */
	ck_assert_int_eq(vm_write(vs, UA + 64, &ws, sizeof(ws)), 0);
	ck_assert_int_eq(as(1, TIOCSWINSZ, UA + 64), 0);
	ws_before = tty.ws;
	ck_assert_int_eq(as(1, TIOCSWINSZ, UA + 2 * PAGE_SIZE - 4), -EFAULT);
	ck_assert_mem_eq(&tty.ws, &ws_before, sizeof(ws));
	ck_assert_mem_eq(&tty.ws, &ws, sizeof(ws));
	world_done();
}
END_TEST

static Suite *tty_suite(void)
{
	Suite *s = suite_create("tty");
	TCase *c = tcase_create("ioctl");

	tcase_add_test(c, int_arguments_may_be_unaligned);
	tcase_add_test(c, setsid_then_tiocsctty_holds_the_terminal);
	tcase_add_test(c, refused_settings_change_nothing);
	suite_add_tcase(s, c);
	return s;
}

UNIT_SUITE(tty_suite);
