/*
 * procfs: /proc (proc(5)). The root holds the machine-wide files
 * (sysinfo.c) and one directory per process, brought in line with the
 * registry (registry.c) before each lookup and listing; a pid directory's
 * files are pid.c's. A thread that does not lead its process has a
 * directory too, /proc/<tid>, made when a walk asks for it and kept
 * while the thread lives, but never listed (Linux's proc_pid_lookup
 * finds any task, proc_pid_readdir lists thread group leaders only). The
 * tree itself is a pseudo file system (<svc/pseudofs.h>).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/fs.h>
#include <svc/proc.h>
#include <uapi/mount.h>

#include "procfs_internal.h"

#define PROCFS_DEV 0x30 /* st_dev: one instance */

/* Whether the len bytes at s are a decimal pid (into *pid). */
static bool is_pid_text(const char *s, size_t len, int *pid)
{
	int v = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || v > 100000000)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*pid = v;
	return true;
}

static bool is_pid_name(const char *s, int *pid)
{
	return is_pid_text(s, kstrlen(s), pid);
}

/* The process of the live thread tid when that thread does not lead
 * it (its pid into *tgid); false for a leader or no such thread. */
static bool non_leader_thread(int tid, int *tgid)
{
	struct thread *t;
	bool found;

	proc_lock();
	t = thread_find(tid);
	found = t && t->proc->pid != tid;
	if (found)
		*tgid = t->proc->pid;
	proc_unlock();
	return found;
}

static bool in_list(const int *v, size_t n, int x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

#define PIDS_MAX 1024

static const struct pentry pid_dir_entry = {
	.mode = S_IFDIR | 0555,
	.children = procfs_pid_entries,
	.refresh = procfs_pid_refresh,
};

/* /proc: one directory per registered process, none for the others. */
int procfs_refresh_root(struct dentry *dir, const struct pnode *n)
{
	int *pids = kmalloc(PIDS_MAX * sizeof(int));
	struct list_head *pos, *next;
	size_t count;
	int err = 0, tgid;

	if (!pids)
		return -ENOMEM;
	count = procfs_pids(pids, PIDS_MAX);
	list_for_each_safe(pos, next, &dir->children) {
		struct dentry *c = list_entry(pos, struct dentry, sibling);
		int pid;

		if (!is_pid_name(c->name, &pid) || in_list(pids, count, pid))
			continue;
		/* A thread's unlisted directory stays while the thread
		 * does (a reused tid is another thread's: made anew). */
		if (!c->unlisted || !non_leader_thread(pid, &tgid) ||
		    tgid != ((const struct pnode *)c->inode->priv)->pid)
			pfs_remove(c);
	}
	for (size_t i = 0; i < count && !err; i++) {
		char name[16];

		ksnprintf(name, sizeof(name), "%d", pids[i]);
		if (!pfs_child(dir, name))
			err = pfs_make(dir, name, &pid_dir_entry, pids[i], 0);
	}
	kfree(pids);
	return err;
}

/* /proc/<tid> of a thread that does not lead its process: a pid
 * directory of its process, about that thread (pnode fd = tid, as
 * task/<tid>), unlisted. */
static int lookup_thread(struct dentry *dir, const struct pnode *n,
			 const char *name, size_t len)
{
	char text[16];
	int tid, tgid, err;
	struct proc *p;

	if (len >= sizeof(text) || !is_pid_text(name, len, &tid) ||
	    !non_leader_thread(tid, &tgid))
		return -ENOENT;
	p = procfs_proc_get(tgid);
	if (!p)
		return -ENOENT; /* a process not registered yet or any more */
	procfs_proc_put();
	memcpy(text, name, len);
	text[len] = '\0';
	err = pfs_make(dir, text, &pid_dir_entry, tgid, tid);
	if (!err)
		pfs_child(dir, text)->unlisted = true;
	return err;
}

static const struct pentry root_entry = {
	.mode = S_IFDIR | 0555,
	.children = procfs_root_entries,
	.refresh = procfs_refresh_root,
	.lookup = lookup_thread,
};

struct dentry *procfs_new(void)
{
	struct dentry *root = pfs_new("proc", PROCFS_DEV, &root_entry);

	if (root)
		root->inode->sb->magic = PROC_SUPER_MAGIC;
	return root;
}
