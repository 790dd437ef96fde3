/*
 * Per-process state registers itself instead of being hard-coded in
 * proc.c: each part of a process (its memory, later its files, signal
 * handlers, credentials...) declares, in its own service,
 *
 *     PROC_STATE(files, .fork = files_fork, .exec = files_exec,
 *                .exit = files_exit);
 *
 * which puts its hooks in a linker section. Process life-cycle events walk
 * that section in its order (files in the build's link order, one file's
 * entries in the compiler's: no hook may rely on another's state), as
 * Linux's copy_process calls copy_files, copy_fs, copy_sighand... Every
 * hook is optional.
 *
 *   fork(parent, child, flags)
 *                        sets up child's part: a copy of parent's, or a
 *                        share of it when the clone flags say so
 *                        (CLONE_VM, CLONE_FILES, CLONE_FS,
 *                        CLONE_SIGHAND), or the initial state when parent
 *                        is NULL (a process started by init). Returns 0
 *                        or -errno, and changes nothing on failure.
 *   exec(p)              adapts p's part to a new program image (close
 *                        O_CLOEXEC files, reset caught signals). Returns 0
 *                        or -errno, changing nothing on failure.
 *   exit(p)              releases p's part; cannot fail. Also the undo of a
 *                        fork that a later hook refused.
 */
#ifndef SVC_PROC_STATE_H
#define SVC_PROC_STATE_H

struct proc;

struct proc_state_ops {
	const char *name;
	int (*fork)(struct proc *parent, struct proc *child,
		    unsigned long flags);
	int (*exec)(struct proc *p);
	void (*exit)(struct proc *p);
};

#define PROC_STATE(name_, ...)                                            \
	static const struct proc_state_ops proc_state_##name_                 \
		__attribute__((used, section("keel_proc_state"),          \
			       aligned(8))) = { .name = #name_, __VA_ARGS__ }

/*
 * Runs every fork hook for child (parent NULL for a first process) with
 * the clone flags (0 for fork and a first process). If one
 * fails, the exit hooks of those that succeeded run on child in reverse
 * order, so that nothing is left set up; returns that hook's -errno.
 * Returns 0 when all succeeded.
 */
int proc_state_fork(struct proc *parent, struct proc *child,
		    unsigned long flags);

/*
 * Runs every exec hook for p, in order, up to the first failure, whose
 * -errno is returned (the hooks before it are not undone: the caller is
 * past the point of no return of exec and must end p). 0 when all did.
 */
int proc_state_exec(struct proc *p);

/* Runs every exit hook for p, in reverse order. */
void proc_state_exit(struct proc *p);

#endif
