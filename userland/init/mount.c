/*
 * The file systems and host name keel-init sets up before the program
 * runs. A directory that is already a mount point (its st_dev differs
 * from its parent's: the kernel mounts /dev, /proc and /sys itself at
 * boot) is left alone; so mounting twice never stacks. /tmp gets its
 * tmpfs only while it is empty: files the image brings there (keel run
 * --add of a host path under /tmp) stay visible. Without mount(2)
 * (ENOSYS) the kernel's own mounts are all there is, and a missing one is
 * noted, never fatal: the program may not need it.
 */
#include "init.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

struct init_mount {
	const char *source, *dir, *type, *data;
	mode_t mode;
	unsigned long flags;
	bool only_if_empty; /* not over what the image put there */
};

static const struct init_mount mounts[] = {
	{ "proc", "/proc", "proc", NULL, 0555,
	  MS_NOSUID | MS_NODEV | MS_NOEXEC, false },
	{ "devtmpfs", "/dev", "devtmpfs", NULL, 0755, MS_NOSUID, false },
	{ "sysfs", "/sys", "sysfs", NULL, 0555,
	  MS_NOSUID | MS_NODEV | MS_NOEXEC, false },
	{ "tmpfs", "/tmp", "tmpfs", "mode=1777", 01777, MS_NOSUID | MS_NODEV,
	  true },
};

void init_note(const char *what, int err)
{
	fprintf(stderr, "keel-init: %s: %s\n", what, strerror(err));
}

/* 1 if dir is the root of a mount (a file system other than its
 * parent's), 0 if not, -1 if it cannot be told. */
static int is_mount_point(const char *dir)
{
	char parent[64];
	struct stat d, p;

	snprintf(parent, sizeof(parent), "%s/..", dir);
	if (stat(dir, &d) < 0 || stat(parent, &p) < 0)
		return -1;
	return d.st_dev != p.st_dev;
}

/* true if directory dir has no entry but . and .. (or cannot be read). */
static bool is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return true;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

static void mount_one(const struct init_mount *m)
{
	char what[96];

	if (mkdir(m->dir, m->mode) < 0 && errno != EEXIST) {
		init_note(m->dir, errno);
		return;
	}
	if (is_mount_point(m->dir) == 1 ||
	    (m->only_if_empty && !is_empty(m->dir)))
		return;
	if (mount(m->source, m->dir, m->type, m->flags, m->data) == 0)
		return;
	if (errno == ENOSYS || errno == EBUSY) {
		/* No mount(2) yet: /tmp stays a directory of the root tmpfs
		 * (the kernel made it 1777); the others are the kernel's. */
		if (m->mode & S_ISVTX)
			chmod(m->dir, m->mode);
		return;
	}
	snprintf(what, sizeof(what), "mount %s on %s", m->type, m->dir);
	init_note(what, errno);
}

void init_mount_all(void)
{
	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++)
		mount_one(&mounts[i]);
}

void init_set_hostname(void)
{
	char name[65];
	ssize_t n;
	int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, name, sizeof(name) - 1);
	close(fd);
	if (n <= 0)
		return;
	name[n] = '\0';
	name[strcspn(name, " \t\r\n")] = '\0';
	if (name[0] && sethostname(name, strlen(name)) < 0 && errno != ENOSYS)
		init_note("sethostname", errno);
}
