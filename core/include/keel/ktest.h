/*
 * In-kernel tests, KUnit-like: each KTEST registers itself in a linker
 * section and runs inside the booted kernel, in its own task, on every
 * backend. Results are printed as KTAP on the console; booting with the
 * command line option `ktest` (or `ktest=GLOB[,GLOB]...`, see
 * ktest_selected) runs them.
 *
 *     KTEST(frames, alloc_free) {
 *         KT_EXPECT(t, frames_free() > 0);
 *     }
 */
#ifndef KEEL_KTEST_H
#define KEEL_KTEST_H

#include <keel/types.h>

struct ktest_ctx {
	bool failed;
	const char *name;
	char skip[96]; /* why the test was skipped ("" if it was not) */
};

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest_ctx *t);
};

#define KTEST(suite_, name_)                                              \
	static void ktest_##suite_##_##name_(struct ktest_ctx *t);        \
	static const struct ktest ktest_desc_##suite_##_##name_           \
		__attribute__((used, section("keel_ktests"), aligned(8))) = { \
			#suite_, #name_, ktest_##suite_##_##name_         \
		};                                                        \
	static void ktest_##suite_##_##name_(struct ktest_ctx *t)

void ktest_fail_at(struct ktest_ctx *t, const char *file, int line,
		   const char *fmt, ...) printf_like(4, 5);

/* Marks the test skipped, with why (KTAP `ok N name # SKIP why`): for a
 * machine that lacks what the test is about. The test should return then;
 * a failure recorded as well makes it fail. */
void ktest_skip(struct ktest_ctx *t, const char *fmt, ...) printf_like(2, 3);

#define KT_EXPECT(t, cond)                                                \
	do {                                                              \
		if (!(cond))                                              \
			ktest_fail_at(t, __FILE__, __LINE__, "%s", #cond); \
	} while (0)

#define KT_ASSERT(t, cond)                                                \
	do {                                                              \
		if (!(cond)) {                                            \
			ktest_fail_at(t, __FILE__, __LINE__, "%s", #cond); \
			return;                                           \
		}                                                         \
	} while (0)

#define KT_EXPECT_EQ(t, a, b)                                             \
	do {                                                              \
		long long __a = (long long)(a), __b = (long long)(b);     \
		if (__a != __b)                                           \
			ktest_fail_at(t, __FILE__, __LINE__,              \
				      "%s == %s (%lld != %lld)", #a, #b,  \
				      __a, __b);                          \
	} while (0)

/*
 * Whether filter selects test k. filter: NULL (every test) or globs
 * separated by commas, each "SUITE" (every test of the suites the glob
 * matches) or "SUITE.TEST" (a glob for each, split at the first dot):
 * "sched", "sched.*", "time.sleep*", "*.fork_*,lib".
 */
bool ktest_selected(const struct ktest *k, const char *filter);

/* Runs every registered test filter selects (ktest_selected) and returns
 * the number that failed. */
int ktest_run_all(const char *filter);

#endif
