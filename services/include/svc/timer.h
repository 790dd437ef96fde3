/*
 * The process timers of services/time/: the three interval timers of
 * setitimer(2) and alarm(2), and POSIX timers (timer_create(2)). They are
 * per-process state (a PROC_STATE part: none at fork, POSIX timers
 * deleted and interval timers kept by exec, all stopped at exit) and fire
 * from the core's timer interrupt, which queues their signal.
 *
 * A POSIX timer that fires while its last signal is still pending does
 * not queue another: the pending siginfo's si_overrun counts it
 * (signal_send_timer), and when the signal is taken the signal service
 * tells the timer (posix_timer_dequeued), whose timer_getoverrun then
 * reports that count, as Linux's.
 */
#ifndef SVC_TIMER_H
#define SVC_TIMER_H

#include <uapi/siginfo.h>

struct proc;

/* alarm(2): ITIMER_REAL to fire once after seconds (0 stops it); returns
 * the whole seconds that were left of the previous alarm, rounded. */
unsigned int itimer_alarm(struct proc *p, unsigned int seconds);

/* A POSIX timer's signal (si_code SI_TIMER, si_tid its id) was taken
 * from p's pending set with info. Any context. */
void posix_timer_dequeued(struct proc *p, const struct linux_siginfo *info);

#endif
