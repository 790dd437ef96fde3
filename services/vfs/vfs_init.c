/*
 * The namespace at boot: a tmpfs at /, filled from the initramfs, then
 * devfs mounted on /dev (with devpts on /dev/pts and a tmpfs on
 * /dev/shm), procfs on /proc, sysfs on /sys and a /tmp (mode 1777) when
 * the archive brought none, so that programs find what a Linux system
 * has.
 */
#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/string.h>
#include <svc/devpts.h>
#include <svc/fs.h>
#include <svc/initramfs.h>
#include <svc/service.h>
#include <svc/vfs.h>
#include <uapi/mount.h>

/* Makes directory name at the root unless it exists. */
static int ensure_dir(struct path *root, const char *name, uint32_t perm)
{
	int err = vfs_make_node(root->dentry, name, S_IFDIR | perm, 0, NULL);

	return err == -EEXIST ? 0 : err;
}

/* Mounts the new file system fs (NULL: no memory) on /name. */
static int mount_at(struct path *root, const char *name, struct dentry *fs)
{
	struct path at;
	int err;

	if (!fs)
		return -ENOMEM;
	err = ensure_dir(root, name, 0755);
	if (!err)
		err = vfs_lookup(root, name, LOOKUP_DIRECTORY, &at);
	if (!err) {
		err = vfs_mount(fs, &at);
		vfs_path_put(&at);
	}
	vfs_dentry_put(fs);
	return err;
}

/* Mounts fs (NULL: no memory) on the directory path below the root
 * with mount(2)'s flags and source, showing options in /proc/mounts. */
static int mount_below(struct path *root, const char *path,
		       struct dentry *fs, unsigned long flags,
		       const char *source, const char *options)
{
	struct mount *m;
	struct path at;
	int err;

	if (!fs)
		return -ENOMEM;
	err = vfs_lookup(root, path, LOOKUP_DIRECTORY, &at);
	if (!err) {
		err = vfs_mount_flags(fs, &at, flags, source, &m);
		if (!err)
			kstrlcpy(m->options, options, sizeof(m->options));
		vfs_path_put(&at);
	}
	vfs_dentry_put(fs);
	return err;
}

/* devpts on /dev/pts with Linux's default options, and a tmpfs of mode
 * 1777 on /dev/shm for POSIX shared memory and semaphores (shm_open,
 * sem_open: glibc looks for them there), as an init system mounts them
 * (devfs made both directories). */
static int mount_dev_dirs(struct path *root)
{
	struct dentry *shm = tmpfs_new();
	int err;

	err = mount_below(root, "dev/pts", devpts_new(), MS_RELATIME,
			  "devpts", DEVPTS_OPTIONS);
	if (shm)
		shm->inode->mode = S_IFDIR | 01777;
	if (!err)
		err = mount_below(root, "dev/shm", shm,
				  MS_NOSUID | MS_NODEV | MS_RELATIME, "tmpfs",
				  "");
	else if (shm)
		vfs_dentry_put(shm);
	return err;
}

int vfs_boot(void)
{
	struct dentry *rootfs;
	const void *archive;
	struct path root;
	size_t size;
	int err;

	if (vfs_root().dentry)
		return 0;
	rootfs = tmpfs_new();
	if (!rootfs)
		return -ENOMEM;
	vfs_lock();
	err = vfs_mount(rootfs, NULL);
	vfs_dentry_put(rootfs);
	root = vfs_root();
	if (!err && boot_initrd(&archive, &size))
		err = initramfs_unpack(archive, size) == -ENOMEM ? -ENOMEM : 0;
	if (!err)
		err = mount_at(&root, "dev", devfs_new());
	if (!err)
		err = mount_dev_dirs(&root);
	if (!err)
		err = mount_at(&root, "proc", procfs_new());
	if (!err)
		err = mount_at(&root, "sys", sysfs_new());
	if (!err)
		err = ensure_dir(&root, "tmp", 01777);
	vfs_unlock();
	return err;
}

SERVICE_INIT(vfs, SVC_LEVEL_FS, vfs_boot);
