/*
 * procfs: /proc (proc(5)). The root holds the machine-wide files
 * (sysinfo.c) and one directory per process, brought in line with the
 * registry (registry.c) before each lookup and listing; a pid directory's
 * files are pid.c's. The tree itself is a pseudo file system
 * (<svc/pseudofs.h>).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/fs.h>
#include <uapi/mount.h>

#include "procfs_internal.h"

#define PROCFS_DEV 0x30 /* st_dev: one instance */

static bool is_pid_name(const char *s, int *pid)
{
	int v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return false;
		v = v * 10 + (*s - '0');
	}
	*pid = v;
	return true;
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
	int err = 0;

	if (!pids)
		return -ENOMEM;
	count = procfs_pids(pids, PIDS_MAX);
	list_for_each_safe(pos, next, &dir->children) {
		struct dentry *c = list_entry(pos, struct dentry, sibling);
		int pid;

		if (is_pid_name(c->name, &pid) && !in_list(pids, count, pid))
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

static const struct pentry root_entry = {
	.mode = S_IFDIR | 0555,
	.children = procfs_root_entries,
	.refresh = procfs_refresh_root,
};

struct dentry *procfs_new(void)
{
	struct dentry *root = pfs_new("proc", PROCFS_DEV, &root_entry);

	if (root)
		root->inode->sb->magic = PROC_SUPER_MAGIC;
	return root;
}
