/*
 * riscv64's clone(2), with the generic ABI's argument order (flags,
 * newsp, parent_tid, tls, child_tid: CONFIG_CLONE_BACKWARDS). There is
 * no fork(2) or vfork(2): libcs use clone. The work is do_clone
 * (services/proc).
 */
#include <svc/syscall.h>

#include <svc/clone.h>

SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp,
		unsigned long, parent_tid, unsigned long, tls,
		unsigned long, child_tid)
{
	struct clone_req rq;

	clone_legacy_request(flags, newsp, parent_tid, child_tid, tls, &rq);
	return do_clone(thread, uctx, &rq);
}
