/*
 * What clone(2), clone3(2), fork(2) and vfork(2) ask for, in one form
 * (services/proc/fork.c; the argument orders of clone(2) differ per architecture, so
 * its handler is in services/arch/<arch>/clone.c).
 */
#ifndef SVC_CLONE_H
#define SVC_CLONE_H

#include <keel/types.h>
#include <uapi/sched.h>

struct thread;
struct user_ctx;

struct clone_req {
	uint64_t flags;      /* CLONE_*, without the exit signal */
	int exit_signal;     /* sent to the parent at exit (0: none) */
	uint64_t stack;      /* the child's stack pointer, 0: the caller's */
	uint64_t tls;        /* CLONE_SETTLS */
	uint64_t parent_tid; /* CLONE_PARENT_SETTID */
	uint64_t child_tid;  /* CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID */
};

/*
 * Creates a thread (CLONE_THREAD) or a child process of self as rq says,
 * its registers a copy of uctx. Returns the new tid/pid, or -EINVAL (bad
 * flags), -EAGAIN (RLIMIT_NPROC, no pid left), -ENOMEM,
 * -ERESTARTNOINTR (the caller is being killed). With CLONE_VFORK it
 * returns once the child has exec'd or exited.
 */
long do_clone(struct thread *self, struct user_ctx *uctx,
	      const struct clone_req *rq);

/* clone(2)'s request from its raw arguments (the low byte of flags is the
 * exit signal). */
void clone_legacy_request(uint64_t flags, uint64_t newsp,
			  uint64_t parent_tid, uint64_t child_tid,
			  uint64_t tls, struct clone_req *rq);

/* clone3(2)'s request from its struct, with Linux's checks: 0 or
 * -EINVAL. */
int clone3_request(const struct linux_clone_args *a, struct clone_req *rq);

#endif
