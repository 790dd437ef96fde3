/*
 * The program file a process runs (struct proc.exe_file), held from its
 * exec until its next exec or its exit, and shared with the children it
 * forks, as Linux's mm->exe_file: the file was opened by exec with writes
 * denied (vfs_deny_write), so while any process runs the program,
 * opening it for writing or truncating it is -ETXTBSY. The file's last
 * reference gives the denial back.
 */
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/vfs.h>

#include "exec.h"

void exe_hold_set(struct proc *p, struct file *f)
{
	struct file *old;

	vfs_lock();
	if (f)
		vfs_file_get(f);
	old = p->exe_file;
	p->exe_file = f;
	if (old)
		vfs_file_put(old);
	vfs_unlock();
}

static int exe_fork(struct proc *parent, struct proc *child,
		    unsigned long flags)
{
	(void)flags;
	child->exe_file = NULL;
	if (parent)
		exe_hold_set(child, parent->exe_file);
	return 0;
}

static void exe_exit(struct proc *p)
{
	exe_hold_set(p, NULL);
}

PROC_STATE(exe, .fork = exe_fork, .exit = exe_exit);
