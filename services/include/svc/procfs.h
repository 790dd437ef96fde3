/*
 * What procfs (services/fs/procfs/) needs to hear from the process
 * service: the executable and the argument and environment strings of
 * each program a process runs, which /proc/<pid>/exe, cmdline and environ
 * show (copies taken at exec, where Linux reads the live stack).
 */
#ifndef SVC_PROCFS_H
#define SVC_PROCFS_H

struct proc;

/* Records p's new program: its path and NULL-ended argv and envp.
 * Without memory the old record stays (procfs then shows less). */
void procfs_note_exec(struct proc *p, const char *path,
		      const char *const *argv, const char *const *envp);

/* p is about to be freed (reaped, or never started): its pid directory
 * in /proc, kept while it was a zombie, goes. Nothing for an unknown p. */
void procfs_forget(struct proc *p);

#endif
