/*
 * execve(2) and execveat(2): the new program is found and checked first
 * (exec.c: every error returns to the old image), then loaded into a new
 * address space; past that point Linux's de_thread runs — the process's
 * other threads are killed and waited for, and the caller takes the
 * process's pid as its tid — and the new image replaces the old one: the
 * PROC_STATE exec hooks (close-on-exec files, caught signals reset), the
 * calling thread's alternate stack and robust list cleared, its
 * clear_child_tid done on the old memory, a vfork parent released.
 */
#include <keel/errno.h>
#include <keel/task.h>
#include <keel/user.h>
#include <svc/futex.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>

#include "exec.h"
#include "proc_internal.h"

/* Has every other thread of p gone? */
static bool alone(struct proc *p)
{
	bool one;

	proc_lock();
	one = p->nr_threads == 1;
	proc_unlock();
	return one;
}

/*
 * Kills every thread of p but self and waits until they have exited;
 * self then carries the process's pid as its tid. -EINTR (nothing
 * changed for self) when the process is being killed meanwhile.
 */
static int de_thread(struct thread *self)
{
	struct proc *p = self->proc;
	struct list_head *pos;

	proc_lock();
	if (p->exiting) {
		proc_unlock();
		return -EINTR;
	}
	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		if (t != self) {
			t->exiting = true;
			task_notify(t->task);
		}
	}
	proc_unlock();
	while (!alone(p)) {
		WAITQ_WAIT_EVENT(&p->thread_wq, alone(p));
	}
	proc_lock();
	self->tid = p->pid;
	p->leader = self;
	proc_unlock();
	return 0;
}

/* The calling thread's state a new image starts without. */
static void reset_thread(struct thread *t)
{
	if (t->clear_child_tid.addr)
		futex_clear_child_tid(t->clear_child_tid);
	t->clear_child_tid = uptr(0);
	t->robust_list = uptr(0);
	t->robust_list_len = 0;
	t->sig.altstack = (struct linux_stack){ .ss_flags = SS_DISABLE };
}

static long do_exec(struct thread *t, int dirfd, uptr_t path, uptr_t argv,
		    uptr_t envp, int flags)
{
	struct proc *p = t->proc;
	struct exec_image *img;
	int err = exec_image_open_user(&img, p, dirfd, path, argv, envp,
				       flags);

	if (err)
		return err;
	err = exec_image_load(img, p);
	if (!err)
		err = de_thread(t);
	if (err) {
		exec_image_free(img);
		return err;
	}
	/* The point of no return: the old image is gone from here on. */
	reset_thread(t);
	exec_image_commit(img, p, t);
	exec_image_free(img);
	proc_vfork_release(p);
	p->exec_done = true;
	err = proc_state_exec(p);
	if (err)
		signal_kill(p, SIGSEGV, "exec could not set up the new image");
	return 0;
}

/* execve(path, argv, envp): replaces the program; returns only on error:
 * -EFAULT, -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EACCES, -ENOEXEC,
 * -ELIBBAD, -ETXTBSY (the file is open for writing), -E2BIG, -ENOMEM.
 * A set-user-ID or set-group-ID program runs with its file's owner or
 * group as the effective and saved ids (AT_SECURE, not dumpable), but
 * not from a nosuid mount or under PR_SET_NO_NEW_PRIVS; while it runs,
 * its file cannot be opened for writing (-ETXTBSY). */
SYSCALL_DEFINE3(execve, uptr_t, path, uptr_t, argv, uptr_t, envp)
{
	return do_exec(thread, AT_FDCWD, path, argv, envp, 0);
}

/* execveat(dirfd, path, argv, envp, flags): relative to dirfd, with
 * AT_EMPTY_PATH (the file open at dirfd) and AT_SYMLINK_NOFOLLOW
 * (-ELOOP for a link); -EINVAL for other flags, -EBADF; otherwise as
 * execve. */
SYSCALL_DEFINE5(execveat, int, dirfd, uptr_t, path, uptr_t, argv, uptr_t,
		envp, int, flags)
{
	return do_exec(thread, dirfd, path, argv, envp, flags);
}
