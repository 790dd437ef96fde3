/*
 * See syscall_fixture.h.
 */
#include "syscall_fixture.h"

#include "sched/sched.h" /* struct user_ctx */

#include <keel/user.h>
#include <svc/proc.h>
#include <svc/syscall.h>

long unit_syscall(struct proc *p, uint64_t nr, const uint64_t args[6])
{
	static const enum ureg arg_regs[6] = { UREG_ARG0, UREG_ARG1,
					       UREG_ARG2, UREG_ARG3,
					       UREG_ARG4, UREG_ARG5 };
	static struct user_ctx ctx;
	/* The calling thread: p's first, or one made for a bare p. */
	static struct thread bare;
	struct thread *t = p->leader;

	if (!t) {
		bare = (struct thread){ .tid = p->pid, .proc = p };
		t = &bare;
	}

	uctx_init(&ctx, 0x400000, 0x7ff000);
	uctx_set(&ctx, UREG_SYSNR, nr);
	for (int k = 0; k < 6; k++)
		uctx_set(&ctx, arg_regs[k], args[k]);
	syscall_dispatch(t, &ctx);
	return (long)uctx_get(&ctx, UREG_RET);
}
