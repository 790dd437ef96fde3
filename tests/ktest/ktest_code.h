/*
 * Helpers for in-kernel tests that run a few machine instructions in user
 * mode: an address space with the code and a stack page. The code bytes
 * are the tests' own (the page-table format tells which instruction set
 * the machine runs).
 */
#ifndef TESTS_KTEST_KTEST_CODE_H
#define TESTS_KTEST_KTEST_CODE_H

#include <keel/ktest.h>
#include <keel/types.h>
#include <keel/user.h>

struct vm_space;

#define KT_CODE_VA 0x400000ul  /* where the code goes (read + exec) */
#define KT_STACK_VA 0x800000ul /* the top of one stack page */

/* A fresh space with len bytes of code at KT_CODE_VA and a stack page
 * below KT_STACK_VA; NULL when something fails (reported on t). The caller
 * holds the only reference. */
struct vm_space *kt_code_space(struct ktest_ctx *t, const void *code,
			       size_t len);

/*
 * Runs vs from KT_CODE_VA in user mode on the current task until the first
 * event other than an interrupt (faults the memory code resolves, copy-on-
 * write ones included, do not end it) and returns that event, its details
 * in *i. The task's user context stays as the event left it; the task
 * leaves vs afterwards (the caller keeps its own reference).
 */
enum user_event kt_run_code(struct vm_space *vs, struct user_event_info *i);

#endif
