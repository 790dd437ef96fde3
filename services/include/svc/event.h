/*
 * The event services' shared parts (services/event/): the work of poll
 * and select for the x86-64 legacy calls, and the timeout and signal-mask
 * handling ppoll, pselect6 and epoll_pwait share.
 */
#ifndef SVC_EVENT_H
#define SVC_EVENT_H

#include <keel/types.h>
#include <uapi/signal.h>

struct proc;
struct thread;
struct linux_timespec;

/* poll's work over nfds pollfds at ufds until the monotonic deadline
 * (WAIT_FOREVER: none). The number ready, or -errno (-ERESTARTNOHAND
 * when a signal interrupted it). */
long event_do_poll(struct proc *proc, uptr_t ufds, unsigned nfds,
		   uint64_t deadline_ns);
/* select's work: user[0..2] the read, write and except sets (0: none). */
long event_do_select(struct proc *proc, int nfds, const uptr_t user[3],
		     uint64_t deadline_ns);

/* The calls x86-64 also has under older names (event_legacy.c). */
long event_sys_eventfd2(struct proc *proc, unsigned int initval, int flags);
long event_sys_signalfd4(struct proc *proc, int ufd, uptr_t umask,
			 size_t size, int flags);
long event_sys_epoll_create1(struct proc *proc, int flags);
long event_do_epoll_wait(struct proc *proc, int epfd, uptr_t events,
			 int maxevents, uint64_t deadline_ns);
/* A millisecond timeout (negative: none) as a monotonic deadline. */
uint64_t event_ms_deadline(int timeout_ms);

/* A relative timeout (NULL: none) as a monotonic deadline; -EINVAL for a
 * negative or unnormalised one. */
long event_deadline(const struct linux_timespec *ts, uint64_t *deadline_ns);
/* What is left until deadline_ns (0 once it passed). */
void event_time_left(uint64_t deadline_ns, struct linux_timespec *ts);
/* The same for a timespec in user memory at tmo (0: none): -EFAULT,
 * -EINVAL; and writing the time left back there after a wait that
 * returned ret (kept, unless the write faults: -EFAULT). */
long event_user_deadline(uptr_t tmo, uint64_t *deadline_ns);
long event_user_time_left(uptr_t tmo, uint64_t deadline_ns, long ret);

/* A signal mask set for the length of a wait and restored after. */
struct event_saved_mask {
	bool set;
	linux_sigset_t old;
};
/* Sets the blocked mask from the user's sigset at umask (none when 0);
 * -EINVAL unless size is 8, -EFAULT. */
long event_mask_set(struct thread *thread, uptr_t umask, size_t size,
		    struct event_saved_mask *sm);
/* Puts the mask back after a wait that returned ret (returned as it
 * is); after an interrupted one (-ERESTARTNOHAND, -EINTR) the signal
 * delivery does, once the handler's frame has saved the caller's mask. */
long event_mask_restore(struct thread *thread,
			const struct event_saved_mask *sm,
			long ret);

#endif
