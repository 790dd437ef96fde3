/*
 * Helpers for in-kernel tests that run user code (see ktest_code.h).
 */
#include "ktest_code.h"

#include <keel/task.h>
#include <keel/vm.h>

struct vm_space *kt_code_space(struct ktest_ctx *t, const void *code,
			       size_t len)
{
	struct vm_space *vs = vm_space_create();
	int err;

	if (!vs) {
		ktest_fail_at(t, __FILE__, __LINE__, "vm_space_create");
		return NULL;
	}
	err = vm_map_zero(vs, KT_CODE_VA, PAGE_SIZE, VM_READ | VM_EXEC);
	if (!err)
		err = vm_write(vs, KT_CODE_VA, code, len);
	if (!err)
		err = vm_map_zero(vs, KT_STACK_VA - PAGE_SIZE, PAGE_SIZE,
				  VM_READ | VM_WRITE);
	if (err) {
		ktest_fail_at(t, __FILE__, __LINE__, "building space: %d", err);
		vm_space_put(vs);
		return NULL;
	}
	return vs;
}

enum user_event kt_run_code(struct vm_space *vs, struct user_event_info *i)
{
	struct task *self = task_current();
	enum user_event ev;

	task_set_vm(self, vs);
	uctx_init(task_user_ctx(self), KT_CODE_VA, KT_STACK_VA);
	do {
		ev = user_run(i);
	} while (ev == USER_EVENT_INTERRUPT);
	task_set_vm(self, NULL);
	return ev;
}
