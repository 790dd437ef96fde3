/*
 * Between the ttys (tty.c, console.c, pty.c) and the job-control
 * bookkeeping (job.c): which process belongs to which process group and session, and
 * which terminal controls it.
 */
#ifndef TTY_INTERNAL_H
#define TTY_INTERNAL_H

#include <keel/types.h>

struct proc;
struct tty;

struct job_info {
	int pgid, sid;
	struct tty *ctty; /* NULL: no controlling terminal */
};

/* p's process group, session and controlling terminal; false for a
 * process the bookkeeping does not know (a kernel task's NULL). */
bool job_get(struct proc *p, struct job_info *out);
/* Registers p with job state info (its terminal info.ctty had in session
 * info.sid), as a fork does, for a process the fork hook did not see (the
 * tty fuzz harness's, tests/fuzz/fuzz_tty.c): 0 or -ENOMEM. job_forget,
 * the exit hook, takes p off again. */
int job_add(struct proc *p, const struct job_info *info);
void job_forget(struct proc *p);
/* Sets (or, with NULL, clears) p's controlling terminal. */
void job_set_ctty(struct proc *p, struct tty *t);
/* Clears the controlling terminal t of every process of session sid. */
void job_drop_session_ctty(int sid, struct tty *t);
/* Sends sig (si_code SI_KERNEL) to every process of group pgrp; returns
 * how many there are. Any context (interrupt handlers too). */
int job_signal_pgrp(int pgrp, int sig);
/* Whether group pgrp has a member in session sid. */
bool job_pgrp_in_session(int pgrp, int sid);
/* p's controlling terminal with a reference taken (tty_get), or NULL. */
struct tty *job_ctty_get(struct proc *p);
/* t hung up: no process keeps it as controlling terminal, and the leader
 * of session sid (0: none) gets SIGHUP and SIGCONT, as Linux's
 * tty_signal_session_leader. */
void job_tty_hangup(struct tty *t, int sid);

/* The console tty, made the controlling terminal of session sid with
 * foreground group pgid (a process init starts gets it). */
struct tty *tty_console_acquire(int sid, int pgid);

#endif
