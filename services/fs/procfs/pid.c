/*
 * /proc/<pid>/: the files about one process. Each generator looks its
 * process up in the registry (-ESRCH once it is gone, as Linux) and
 * prints. What lives in struct proc (name, pid, parent, limits, the exec
 * record) is shown for every process; what other services own (the fd
 * table, the cwd, the memory map) only for the caller itself, because
 * those parts may already be released while a process exits (see
 * registry.c); another process then shows an empty fd/ and maps.
 * task/<tid>/ holds the same files for one thread: its pnode's fd field
 * is the tid there (0 in the process's own directory, which shows the
 * leader).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/vm.h>
#include <svc/elf.h>
#include <svc/fdtable.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <uapi/fcntl.h>
#include <uapi/resource.h>

#include "procfs_internal.h"

#define CLK_TCK 100 /* AT_CLKTCK */

typedef int (*proc_show_fn)(struct seq *s, struct proc *p,
			    const struct pnode *n);

/* Runs fn on n's process with the registry locked. */
static int with_proc(struct seq *s, const struct pnode *n, proc_show_fn fn)
{
	struct proc *p = procfs_proc_get(n->pid);
	int err;

	if (!p)
		return -ESRCH;
	err = fn(s, p, n);
	procfs_proc_put();
	return err;
}

/* One thread's part of the files (proc_lock held while it is read). */
struct thread_view {
	int tid;
	struct thread *t; /* NULL: the thread exited (or a zombie's leader) */
	char name[PROC_NAME_MAX]; /* its comm (the process's name if gone) */
};

/* The thread n shows: task/<tid>'s or /proc/<tid>'s (n->fd), else the
 * leader. proc_lock held. */
static struct thread_view view_locked(struct proc *p, const struct pnode *n)
{
	struct thread_view v = { n->fd ? n->fd : p->pid, NULL, "" };
	struct list_head *pos;

	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		if (t->tid == v.tid)
			v.t = t;
	}
	kstrlcpy(v.name, v.t ? v.t->name : p->name, sizeof(v.name));
	return v;
}

/* Z for a zombie, T while stopped, R for the caller (any of its threads
 * in the process's directory, the calling one in task/), else S. */
static char state_char(const struct proc *p, const struct thread_view *v,
		       const struct pnode *n)
{
	if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PROC_EXITED)
		return 'Z';
	if (__atomic_load_n(&p->stopped, __ATOMIC_ACQUIRE))
		return 'T';
	if (n->fd)
		return v->t && v->t == thread_current() ? 'R' : 'S';
	return procfs_proc_self(p) ? 'R' : 'S';
}

static const char *state_name(char st)
{
	switch (st) {
	case 'R':
		return "running";
	case 'Z':
		return "zombie";
	case 'T':
		return "stopped";
	default:
		return "sleeping";
	}
}

static int ppid_of(const struct proc *p)
{
	return p->parent ? p->parent->pid : 0;
}

/* Memory totals of the caller (0 for others): bytes mapped, pages
 * resident, pages executable and writable. */
struct mem_sum {
	uint64_t size, resident, text, data;
};

static struct mem_sum mem_of(struct proc *p)
{
	struct mem_sum m = { 0 };
	struct list_head *pos;

	if (!procfs_proc_self(p) || !p->vs)
		return m;
	spin_lock(&p->vmar->lock);
	list_for_each(pos, &p->vmar->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);
		uint64_t pages = (r->end - r->start) / PAGE_SIZE;

		m.size += r->end - r->start;
		if (r->prot & VM_EXEC)
			m.text += pages;
		else if (r->prot & VM_WRITE)
			m.data += pages;
	}
	spin_unlock(&p->vmar->lock);
	m.resident = vm_space_frames(p->vs);
	return m;
}

static void cpu_ticks(struct proc *p, uint64_t *utime, uint64_t *stime)
{
	uint64_t u = 0, s = 0;

	proc_cpu_times(p, &u, &s);
	*utime = u / (1000000000u / CLK_TCK);
	*stime = s / (1000000000u / CLK_TCK);
}

/* The 52 fields of proc_pid_stat(5). */
static int stat_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	struct mem_sum m = mem_of(p);
	struct thread_view v;
	uint64_t ut, st;
	int threads, nice, prio, rt_prio = 0, policy = 0;
	char state;

	cpu_ticks(p, &ut, &st);
	proc_lock();
	v = view_locked(p, n);
	state = state_char(p, &v, n);
	threads = p->nr_threads;
	nice = v.t ? v.t->nice : 0;
	if (v.t) {
		rt_prio = v.t->rt_priority;
		policy = v.t->sched_policy;
	}
	proc_unlock();
	/* Linux's task_prio: -1 - rt_priority for real-time threads. */
	prio = rt_prio ? -1 - rt_prio : 20 + nice;
	seq_printf(s, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 ", v.tid, v.name,
		   state, ppid_of(p), p->pgid, p->sid);
	seq_printf(s, "%lu %lu 0 0 %d %d %d 0 %lu %lu %lu %lu ",
		   (unsigned long)ut, (unsigned long)st, prio, nice, threads,
		   (unsigned long)(p->start_ns / (1000000000u / CLK_TCK)),
		   (unsigned long)m.size, (unsigned long)m.resident,
		   (unsigned long)p->rlim[RLIMIT_RSS].rlim_cur);
	seq_printf(s, "0 0 0 0 0 0 0 0 0 0 0 0 17 0 %d %d 0 0 0 ", rt_prio,
		   policy);
	seq_puts(s, "0 0 0 0 0 0 0 0\n");
	return 0;
}

static int statm_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	struct mem_sum m = mem_of(p);

	seq_printf(s, "%lu %lu 0 %lu 0 %lu 0\n",
		   (unsigned long)(m.size / PAGE_SIZE),
		   (unsigned long)m.resident, (unsigned long)m.text,
		   (unsigned long)m.data);
	return 0;
}

static void sigset_line(struct seq *s, const char *label, uint64_t set)
{
	seq_printf(s, "%s:\t%016lx\n", label, (unsigned long)set);
}

/* The Uid, Gid (real, effective, saved, fs), FDSize and Groups lines,
 * as Linux's task_state (a space after the groups, even with none). */
static void cred_lines(struct seq *s, struct proc *p)
{
	struct proc_cred c;

	proc_lock();
	c = p->cred;
	cred_groups_get(c.groups);
	proc_unlock();
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\n", c.uid.real, c.uid.eff,
		   c.uid.saved, c.uid.fs);
	seq_printf(s, "Gid:\t%u\t%u\t%u\t%u\n", c.gid.real, c.gid.eff,
		   c.gid.saved, c.gid.fs);
	/* Another process's table may be gone (a zombie): its first size. */
	seq_printf(s, "FDSize:\t%u\nGroups:\t",
		   procfs_proc_self(p) && p->files ? p->files->size : FD_INLINE);
	for (uint32_t g = 0; c.groups && g < c.groups->n; g++)
		seq_printf(s, g ? " %u" : "%u", c.groups->gid[g]);
	seq_puts(s, " \n");
	cred_groups_put(c.groups);
}

static int status_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	struct mem_sum m = mem_of(p);
	uint64_t ign = 0, cgt = 0;
	struct thread_view v;
	uint64_t pnd = 0, blk = 0, shd = 0;
	/* Another process's fs may be gone (a zombie): 022 shown then. */
	uint32_t umask = procfs_proc_self(p) && p->fs ? fs_umask(p, NULL)
						      : 022;
	int threads;
	char st;

	proc_lock();
	v = view_locked(p, n);
	st = state_char(p, &v, n);
	threads = p->nr_threads;
	if (v.t) {
		pnd = v.t->sig.pending.set;
		blk = v.t->sig.blocked;
	}
	if (threads)
		shd = p->shared_pending.set;
	proc_unlock();
	for (int sig = 1; threads && p->sighand && sig <= UAPI_NSIG; sig++) {
		uint64_t h = p->sighand->action[sig - 1].sa_handler;

		if (h == SIG_IGN)
			ign |= SIG_BIT(sig);
		else if (h != SIG_DFL)
			cgt |= SIG_BIT(sig);
	}
	seq_printf(s, "Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\n", v.name,
		   (unsigned)umask, st, state_name(st));
	seq_printf(s, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", p->pid,
		   v.tid, ppid_of(p));
	seq_puts(s, "TracerPid:\t0\n");
	cred_lines(s, p);
	seq_printf(s, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\n",
		   (unsigned long)(m.size / 1024),
		   (unsigned long)(m.resident * PAGE_SIZE / 1024));
	seq_printf(s, "Threads:\t%d\n", threads);
	sigset_line(s, "SigPnd", pnd);
	sigset_line(s, "ShdPnd", shd);
	sigset_line(s, "SigBlk", blk);
	sigset_line(s, "SigIgn", ign);
	sigset_line(s, "SigCgt", cgt);
	seq_puts(s, "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
		    "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n");
	seq_printf(s, "NoNewPrivs:\t%d\n",
		   __atomic_load_n(&p->no_new_privs, __ATOMIC_RELAXED) ? 1 : 0);
	seq_puts(s, "Seccomp:\t0\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n");
	return 0;
}

static int cmdline_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	const struct procfs_exec *x = procfs_exec_of(p);

	if (x && x->args) /* none for a zombie */
		seq_write(s, x->args, x->args_len);
	return 0;
}

static int environ_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	const struct procfs_exec *x = procfs_exec_of(p);

	if (x && x->env)
		seq_write(s, x->env, x->env_len);
	return 0;
}

static int comm_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	struct thread_view v;

	proc_lock();
	v = view_locked(p, n);
	proc_unlock();
	seq_printf(s, "%s\n", v.name);
	return 0;
}

/* A write to comm names the thread it shows, for the caller's own
 * threads only (-EINVAL for another process's, as Linux's comm_write;
 * -ESRCH once the thread is gone). The text is cut to 15 bytes as it
 * came, a newline included (Linux keeps it too). */
static int comm_store(const char *text, const struct pnode *n)
{
	struct thread *self = thread_current();
	int tid = n->fd ? n->fd : n->pid;
	struct thread *t;
	bool mine;

	if (!self || self->proc->pid != n->pid)
		return -EINVAL;
	proc_lock();
	t = thread_find(tid);
	mine = t && t->proc == self->proc;
	if (mine)
		thread_set_name_locked(t, text);
	proc_unlock();
	return mine ? 0 : -ESRCH;
}

/* The region's name in maps: the program for its image, [heap], [stack],
 * [vvar], [vdso]. */
static const char *region_name(struct proc *p, const struct vmar_region *r,
			       const struct procfs_exec *x)
{
	if (r->tag == VMAR_TAG_VVAR)
		return "[vvar]";
	if (r->tag == VMAR_TAG_VDSO)
		return "[vdso]";
	if (r->start == p->vmar->brk_start && r->kind == VMAR_ANON)
		return "[heap]";
	if (r->end == elf_stack_top())
		return "[stack]";
	if (r->kind == VMAR_IMAGE && x)
		return x->exe;
	return "";
}

static int maps_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	const struct procfs_exec *x = procfs_exec_of(p);
	struct list_head *pos;

	if (!procfs_proc_self(p) || !p->vs)
		return 0;
	spin_lock(&p->vmar->lock);
	list_for_each(pos, &p->vmar->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);
		const char *name = region_name(p, r, x);
		size_t before = s->len;

		seq_printf(s, "%08lx-%08lx %c%c%cp 00000000 00:00 0",
			   (unsigned long)r->start, (unsigned long)r->end,
			   r->prot & VM_READ ? 'r' : '-',
			   r->prot & VM_WRITE ? 'w' : '-',
			   r->prot & VM_EXEC ? 'x' : '-');
		if (*name) {
			/* Linux pads the name to column 73. */
			while (!s->overflow && s->len - before < 72)
				seq_putc(s, ' ');
			seq_printf(s, " %s", name);
		}
		seq_putc(s, '\n');
	}
	spin_unlock(&p->vmar->lock);
	return 0;
}

static const char *const limit_names[RLIM_NLIMITS][2] = {
	{ "Max cpu time", "seconds" },	    { "Max file size", "bytes" },
	{ "Max data size", "bytes" },	    { "Max stack size", "bytes" },
	{ "Max core file size", "bytes" },  { "Max resident set", "bytes" },
	{ "Max processes", "processes" },   { "Max open files", "files" },
	{ "Max locked memory", "bytes" },   { "Max address space", "bytes" },
	{ "Max file locks", "locks" },	    { "Max pending signals", "signals" },
	{ "Max msgqueue size", "bytes" },   { "Max nice priority", "" },
	{ "Max realtime priority", "" },    { "Max realtime timeout", "us" },
};

static void limit_value(struct seq *s, uint64_t v)
{
	if (v == RLIM_INFINITY)
		seq_printf(s, "%-20s ", "unlimited");
	else
		seq_printf(s, "%-20lu ", (unsigned long)v);
}

static int limits_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	seq_printf(s, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
		   "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		seq_printf(s, "%-25s ", limit_names[i][0]);
		limit_value(s, p->rlim[i].rlim_cur);
		limit_value(s, p->rlim[i].rlim_max);
		seq_printf(s, "%-10s\n", limit_names[i][1]);
	}
	return 0;
}

#define SHOW_FN(name)                                                   \
	static int name##_file(struct seq *s, const struct pnode *n)    \
	{                                                               \
		return with_proc(s, n, name##_show);                    \
	}
SHOW_FN(stat)
SHOW_FN(statm)
SHOW_FN(status)
SHOW_FN(cmdline)
SHOW_FN(environ)
SHOW_FN(comm)
SHOW_FN(maps)
SHOW_FN(limits)

/* ---- Links ---------------------------------------------------------- */

static ssize_t exe_link(char *buf, size_t size, const struct pnode *n)
{
	struct proc *p = procfs_proc_get(n->pid);
	const struct procfs_exec *x;
	ssize_t ret = -ENOENT;

	if (!p)
		return -ENOENT;
	x = procfs_exec_of(p);
	if (x && x->exe && x->exe[0])
		ret = pfs_link_text(buf, size, x->exe);
	procfs_proc_put();
	return ret;
}

/* The absolute name of path p into buf (the walk holds vfs_lock). */
static ssize_t path_target(char *buf, size_t size, const struct path *path)
{
	char *name = kmalloc(VFS_PATH_MAX);
	ssize_t ret;
	int len;

	if (!name)
		return -ENOMEM;
	len = vfs_path_name(path, name, VFS_PATH_MAX);
	ret = len < 0 ? len : pfs_link_text(buf, size, name);
	kfree(name);
	return ret;
}

static ssize_t cwd_link(char *buf, size_t size, const struct pnode *n)
{
	struct proc *p = procfs_proc_get(n->pid);
	ssize_t ret = -EACCES;

	if (!p)
		return -ENOENT;
	if (procfs_proc_self(p) && p->fs)
		ret = path_target(buf, size, &p->fs->cwd);
	procfs_proc_put();
	return ret;
}

static ssize_t root_link(char *buf, size_t size, const struct pnode *n)
{
	return pfs_link_text(buf, size, "/");
}

/* The open file of fd n->fd of the caller (reference not taken: the
 * caller holds vfs_lock and the registry), or NULL. */
static struct file *fd_file(struct proc *p, int fd)
{
	if (!procfs_proc_self(p) || !p->files || fd < 0 ||
	    (unsigned)fd >= p->files->size)
		return NULL;
	return p->files->fd[fd];
}

/* The link text of an open file without a name in the tree, as Linux's
 * d_path: "anon_inode:[eventfd]" for an anonymous inode's file,
 * "pipe:[INO]" for a pipe, "socket:[INO]" for a socket (sockfs's
 * dname), "/NAME (deleted)" for a file on no
 * directory (memfd_create's "/memfd:x (deleted)"). */
static ssize_t nameless_target(char *buf, size_t size, struct file *f)
{
	char text[VFS_NAME_MAX + 32];
	struct dentry *d = f->path.dentry;

	if (f->fops && f->fops->anon_name)
		ksnprintf(text, sizeof(text), "anon_inode:%s",
			  f->fops->anon_name);
	else if ((f->inode->mode & S_IFMT) == S_IFIFO && d && d->parent == d)
		ksnprintf(text, sizeof(text), "pipe:[%lu]",
			  (unsigned long)f->inode->ino);
	else if ((f->inode->mode & S_IFMT) == S_IFSOCK && d && d->parent == d)
		ksnprintf(text, sizeof(text), "socket:[%lu]",
			  (unsigned long)f->inode->ino);
	else if (d && d->parent != d && !d->attached)
		ksnprintf(text, sizeof(text), "/%s (deleted)", d->name);
	else
		return -ENOENT;
	return pfs_link_text(buf, size, text);
}

static ssize_t fd_link(char *buf, size_t size, const struct pnode *n)
{
	struct proc *p = procfs_proc_get(n->pid);
	struct file *f;
	ssize_t ret = -ENOENT;

	if (!p)
		return -ENOENT;
	f = fd_file(p, n->fd);
	if (f)
		ret = path_target(buf, size, &f->path);
	if (ret == -ENOENT && f)
		ret = nameless_target(buf, size, f);
	procfs_proc_put();
	return ret;
}

/* fd/N as a magic link: the open file's own path (a pipe's nameless
 * one too), so that opening it opens that file again. */
static int fd_path(const struct pnode *n, struct path *out)
{
	struct proc *p = procfs_proc_get(n->pid);
	struct file *f;
	int ret = -ENOENT;

	if (!p)
		return -ENOENT;
	f = fd_file(p, n->fd);
	if (f) {
		*out = f->path;
		vfs_path_get(out);
		ret = 0;
	}
	procfs_proc_put();
	return ret;
}

static int fdinfo_show(struct seq *s, struct proc *p, const struct pnode *n)
{
	struct file *f = fd_file(p, n->fd);

	if (!f)
		return -ENOENT;
	seq_printf(s, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t0\nino:\t%lu\n",
		   (unsigned long)f->pos,
		   (unsigned)(f->flags | (p->files->cloexec[n->fd] ? 02000000
								 : 0)),
		   (unsigned long)f->inode->ino);
	return 0;
}
SHOW_FN(fdinfo)

/* ---- fd/, fdinfo/ and task/ ---------------------------------------- */

static const struct pentry fd_entry = PE_MAGIC_LINK(NULL, fd_link, fd_path);
static const struct pentry fdinfo_entry = PE_FILE(NULL, fdinfo_file);

/* An fd link's permission bits, as Linux's proc_fd_link mode: read and
 * search for a readable file, write and search for a writable one. */
static uint32_t link_mode(const struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE, mode = 0;

	if (acc == O_RDONLY || acc == O_RDWR)
		mode |= 0500;
	if (acc == O_WRONLY || acc == O_RDWR)
		mode |= 0300;
	return mode;
}

/* Brings dir (fd/ or fdinfo/) in line with the caller's open fds, each
 * entry made from e; fd/'s links take their file's access mode. */
static int refresh_fds(struct dentry *dir, const struct pnode *n,
		       const struct pentry *e)
{
	struct proc *p = procfs_proc_get(n->pid);
	struct list_head *pos, *next;
	unsigned size;
	int err = 0;

	if (!p)
		return -ENOENT;
	list_for_each_safe(pos, next, &dir->children) {
		struct dentry *c = list_entry(pos, struct dentry, sibling);
		const struct pnode *cn = c->inode->priv;

		if (!fd_file(p, cn->fd))
			pfs_remove(c);
	}
	size = procfs_proc_self(p) && p->files ? p->files->size : 0;
	for (int fd = 0; (unsigned)fd < size && !err; fd++) {
		struct file *f = fd_file(p, fd);
		struct dentry *c;
		char name[12];

		if (!f)
			continue;
		ksnprintf(name, sizeof(name), "%d", fd);
		if (!pfs_child(dir, name))
			err = pfs_make(dir, name, e, n->pid, fd);
		c = err || e != &fd_entry ? NULL : pfs_child(dir, name);
		if (c)
			c->inode->mode = S_IFLNK | link_mode(f);
	}
	procfs_proc_put();
	return err;
}

static int fd_refresh(struct dentry *dir, const struct pnode *n)
{
	return refresh_fds(dir, n, &fd_entry);
}

static int fdinfo_refresh(struct dentry *dir, const struct pnode *n)
{
	return refresh_fds(dir, n, &fdinfo_entry);
}

/* A cgroup-v2 system without cgroups mounted: every process is in the
 * root of the one hierarchy. */
static int cgroup_file(struct seq *s, const struct pnode *n)
{
	seq_puts(s, "0::/\n");
	return 0;
}

/* A thread's directory (task/<tid>) and, with task/ added by
 * pid_refresh, a process's. */
const struct pentry procfs_pid_entries[] = {
	PE_FILE("stat", stat_file),	  PE_FILE("statm", statm_file),
	PE_FILE("status", status_file),	  PE_FILE("cmdline", cmdline_file),
	PE_RWFILE_CUT("comm", comm_file, comm_store, PROC_NAME_MAX - 1),
	PE_FILE("environ", environ_file),
	PE_LINK("exe", exe_link),	  PE_LINK("cwd", cwd_link),
	PE_LINK("root", root_link),	  PE_DYNDIR("fd", fd_refresh),
	PE_DYNDIR("fdinfo", fdinfo_refresh), PE_FILE("maps", maps_file),
	PE_FILE("mounts", procfs_mounts_file), PE_FILE("limits", limits_file),
	PE_FILE("mountinfo", procfs_mountinfo_file),
	PE_FILE("cgroup", cgroup_file),
	PE_END,
};

static const struct pentry thread_dir = PE_DIR(NULL, procfs_pid_entries);

#define TASKS_MAX 256

/* The tids of p's live threads into tids (at most max); the count. */
static size_t tids_of(struct proc *p, int *tids, size_t max)
{
	struct list_head *pos;
	size_t k = 0;

	proc_lock();
	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		if (k < max)
			tids[k++] = t->tid;
	}
	proc_unlock();
	return k;
}

static bool has_tid(const int *tids, size_t n, int tid)
{
	for (size_t i = 0; i < n; i++)
		if (tids[i] == tid)
			return true;
	return false;
}

/* task/: one directory per live thread, named by its tid (its pnode's
 * fd), brought in line with the thread list. */
static int task_refresh(struct dentry *dir, const struct pnode *n)
{
	int *tids = kmalloc(TASKS_MAX * sizeof(int));
	struct list_head *pos, *next;
	struct proc *p;
	size_t count;
	int err = 0;

	if (!tids)
		return -ENOMEM;
	p = procfs_proc_get(n->pid);
	if (!p) {
		kfree(tids);
		return -ENOENT;
	}
	count = tids_of(p, tids, TASKS_MAX);
	procfs_proc_put();
	list_for_each_safe(pos, next, &dir->children) {
		struct dentry *c = list_entry(pos, struct dentry, sibling);
		const struct pnode *cn = c->inode->priv;

		if (!has_tid(tids, count, cn->fd))
			pfs_remove(c);
	}
	for (size_t i = 0; i < count && !err; i++) {
		char name[12];

		ksnprintf(name, sizeof(name), "%d", tids[i]);
		if (!pfs_child(dir, name))
			err = pfs_make(dir, name, &thread_dir, n->pid, tids[i]);
	}
	kfree(tids);
	return err;
}

static const struct pentry task_entry = PE_DYNDIR("task", task_refresh);

int procfs_pid_refresh(struct dentry *dir, const struct pnode *n)
{
	if (pfs_child(dir, "task"))
		return 0;
	return pfs_make(dir, "task", &task_entry, n->pid, 0);
}
