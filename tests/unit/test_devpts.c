/*
 * Unit tests of devpts (services/fs/devpts/) as the boot namespace has
 * it: mounted on /dev/pts with Linux's magic, its ptmx node (5:2, mode
 * 0) beside /dev/ptmx (5:2, 0666), one instance for every mount, a pty's
 * node made for its opener (owner, group, mode 0600, 136:N), refused for
 * a number in use or past PTY_MAX, gone once killed, and no node of the
 * caller's own making. The pty's I/O runs in tests/abi/pty*.c.
 */
#include "unit.h"

#include <keel/errno.h>
#include <svc/cred.h>
#include <svc/devices.h>
#include <svc/devpts.h>
#include <svc/fs.h>
#include <svc/tty.h>
#include <svc/vfs.h>
#include <uapi/mount.h>

static void boot(void)
{
	unit_boot_mm();
	ck_assert_int_eq(vfs_boot(), 0);
}

/* The inode at path, or NULL; no reference kept (the tree holds it). */
static struct inode *node(const char *path)
{
	struct path root = vfs_root(), p;
	struct inode *i;

	if (vfs_lookup(&root, path, 0, &p))
		return NULL;
	i = p.dentry->inode;
	vfs_path_put(&p);
	return i;
}

START_TEST(mounted_on_dev_pts_with_ptmx)
{
	struct inode *dir, *ptmx, *dev_ptmx;
	struct dentry *again;

	boot();
	vfs_lock();
	dir = node("/dev/pts");
	ck_assert_ptr_nonnull(dir);
	ck_assert_uint_eq(dir->sb->magic, DEVPTS_SUPER_MAGIC);
	ck_assert_str_eq(dir->sb->fs_name, "devpts");
	ck_assert(devpts_owns(dir));
	ptmx = node("/dev/pts/ptmx");
	ck_assert_ptr_nonnull(ptmx);
	ck_assert_uint_eq(ptmx->mode, S_IFCHR);
	ck_assert_uint_eq(ptmx->rdev, DEV_MKDEV(5, 2));
	dev_ptmx = node("/dev/ptmx");
	ck_assert_ptr_nonnull(dev_ptmx);
	ck_assert_uint_eq(dev_ptmx->mode, S_IFCHR | 0666);
	ck_assert(!devpts_owns(dev_ptmx));
	again = devpts_new();
	ck_assert_ptr_eq(again->inode, dir);
	vfs_dentry_put(again);
	vfs_unlock();
}
END_TEST

START_TEST(pty_node_for_its_opener)
{
	const struct vfs_cred user = { .uid = 1000, .gid = 100 };
	struct dentry *d;
	struct inode *i;

	boot();
	vfs_lock();
	d = devpts_pty_new(7, &user);
	ck_assert_ptr_nonnull(d);
	i = node("/dev/pts/7");
	ck_assert_ptr_eq(i, d->inode);
	ck_assert_uint_eq(i->mode, S_IFCHR | 0600);
	ck_assert_uint_eq(i->uid, 1000);
	ck_assert_uint_eq(i->gid, 100);
	ck_assert_uint_eq(i->rdev, DEV_MKDEV(PTY_SLAVE_MAJOR, 7));
	ck_assert_ptr_eq(vfs_chrdev_ops(i->rdev), &pty_slave_ops);
	ck_assert_ptr_null(devpts_pty_new(7, &user));
	ck_assert_ptr_null(devpts_pty_new(PTY_MAX, &user));
	devpts_pty_kill(d);
	ck_assert_ptr_null(node("/dev/pts/7"));
	vfs_unlock();
}
END_TEST

START_TEST(nothing_else_can_be_made)
{
	struct path root;

	boot();
	vfs_lock();
	root = vfs_root();
	ck_assert_int_eq(vfs_mknod(&root, "/dev/pts/x", S_IFREG | 0600, 0,
				   &VFS_ROOT_CRED),
			 -EACCES);
	ck_assert_int_eq(vfs_mknod(&root, "/dev/pts/5", S_IFCHR | 0600,
				   DEV_MKDEV(PTY_SLAVE_MAJOR, 5),
				   &VFS_ROOT_CRED),
			 -EPERM);
	vfs_unlock();
}
END_TEST

static Suite *devpts_suite(void)
{
	Suite *s = suite_create("devpts");
	TCase *c = tcase_create("core");

	tcase_add_test(c, mounted_on_dev_pts_with_ptmx);
	tcase_add_test(c, pty_node_for_its_opener);
	tcase_add_test(c, nothing_else_can_be_made);
	suite_add_tcase(s, c);
	return s;
}

UNIT_SUITE(devpts_suite);
