/*
 * The machine-wide files of /proc: self and thread-self (links to the
 * caller's directory), meminfo, cpuinfo, stat, uptime, loadavg, version,
 * mounts, filesystems and sys/kernel/{hostname,osrelease,pid_max}, in the
 * formats proc(5) gives (what glibc, busybox and LTP's library parse).
 * Keel has no swap and no page cache of its own beyond tmpfs; the CPUs
 * listed are those that schedule (cpu_count(), as sched_getaffinity).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/page.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/vm.h>
#include <svc/arch.h>
#include <svc/proc.h>
#include <svc/uts.h>

#include "procfs_internal.h"

#define PID_MAX 32768    /* Linux's default pid_max */
#define NS_PER_TICK 10000000ull /* USER_HZ 100 */

static ssize_t self_link(char *buf, size_t size, const struct pnode *n)
{
	struct proc *p = proc_current();
	char t[16];

	if (!p)
		return -ENOENT;
	ksnprintf(t, sizeof(t), "%d", p->pid);
	return pfs_link_text(buf, size, t);
}

static ssize_t thread_self_link(char *buf, size_t size, const struct pnode *n)
{
	struct proc *p = proc_current();
	char t[32];

	if (!p)
		return -ENOENT;
	ksnprintf(t, sizeof(t), "%d/task/%d", p->pid, p->pid);
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

static uint64_t boot_time_s(void)
{
	return (time_realtime_ns() - time_now_ns()) / 1000000000u;
}

static int stat_show(struct seq *s, const struct pnode *n)
{
	int pids[64];
	size_t count = procfs_pids(pids, ARRAY_SIZE(pids));

	seq_puts(s, "cpu  0 0 0 0 0 0 0 0 0 0\n");
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		seq_printf(s, "cpu%u 0 0 0 0 0 0 0 0 0 0\n", cpu);
	seq_printf(s, "intr 0\nctxt 0\nbtime %lu\nprocesses %lu\n",
		   (unsigned long)boot_time_s(), (unsigned long)count);
	seq_puts(s, "procs_running 1\nprocs_blocked 0\n"
		    "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	return 0;
}

static int uptime_show(struct seq *s, const struct pnode *n)
{
	uint64_t ticks = time_now_ns() / NS_PER_TICK;

	seq_printf(s, "%lu.%02lu 0.00\n", (unsigned long)(ticks / 100),
		   (unsigned long)(ticks % 100));
	return 0;
}

static int loadavg_show(struct seq *s, const struct pnode *n)
{
	int pids[64];
	size_t count = procfs_pids(pids, ARRAY_SIZE(pids));

	seq_printf(s, "0.00 0.00 0.00 1/%lu %d\n", (unsigned long)count,
		   count ? pids[count - 1] : 0);
	return 0;
}

static int version_show(struct seq *s, const struct pnode *n)
{
	seq_printf(s, "Linux version %s (keel) %s\n", uts_release(),
		   uts_version());
	return 0;
}

static int mount_line(const struct mount *m, void *arg)
{
	struct seq *s = arg;
	struct path at = { m->parent ? m->parent : (struct mount *)m,
			   m->mountpoint };
	const char *type = m->root->inode->sb->fs_name;
	char *name = kmalloc(VFS_PATH_MAX);

	if (!name)
		return -ENOMEM;
	if (vfs_path_name(&at, name, VFS_PATH_MAX) < 0)
		kstrlcpy(name, "?", VFS_PATH_MAX);
	seq_printf(s, "%s %s %s rw 0 0\n", type, name, type);
	kfree(name);
	return 0;
}

int procfs_mounts_file(struct seq *s, const struct pnode *n)
{
	return vfs_mount_each(mount_line, s);
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

static const struct pentry sys_entries[] = {
	PE_DIR("kernel", kernel_entries),
	PE_END,
};

const struct pentry procfs_root_entries[] = {
	PE_LINK("self", self_link),
	PE_LINK("thread-self", thread_self_link),
	PE_FILE("meminfo", meminfo_show),
	PE_FILE("cpuinfo", cpuinfo_show),
	PE_FILE("stat", stat_show),
	PE_FILE("uptime", uptime_show),
	PE_FILE("loadavg", loadavg_show),
	PE_FILE("version", version_show),
	PE_FILE("mounts", procfs_mounts_file),
	PE_FILE("filesystems", filesystems_show),
	PE_DIR("sys", sys_entries),
	PE_END,
};
