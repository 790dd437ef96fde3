/*
 * The file systems the VFS mounts at boot (each in services/fs/<name>/):
 * each returns the root dentry of a new, empty instance (one reference,
 * the caller's), or NULL when memory runs out.
 */
#ifndef SVC_FS_H
#define SVC_FS_H

#include <keel/types.h>

struct dentry;

struct dentry *tmpfs_new(void);
struct dentry *devfs_new(void);
struct dentry *procfs_new(void);
struct dentry *sysfs_new(void);
/* devpts is one instance (<svc/devpts.h>): its root, a new reference. */
struct dentry *devpts_new(void);

struct file;
/* memfd_create's file (services/fs/tmpfs): a new regular file of mode
 * on a tmpfs of its own, named name ("memfd:x") but on no directory,
 * opened O_RDWR, with seals (F_SEAL_SEAL: none can be added). NULL when
 * memory runs out. Caller holds vfs_lock. */
struct file *tmpfs_memfd(const char *name, uint32_t mode, uint32_t seals);

/*
 * Builds the namespace (services/vfs/vfs_init.c): a tmpfs root filled from
 * the initramfs, devfs on /dev, devpts on /dev/pts, procfs on /proc, sysfs on /sys, /tmp. Runs at SVC_LEVEL_FS; later calls
 * return 0 and change nothing (unit tests call it). 0 or -ENOMEM.
 */
int vfs_boot(void);

#endif
