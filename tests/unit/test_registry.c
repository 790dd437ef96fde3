/*
 * Unit tests of the services' registration sections: PROC_STATE hooks
 * (services/proc/proc_state.c) run in section order on fork (the compiler
 * may emit one file's entries in any order, so the tests find it out), are
 * undone in reverse when a later one refuses, and run in reverse on exit,
 * together
 * with the real memory state (services/mm/mm_state.c); SERVICE_INIT
 * functions (services/init/service_init.c) run by level and stop at the
 * first failure. The hooks registered here do nothing unless a test arms
 * them, so other suites never see them.
 */
#include "unit.h"

#include <string.h>

#include <keel/errno.h>
#include <keel/log.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/service.h>

static bool armed;
static char trail[64];      /* the hooks that ran, in order */
static char fail_fork_of;   /* the state whose fork refuses */
static char fail_service;   /* the service whose init refuses */

static void note(const char *what)
{
	if (strlen(trail) + strlen(what) < sizeof(trail))
		strcat(trail, what);
}

static void arm(void)
{
	armed = true;
	trail[0] = '\0';
	fail_fork_of = 0;
	fail_service = 0;
}

static int fork_hook(char which, struct proc *child)
{
	char what[] = { 'f', which, ' ', '\0' };

	if (!armed)
		return 0;
	if (fail_fork_of == which)
		return -EAGAIN;
	note(what);
	return 0;
}

static void exit_hook(char which)
{
	char what[] = { 'x', which, ' ', '\0' };

	if (armed)
		note(what);
}

static int a_fork(struct proc *parent, struct proc *child,
		  unsigned long flags)
{
	return fork_hook('a', child);
}

static int b_fork(struct proc *parent, struct proc *child,
		  unsigned long flags)
{
	return fork_hook('b', child);
}

static void a_exit(struct proc *p)
{
	exit_hook('a');
}

static void b_exit(struct proc *p)
{
	exit_hook('b');
}

static int b_exec(struct proc *p)
{
	if (armed)
		note("eb ");
	return 0;
}

PROC_STATE(unit_a, .fork = a_fork, .exit = a_exit);
PROC_STATE(unit_b, .fork = b_fork, .exec = b_exec, .exit = b_exit);

/* The order the two test states are walked in on fork: *first, *second
 * ('a' or 'b'), found out by a fork and exit of a scratch process. */
static void walk_order(char *first, char *second)
{
	struct proc p = { .pid = 9 };

	arm();
	ck_assert_int_eq(proc_state_fork(NULL, &p, 0), 0);
	proc_state_exit(&p);
	*first = trail[1];
	*second = trail[4];
	ck_assert(*first != *second);
}

START_TEST(fork_and_exit_walk_every_state)
{
	struct proc p = { .pid = 7 };
	char x, y, want[32];

	unit_boot_mm();
	walk_order(&x, &y);
	arm();
	ck_assert_int_eq(proc_state_fork(NULL, &p, 0), 0);
	ksnprintf(want, sizeof(want), "f%c f%c ", x, y);
	ck_assert_str_eq(trail, want);
	ck_assert_ptr_nonnull(p.vs); /* the memory state's own hook ran */
	ck_assert_int_eq(proc_state_exec(&p), 0);
	proc_state_exit(&p);
	ksnprintf(want, sizeof(want), "f%c f%c eb x%c x%c ", x, y, y, x);
	ck_assert_str_eq(trail, want);
	ck_assert_ptr_null(p.vs);
	armed = false;
}
END_TEST

START_TEST(a_refused_fork_undoes_the_states_before_it)
{
	struct proc p = { .pid = 7 };
	char x, y, want[32];

	unit_boot_mm();
	walk_order(&x, &y);
	arm();
	fail_fork_of = y;
	ck_assert_int_eq(proc_state_fork(NULL, &p, 0), -EAGAIN);
	ksnprintf(want, sizeof(want), "f%c x%c ", x, x);
	ck_assert_str_eq(trail, want);
	/* The first one refusing: nothing ran at all. */
	arm();
	fail_fork_of = x;
	ck_assert_int_eq(proc_state_fork(NULL, &p, 0), -EAGAIN);
	ck_assert_str_eq(trail, "");
	armed = false;
}
END_TEST

START_TEST(a_fork_copies_the_parents_state)
{
	struct proc parent = { .pid = 1 }, child = { .pid = 2 };
	char x, y, want[32];

	unit_boot_mm();
	walk_order(&x, &y);
	ck_assert_int_eq(proc_state_fork(NULL, &parent, 0), 0);
	arm();
	/* Every state takes its part: a copy of the memory, handlers,
	 * limits; a hook that failed would undo the ones before it. */
	ck_assert_int_eq(proc_state_fork(&parent, &child, 0), 0);
	ksnprintf(want, sizeof(want), "f%c f%c ", x, y);
	ck_assert_str_eq(trail, want);
	ck_assert_ptr_nonnull(child.vs);
	ck_assert_ptr_ne(child.vs, parent.vs);
	ck_assert_ptr_ne(child.sighand, parent.sighand);
	armed = false;
	proc_state_exit(&child);
	proc_state_exit(&parent);
	ck_assert_ptr_null(child.vs);
}
END_TEST

static int service_hook(char which)
{
	char what[] = { which, ' ', '\0' };

	if (!armed)
		return 0;
	note(what);
	return fail_service == which ? -ENODEV : 0;
}

static int late_init(void)
{
	return service_hook('L');
}

static int dev_init(void)
{
	return service_hook('D');
}

static int early_init(void)
{
	return service_hook('E');
}

/* Registered out of level order on purpose. */
SERVICE_INIT(unit_late, SVC_LEVEL_LATE, late_init);
SERVICE_INIT(unit_dev, SVC_LEVEL_DEV, dev_init);
SERVICE_INIT(unit_early, SVC_LEVEL_EARLY, early_init);

START_TEST(services_start_by_level)
{
	const struct service_init *failed = NULL;

	unit_boot_mm();
	arm();
	ck_assert_int_eq(service_init_all(&failed), 0);
	ck_assert_str_eq(trail, "E D L ");
	ck_assert_ptr_null(failed);
	armed = false;
}
END_TEST

START_TEST(a_failing_service_stops_the_boot)
{
	const struct service_init *failed = NULL;

	unit_boot_mm();
	arm();
	fail_service = 'D';
	ck_assert_int_eq(service_init_all(&failed), -ENODEV);
	ck_assert_str_eq(trail, "E D ");
	ck_assert_ptr_nonnull(failed);
	ck_assert_str_eq(failed->name, "unit_dev");
	armed = false;
}
END_TEST

static Suite *registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("sections");

	tcase_add_test(tc, fork_and_exit_walk_every_state);
	tcase_add_test(tc, a_refused_fork_undoes_the_states_before_it);
	tcase_add_test(tc, a_fork_copies_the_parents_state);
	tcase_add_test(tc, services_start_by_level);
	tcase_add_test(tc, a_failing_service_stops_the_boot);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(registry_suite);
