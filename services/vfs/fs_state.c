/*
 * A process's file system context (Linux's fs_struct): its working
 * directory, its root (chroot) and umask, a PROC_STATE. A first process
 * starts at the namespace root with umask 022.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/fdtable.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <uapi/sched.h>

/* CLONE_FS shares the parent's context; a fork copies it, a first
 * process starts at the root with umask 022. */
static int fs_fork(struct proc *parent, struct proc *child,
		   unsigned long flags)
{
	struct fs_state *fs;

	if (parent && (flags & CLONE_FS)) {
		vfs_lock();
		parent->fs->refs++;
		vfs_unlock();
		child->fs = parent->fs;
		return 0;
	}
	fs = kzalloc(sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->refs = 1;
	vfs_lock();
	fs->cwd = parent ? parent->fs->cwd : vfs_root();
	vfs_path_get(&fs->cwd);
	fs->root = parent ? parent->fs->root : vfs_root();
	vfs_path_get(&fs->root);
	vfs_unlock();
	fs->umask = parent ? parent->fs->umask : 022;
	child->fs = fs;
	return 0;
}

static void fs_exit(struct proc *p)
{
	struct fs_state *fs = p->fs;
	bool last;

	if (!fs)
		return;
	vfs_lock();
	last = --fs->refs == 0;
	if (last) {
		vfs_path_put(&fs->cwd);
		vfs_path_put(&fs->root);
	}
	vfs_unlock();
	if (last)
		kfree(fs);
	p->fs = NULL;
}

PROC_STATE(fs, .fork = fs_fork, .exit = fs_exit);

struct path fs_cwd(struct proc *p)
{
	struct path cwd;

	vfs_lock();
	cwd = p->fs->cwd;
	vfs_path_get(&cwd);
	vfs_unlock();
	return cwd;
}

void fs_set_cwd(struct proc *p, const struct path *cwd)
{
	vfs_lock();
	vfs_path_get(cwd);
	vfs_path_put(&p->fs->cwd);
	p->fs->cwd = *cwd;
	vfs_unlock();
}

uint32_t fs_umask(struct proc *p, uint32_t *set)
{
	uint32_t old = p->fs->umask;

	if (set)
		p->fs->umask = *set & 0777;
	return old;
}

void fs_set_root(struct proc *p, const struct path *root)
{
	vfs_path_get(root);
	vfs_path_put(&p->fs->root);
	p->fs->root = *root;
}

struct path vfs_proc_root(void)
{
	struct proc *p = proc_current();

	if (p && p->fs && p->fs->root.dentry)
		return p->fs->root;
	return vfs_root();
}
