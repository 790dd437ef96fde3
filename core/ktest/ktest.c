/*
 * The in-kernel test runner: walks the `keel_ktests` linker section that
 * KTEST() fills, runs each test the filter selects (`ktest=GLOB[,GLOB]...`,
 * each GLOB "SUITE" or "SUITE.TEST", as kunit.py's filter_glob) in a task of its own (so that
 * tests may sleep, and a test's return ends only its task) and prints KTAP
 * version 1 on the console (a test that skips itself, ktest_skip, is
 * `ok N name # SKIP why`), then "# ktest: N passed, N failed". Test
 * tasks start pinned to CPU 0 (see run_one).
 */
#include <stdarg.h>

#include <keel/ktest.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/task.h>

/* Weak, so that a build without any KTEST still links. */
extern const struct ktest __start_keel_ktests[] __attribute__((weak));
extern const struct ktest __stop_keel_ktests[] __attribute__((weak));

/*
 * Whether test k matches one glob of a filter, len bytes at glob: "SUITE"
 * (a glob of the suite name: the whole suite) or "SUITE.TEST" (a glob of
 * each, split at the first dot).
 */
static bool matches_glob(const struct ktest *k, const char *glob, size_t len)
{
	size_t dot = 0;

	while (dot < len && glob[dot] != '.')
		dot++;
	if (!kglob_matchn(glob, dot, k->suite))
		return false;
	return dot == len ||
	       kglob_matchn(glob + dot + 1, len - dot - 1, k->name);
}

bool ktest_selected(const struct ktest *k, const char *filter)
{
	const char *glob = filter;

	if (!filter)
		return true;
	for (;;) {
		const char *end = kstrchr(glob, ',');
		size_t len = end ? (size_t)(end - glob) : kstrlen(glob);

		if (matches_glob(k, glob, len))
			return true;
		if (!end)
			return false;
		glob = end + 1;
	}
}

/* Records a failure and prints it as a KTAP diagnostic line. */
void ktest_fail_at(struct ktest_ctx *t, const char *file, int line,
		   const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	t->failed = true;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("# %s:%d: %s\n", file, line, msg);
}

void ktest_skip(struct ktest_ctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(t->skip, sizeof(t->skip), fmt, ap);
	va_end(ap);
	if (!t->skip[0])
		kstrlcpy(t->skip, "skipped", sizeof(t->skip));
}

struct ktest_run {
	const struct ktest *test;
	struct ktest_ctx ctx;
};

static void ktest_task(void *arg)
{
	struct ktest_run *run = arg;

	run->test->fn(&run->ctx);
}

/* Runs one test in its own task; returns true if it passed (or was
 * skipped: then *skip holds why). */
static bool run_one(const struct ktest *k, char *skip, size_t size)
{
	struct ktest_run run = { k, { false, k->name, "" } };
	char name[TASK_NAME_MAX];
	struct task *t;

	ksnprintf(name, sizeof(name), "kt:%s", k->name);
	t = task_create(name, ktest_task, &run);
	if (!t) {
		kprintf("# %s.%s: no memory for the test task\n", k->suite,
			k->name);
		return false;
	}
	/* Every test starts on CPU 0 alone, and the tasks it makes inherit
	 * that: tests of orders that hold on one CPU stay deterministic on
	 * any machine. Tests of several CPUs widen their own masks. */
	task_set_affinity(t, 1);
	task_start(t);
	task_join(t);
	task_put(t);
	kstrlcpy(skip, run.ctx.failed ? "" : run.ctx.skip, size);
	return !run.ctx.failed;
}

/*
 * Runs every test of suite filter (NULL: all) in section order. Must be
 * called from a task. Returns the number of failed tests.
 */
int ktest_run_all(const char *filter)
{
	const struct ktest *k;
	int total = 0, failed = 0, n = 0;

	for (k = __start_keel_ktests; k < __stop_keel_ktests; k++)
		total += ktest_selected(k, filter);
	kprintf("KTAP version 1\n1..%d\n", total);
	for (k = __start_keel_ktests; k < __stop_keel_ktests; k++) {
		char skip[sizeof(((struct ktest_ctx *)0)->skip)];
		bool ok;

		if (!ktest_selected(k, filter))
			continue;
		ok = run_one(k, skip, sizeof(skip));
		failed += !ok;
		kprintf("%sok %d %s.%s%s%s\n", ok ? "" : "not ", ++n, k->suite,
			k->name, skip[0] ? " # SKIP " : "", skip);
	}
	if (total == 0 && filter)
		kprintf("# ktest: no test matches '%s'\n", filter);
	kprintf("# ktest: %d passed, %d failed\n", total - failed, failed);
	return failed;
}
