/*
 * procfs's parts: the root and the pid directories (procfs.c), the per-process
 * registry (registry.c), the generators of the per-process files
 * (pid.c) and of the machine-wide ones (sysinfo.c).
 */
#ifndef PROCFS_INTERNAL_H
#define PROCFS_INTERNAL_H

#include <keel/types.h>
#include <svc/pseudofs.h>

struct proc;

/* The process of pid with the registry locked, or NULL (then unlocked);
 * procfs_proc_put unlocks. Other processes' parts (files, memory) are
 * only safe to read for the calling process: procfs_proc_self says. */
struct proc *procfs_proc_get(int pid);
void procfs_proc_put(void);
bool procfs_proc_self(const struct proc *p);
/* The registered pids in ascending order into pids (at most max); the
 * count. */
size_t procfs_pids(int *pids, size_t max);
/* The exec record of p (registry locked): the executable's path, the
 * argument and environment strings (each NUL-ended, back to back). */
struct procfs_exec {
	char *exe;
	char *args;
	size_t args_len;
	char *env;
	size_t env_len;
};
const struct procfs_exec *procfs_exec_of(const struct proc *p);

extern const struct pentry procfs_pid_entries[];  /* pid.c */
extern const struct pentry procfs_root_entries[]; /* sysinfo.c */
int procfs_refresh_root(struct dentry *dir, const struct pnode *n);
/* A pid directory: adds its task/ (pid.c). */
int procfs_pid_refresh(struct dentry *dir, const struct pnode *n);
int procfs_mounts_file(struct seq *s, const struct pnode *n); /* sysinfo.c */
int procfs_mountinfo_file(struct seq *s, const struct pnode *n);
/* cpustat.c: /proc/stat, uptime, loadavg, vmstat. */
int procfs_stat_file(struct seq *s, const struct pnode *n);
int procfs_uptime_file(struct seq *s, const struct pnode *n);
int procfs_loadavg_file(struct seq *s, const struct pnode *n);
int procfs_vmstat_file(struct seq *s, const struct pnode *n);

#endif
