/*
 * The machine-wide files of /proc: self and thread-self (links to the
 * caller's directory), meminfo, cpuinfo, version,
 * mounts, filesystems, sys/kernel/{hostname,osrelease,pid_max} and
 * sys/fs/{file-nr,file-max,pipe-max-size}, in the
 * formats proc(5) gives (what glibc, busybox and LTP's library parse).
 * Keel has no swap and no page cache of its own beyond tmpfs; the CPUs
 * listed are those that schedule (cpu_count(), as sched_getaffinity).
 * stat, uptime, loadavg and vmstat are cpustat.c's.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/page.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/vm.h>
#include <svc/arch.h>
#include <svc/pipe.h>
#include <svc/proc.h>
#include <svc/uts.h>
#include <uapi/mount.h>

#include "procfs_internal.h"

#define PID_MAX 32768    /* Linux's default pid_max */

static ssize_t self_link(char *buf, size_t size, const struct pnode *n)
{
	struct proc *p = proc_current();
	char t[16];

	if (!p)
		return -ENOENT;
	ksnprintf(t, sizeof(t), "%d", p->pid);
	return pfs_link_text(buf, size, t);
}

/* <pid>/task/<tid> of the calling thread. */
static ssize_t thread_self_link(char *buf, size_t size, const struct pnode *n)
{
	struct thread *self = thread_current();
	char t[32];

	if (!self)
		return -ENOENT;
	ksnprintf(t, sizeof(t), "%d/task/%d", self->proc->pid, self->tid);
	return pfs_link_text(buf, size, t);
}

static void kb_line(struct seq *s, const char *label, uint64_t kb)
{
	seq_printf(s, "%-16s%8lu kB\n", label, (unsigned long)kb);
}

static int meminfo_show(struct seq *s, const struct pnode *n)
{
	uint64_t total = frames_total() * (PAGE_SIZE / 1024);
	uint64_t free = frames_free() * (PAGE_SIZE / 1024);
	static const char *const zero[] = {
		"Buffers:",	 "Cached:",	   "SwapCached:",  "Active:",
		"Inactive:",	 "SwapTotal:",	   "SwapFree:",	   "Dirty:",
		"Writeback:",	 "AnonPages:",	   "Mapped:",	   "Shmem:",
		"Slab:",	 "PageTables:",	   "CommitLimit:", "Committed_AS:",
		"HugePages_Total:",
	};

	kb_line(s, "MemTotal:", total);
	kb_line(s, "MemFree:", free);
	kb_line(s, "MemAvailable:", free);
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		kb_line(s, zero[i], 0);
	kb_line(s, "Hugepagesize:", 2048);
	return 0;
}

static int cpuinfo_show(struct seq *s, const struct pnode *n)
{
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		seq_printf(s, "processor\t: %u\n" SVC_ARCH_CPUINFO "\n", cpu);
	return 0;
}

static int version_show(struct seq *s, const struct pnode *n)
{
	seq_printf(s, "Linux version %s (keel) %s\n", uts_release(),
		   uts_version());
	return 0;
}

/* A mount's flags as Linux's show_mnt_opts words: "rw" or "ro", then
 * nosuid, nodev, noexec, the atime ones, nosymfollow. */
static void mount_flags(struct seq *s, unsigned long flags)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} words[] = {
		{ MS_NOSUID, ",nosuid" },	  { MS_NODEV, ",nodev" },
		{ MS_NOEXEC, ",noexec" },	  { MS_SYNCHRONOUS, ",sync" },
		{ MS_DIRSYNC, ",dirsync" },	  { MS_NOATIME, ",noatime" },
		{ MS_NODIRATIME, ",nodiratime" }, { MS_RELATIME, ",relatime" },
		{ MS_NOSYMFOLLOW, ",nosymfollow" },
	};

	seq_puts(s, flags & MS_RDONLY ? "ro" : "rw");
	for (size_t k = 0; k < ARRAY_SIZE(words); k++)
		if (flags & words[k].flag)
			seq_puts(s, words[k].name);
}

/* The name of the mount point of m, as the reader sees it, into name. */
static void mount_point_name(const struct mount *m, char *name)
{
	struct path at = { m->parent ? m->parent : (struct mount *)m,
			   m->mountpoint };

	if (vfs_path_name(&at, name, VFS_PATH_MAX) < 0)
		kstrlcpy(name, "?", VFS_PATH_MAX);
}

static int mount_line(const struct mount *m, void *arg)
{
	struct seq *s = arg;
	const char *type = m->root->inode->sb->fs_name;
	char *name = kmalloc(VFS_PATH_MAX);

	if (!name)
		return -ENOMEM;
	mount_point_name(m, name);
	seq_printf(s, "%s %s %s ", m->source, name, type);
	mount_flags(s, m->flags);
	seq_printf(s, "%s%s 0 0\n", m->options[0] ? "," : "", m->options);
	kfree(name);
	return 0;
}

int procfs_mounts_file(struct seq *s, const struct pnode *n)
{
	return vfs_mount_each(mount_line, s);
}

/* The path of dentry d inside its file system (a bind mount's root). */
static void root_in_fs(const struct dentry *d, char *buf)
{
	size_t pos = VFS_PATH_MAX - 1;

	buf[pos] = '\0';
	while (d->parent != d && pos > 1) {
		size_t len = kstrlen(d->name);

		if (len + 1 > pos)
			break;
		pos -= len;
		memcpy(buf + pos, d->name, len);
		buf[--pos] = '/';
		d = d->parent;
	}
	if (!buf[pos])
		buf[--pos] = '/';
	memmove(buf, buf + pos, VFS_PATH_MAX - pos);
}

/* /proc/<pid>/mountinfo's line for m: ids, device, root, mount point,
 * the mount's flags, no optional fields, then type, source and the file
 * system's options (Linux's show_mountinfo). */
static int mountinfo_line(const struct mount *m, void *arg)
{
	struct seq *s = arg;
	const struct super_block *sb = m->root->inode->sb;
	char *name = kmalloc(2 * VFS_PATH_MAX);

	if (!name)
		return -ENOMEM;
	mount_point_name(m, name);
	root_in_fs(m->root, name + VFS_PATH_MAX);
	seq_printf(s, "%d %d 0:%u %s %s ", m->id,
		   m->parent ? m->parent->id : 1, sb->dev, name + VFS_PATH_MAX,
		   name);
	mount_flags(s, m->flags);
	seq_printf(s, " - %s %s %s%s%s\n", sb->fs_name, m->source,
		   m->flags & MS_RDONLY ? "ro" : "rw", m->options[0] ? "," : "",
		   m->options);
	kfree(name);
	return 0;
}

int procfs_mountinfo_file(struct seq *s, const struct pnode *n)
{
	return vfs_mount_each(mountinfo_line, s);
}

static int filesystems_show(struct seq *s, const struct pnode *n)
{
	seq_puts(s, "nodev\tsysfs\nnodev\ttmpfs\nnodev\tdevtmpfs\n"
		    "nodev\tproc\n");
	return 0;
}

static int hostname_show(struct seq *s, const struct pnode *n)
{
	char name[65];

	uts_hostname(name, sizeof(name));
	seq_printf(s, "%s\n", name);
	return 0;
}

static int osrelease_show(struct seq *s, const struct pnode *n)
{
	seq_printf(s, "%s\n", uts_release());
	return 0;
}

static int pid_max_show(struct seq *s, const struct pnode *n)
{
	seq_printf(s, "%d\n", PID_MAX);
	return 0;
}

static const struct pentry kernel_entries[] = {
	PE_FILE("hostname", hostname_show),
	PE_FILE("osrelease", osrelease_show),
	PE_FILE("pid_max", pid_max_show),
	PE_END,
};

/* /proc/sys/fs/file-nr: open files, 0 free ones (Linux has printed 0
 * since 2.6), the limit. */
static int file_nr_show(struct seq *s, const struct pnode *n)
{
	seq_printf(s, "%zu\t0\t%zu\n", vfs_nr_files(), vfs_file_max());
	return 0;
}

static int file_max_show(struct seq *s, const struct pnode *n)
{
	seq_printf(s, "%zu\n", vfs_file_max());
	return 0;
}

/* A decimal number, blanks and a newline around it allowed: 0 with *v,
 * or -EINVAL. */
static int parse_number(const char *text, uint64_t *v)
{
	char num[PFS_STORE_MAX + 1];
	size_t len = 0;

	while (*text == ' ' || *text == '\t')
		text++;
	while (text[len] >= '0' && text[len] <= '9')
		len++;
	memcpy(num, text, len);
	num[len] = '\0';
	for (const char *c = text + len; *c; c++)
		if (*c != ' ' && *c != '\t' && *c != '\n')
			return -EINVAL;
	if (!len || kstrtou64(num, 10, v))
		return -EINVAL;
	return 0;
}

static int file_max_store(const char *text, const struct pnode *n)
{
	uint64_t v;

	return parse_number(text, &v) ? -EINVAL : vfs_set_file_max(v);
}

static int pipe_max_show(struct seq *s, const struct pnode *n)
{
	seq_printf(s, "%zu\n", pipe_max_size());
	return 0;
}

static int pipe_max_store(const char *text, const struct pnode *n)
{
	uint64_t v;

	return parse_number(text, &v) ? -EINVAL : pipe_set_max_size(v);
}

static const struct pentry fs_entries[] = {
	PE_FILE("file-nr", file_nr_show),
	PE_RWFILE("file-max", file_max_show, file_max_store),
	PE_RWFILE("pipe-max-size", pipe_max_show, pipe_max_store),
	PE_END,
};

static const struct pentry sys_entries[] = {
	PE_DIR("fs", fs_entries),
	PE_DIR("kernel", kernel_entries),
	PE_END,
};

const struct pentry procfs_root_entries[] = {
	PE_LINK("self", self_link),
	PE_LINK("thread-self", thread_self_link),
	PE_FILE("meminfo", meminfo_show),
	PE_FILE("cpuinfo", cpuinfo_show),
	PE_FILE("stat", procfs_stat_file),
	PE_FILE("uptime", procfs_uptime_file),
	PE_FILE("loadavg", procfs_loadavg_file),
	PE_FILE("vmstat", procfs_vmstat_file),
	PE_FILE("version", version_show),
	PE_FILE("mounts", procfs_mounts_file),
	PE_FILE("filesystems", filesystems_show),
	PE_DIR("sys", sys_entries),
	PE_END,
};
