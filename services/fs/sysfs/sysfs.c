/*
 * sysfs: the small /sys that glibc's and busybox's CPU counting reads,
 * /sys/devices/system/cpu/{online,possible} as CPU lists ("0", "0-3"),
 * as a pseudo file system (<svc/pseudofs.h>): the CPUs that schedule
 * (cpu_count(), numbered from 0, as sched_getaffinity reports them).
 */
#include <keel/task.h>
#include <svc/fs.h>
#include <svc/pseudofs.h>
#include <uapi/mount.h>

#define SYSFS_DEV 0x31 /* st_dev: one instance */

static int cpu_list_show(struct seq *s, const struct pnode *n)
{
	unsigned cpus = cpu_count();

	if (cpus == 1)
		seq_puts(s, "0\n");
	else
		seq_printf(s, "0-%u\n", cpus - 1);
	return 0;
}

static const struct pentry cpu_entries[] = {
	PE_FILE("online", cpu_list_show),
	PE_FILE("possible", cpu_list_show),
	PE_END,
};

static const struct pentry system_entries[] = {
	PE_DIR("cpu", cpu_entries),
	PE_END,
};

static const struct pentry devices_entries[] = {
	PE_DIR("system", system_entries),
	PE_END,
};

static const struct pentry root_entries[] = {
	PE_DIR("devices", devices_entries),
	PE_END,
};

static const struct pentry root_entry = PE_DIR(NULL, root_entries);

struct dentry *sysfs_new(void)
{
	struct dentry *root = pfs_new("sysfs", SYSFS_DEV, &root_entry);

	if (root)
		root->inode->sb->magic = SYSFS_MAGIC;
	return root;
}
