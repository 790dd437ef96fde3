/*
 * The walk over the registered per-process state (see <svc/proc_state.h>):
 * the keel_proc_state linker section, whose bounds the linker provides.
 */
#include <svc/proc_state.h>

extern const struct proc_state_ops __start_keel_proc_state[]
	__attribute__((weak));
extern const struct proc_state_ops __stop_keel_proc_state[]
	__attribute__((weak));

/* Runs the exit hooks of [first, end) for p, last first. */
static void exit_range(const struct proc_state_ops *first,
		       const struct proc_state_ops *end, struct proc *p)
{
	for (const struct proc_state_ops *s = end; s-- > first;)
		if (s->exit)
			s->exit(p);
}

int proc_state_fork(struct proc *parent, struct proc *child,
		    unsigned long flags)
{
	const struct proc_state_ops *s;

	for (s = __start_keel_proc_state; s < __stop_keel_proc_state; s++) {
		int err = s->fork ? s->fork(parent, child, flags) : 0;

		if (err) {
			exit_range(__start_keel_proc_state, s, child);
			return err;
		}
	}
	return 0;
}

int proc_state_exec(struct proc *p)
{
	for (const struct proc_state_ops *s = __start_keel_proc_state;
	     s < __stop_keel_proc_state; s++) {
		int err = s->exec ? s->exec(p) : 0;

		if (err)
			return err;
	}
	return 0;
}

void proc_state_exit(struct proc *p)
{
	exit_range(__start_keel_proc_state, __stop_keel_proc_state, p);
}
