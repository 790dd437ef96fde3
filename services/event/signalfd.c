/*
 * signalfd4 (and x86-64's signalfd): a file to read pending signals
 * from. A read takes signals of the file's mask pending for the reader
 * (its own, then its process's; blocked or not, as sigtimedwait does)
 * and returns one struct signalfd_siginfo each, as many as fit: it waits
 * for the first (or -EAGAIN with SFD_NONBLOCK) and never for more. POLLIN
 * while one of the mask is pending for the thread that polls. signalfd4
 * on an existing signalfd sets its mask. The waiting goes through the
 * signal service's hook (signal_queued_waitq, svc/signal.h), which every
 * queued signal wakes. As Linux, SIGKILL and SIGSTOP are never in a mask,
 * and the flags of a mask update are ignored.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <svc/event.h>
#include <svc/fdtable.h>
#include <svc/poll.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>
#include <uapi/signalfd.h>

#include "event_internal.h"

#define SFD_FLAGS (SFD_CLOEXEC | SFD_NONBLOCK)

struct signalfd {
	linux_sigset_t mask; /* read atomically: a mask update races reads */
};

static linux_sigset_t mask_of(struct signalfd *s)
{
	return __atomic_load_n(&s->mask, __ATOMIC_ACQUIRE);
}

/* Linux's siginfo_layout, for the fields a record carries. */
static bool is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGTRAP;
}

/* Linux's signalfd_copyinfo: the fields of info's layout. */
static void to_record(const struct linux_siginfo *i,
		      struct linux_signalfd_siginfo *r)
{
	memset(r, 0, sizeof(*r));
	r->ssi_signo = (uint32_t)i->si_signo;
	r->ssi_errno = i->si_errno;
	r->ssi_code = i->si_code;
	if (i->si_code == SI_TIMER) {
		r->ssi_tid = (uint32_t)i->fields.timer.si_tid;
		r->ssi_overrun = (uint32_t)i->fields.timer.si_overrun;
		r->ssi_ptr = i->fields.timer.si_value.sival_ptr;
		r->ssi_int = i->fields.timer.si_value.sival_int;
	} else if (i->si_code < 0) {
		r->ssi_pid = (uint32_t)i->fields.rt.si_pid;
		r->ssi_uid = i->fields.rt.si_uid;
		r->ssi_ptr = i->fields.rt.si_value.sival_ptr;
		r->ssi_int = i->fields.rt.si_value.sival_int;
	} else if (i->si_code > SI_USER && i->si_code < SI_KERNEL &&
		   i->si_signo == SIGCHLD) {
		r->ssi_pid = (uint32_t)i->fields.sigchld.si_pid;
		r->ssi_uid = i->fields.sigchld.si_uid;
		r->ssi_status = i->fields.sigchld.si_status;
		r->ssi_utime = (uint64_t)i->fields.sigchld.si_utime;
		r->ssi_stime = (uint64_t)i->fields.sigchld.si_stime;
	} else if (i->si_code > SI_USER && i->si_code < SI_KERNEL &&
		   is_fault(i->si_signo)) {
		r->ssi_addr = i->fields.sigfault.si_addr;
	} else {
		r->ssi_pid = (uint32_t)i->fields.kill.si_pid;
		r->ssi_uid = i->fields.kill.si_uid;
	}
}

/* Takes one signal of the mask, waiting unless nonblock: its number,
 * -EAGAIN, or -ERESTARTSYS when another signal is to be delivered. */
static int take_one(struct thread *t, struct signalfd *s, bool nonblock,
		    struct linux_siginfo *info)
{
	for (;;) {
		unsigned seen = signal_queued_seq();
		int sig;

		task_notify_clear();
		sig = signal_dequeue(t, mask_of(s), info);
		if (sig)
			return sig;
		if (nonblock)
			return -EAGAIN;
		if (signal_deliverable(t))
			return -ERESTARTSYS;
		/* A notification (a signal) ends the sleep too; the loop
		 * looks again. */
		WAITQ_WAIT_EVENT_UNTIL(signal_queued_waitq(),
				       signal_queued_seq() != seen,
				       WAIT_INTERRUPTIBLE, WAIT_FOREVER);
	}
}

static ssize_t signalfd_read(struct file *f, uptr_t buf, size_t len,
			     uint64_t *pos)
{
	struct signalfd *s = f->priv;
	struct thread *t = thread_current();
	size_t count = len / sizeof(struct linux_signalfd_siginfo);
	bool nonblock = f->flags & O_NONBLOCK;
	size_t done = 0;
	int ret = 0;

	if (!count)
		return -EINVAL;
	if (!t)
		return -EAGAIN;
	while (done < count) {
		struct linux_signalfd_siginfo rec;
		struct linux_siginfo info;

		ret = take_one(t, s, nonblock || done, &info);
		if (ret <= 0)
			break;
		to_record(&info, &rec);
		if (copy_to_user(uptr_add(buf, done * sizeof(rec)), &rec,
				 sizeof(rec))) {
			ret = -EFAULT;
			break;
		}
		done++;
	}
	return done ? (ssize_t)(done * sizeof(struct linux_signalfd_siginfo))
		    : ret;
}

static uint32_t signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd *s = f->priv;
	struct thread *t = thread_current();

	poll_wait(pt, signal_queued_waitq());
	if (t && signal_pending_in(t, mask_of(s)))
		return POLLIN | POLLRDNORM;
	return 0;
}

static void signalfd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops signalfd_ops = {
	.anon_name = "[signalfd]",
	.own_lock = true,
	.read = signalfd_read,
	.poll = signalfd_poll,
	.llseek = event_noop_llseek,
	.release = signalfd_release,
};

/* A new signalfd of mask, or the new mask of the one open at ufd. */
static long do_signalfd(struct proc *proc, int ufd, linux_sigset_t mask,
			int flags)
{
	struct signalfd *s;
	struct file *f;
	int err;

	mask &= ~SIG_UNBLOCKABLE;
	if (ufd != -1) {
		f = fd_get(proc, ufd);
		if (!f)
			return -EBADF;
		if (f->fops != &signalfd_ops) {
			fd_put(f);
			return -EINVAL;
		}
		s = f->priv;
		__atomic_store_n(&s->mask, mask, __ATOMIC_RELEASE);
		fd_put(f);
		signal_queued(); /* waiting readers look at the new mask */
		return ufd;
	}
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->mask = mask;
	err = event_anon_file(O_RDWR | (flags & SFD_NONBLOCK), &signalfd_ops,
			      s, &f);
	if (err) {
		kfree(s);
		return err;
	}
	return fd_install(proc, f, 0, flags & SFD_CLOEXEC);
}

long event_sys_signalfd4(struct proc *proc, int ufd, uptr_t umask,
			 size_t size, int flags)
{
	linux_sigset_t mask;

	if (flags & ~SFD_FLAGS)
		return -EINVAL;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	return do_signalfd(proc, ufd, mask, flags);
}

SYSCALL_DEFINE4(signalfd4, int, ufd, uptr_t, umask, size_t, size, int,
		flags)
{
	return event_sys_signalfd4(proc, ufd, umask, size, flags);
}
