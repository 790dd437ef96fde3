/*
 * x86-64's process creation calls: clone(2) with its argument order
 * (flags, newsp, parent_tid, child_tid, tls), and fork(2) and vfork(2),
 * which the generic ABI lacks. The work is do_clone (services/proc).
 */
#include <svc/syscall.h>
#include <uapi/signal.h>

#include <svc/clone.h>

SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp,
		unsigned long, parent_tid, unsigned long, child_tid,
		unsigned long, tls)
{
	struct clone_req rq;

	clone_legacy_request(flags, newsp, parent_tid, child_tid, tls, &rq);
	return do_clone(thread, uctx, &rq);
}

/* fork(): clone(SIGCHLD). */
SYSCALL_DEFINE0(fork)
{
	struct clone_req rq;

	clone_legacy_request(SIGCHLD, 0, 0, 0, 0, &rq);
	return do_clone(thread, uctx, &rq);
}

/* vfork(): clone(CLONE_VM | CLONE_VFORK | SIGCHLD): the caller sleeps
 * until the child has exec'd or exited. */
SYSCALL_DEFINE0(vfork)
{
	struct clone_req rq;

	clone_legacy_request(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0,
			     &rq);
	return do_clone(thread, uctx, &rq);
}
