/*
 * Unit tests of the write count of regular files (services/vfs/file.c,
 * Linux's i_writecount): a file open for writing makes exec of it
 * -ETXTBSY (vfs_open_exec), a file exec holds makes opening it for
 * writing and truncating it -ETXTBSY, reading stays possible, each side
 * gives its part back with its last vfs_file_put, and an open that fails
 * later (no file slot left: -ENFILE) takes nothing.
 */
#include "unit.h"

#include "mm_fixtures.h"

#include <keel/errno.h>
#include <svc/fs.h>
#include <svc/vfs.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>

#define NAME "/writecount-prog"

static struct path boot(void)
{
	struct path root;

	unit_boot_mm();
	ck_assert_int_eq(vfs_boot(), 0);
	vfs_lock();
	root = vfs_root();
	vfs_unlock();
	return root;
}

static int open_as(const struct path *root, uint32_t flags, struct file **f)
{
	return vfs_open(root, NAME, flags, 0755, &VFS_ROOT_CRED, f);
}

static void put(struct file *f)
{
	vfs_lock();
	vfs_file_put(f);
	vfs_unlock();
}

static int exec_open(struct file **f)
{
	return vfs_open_exec(NULL, AT_FDCWD, NAME, 0, &VFS_ROOT_CRED, f);
}

START_TEST(writers_and_a_running_program_exclude_each_other)
{
	struct path root = boot();
	struct file *w, *w2, *x, *x2, *r;
	struct inode *i;

	ck_assert_int_eq(open_as(&root, O_RDWR | O_CREAT | O_TRUNC, &w), 0);
	i = w->inode;
	ck_assert_int_eq(open_as(&root, O_WRONLY, &w2), 0);
	ck_assert_int_eq(i->write_count, 2);
	ck_assert_int_eq(exec_open(&x), -ETXTBSY);
	put(w);
	ck_assert_int_eq(exec_open(&x), -ETXTBSY);
	put(w2);
	ck_assert_int_eq(i->write_count, 0);

	ck_assert_int_eq(exec_open(&x), 0);
	ck_assert_int_eq(exec_open(&x2), 0);
	ck_assert_int_eq(i->write_count, -2);
	ck_assert_int_eq(open_as(&root, O_WRONLY, &w), -ETXTBSY);
	ck_assert_int_eq(open_as(&root, O_RDWR, &w), -ETXTBSY);
	ck_assert_int_eq(open_as(&root, O_RDONLY | O_TRUNC, &w), -ETXTBSY);
	vfs_lock();
	ck_assert_int_eq(vfs_truncate(i, 0, &VFS_ROOT_CRED), -ETXTBSY);
	vfs_unlock();
	ck_assert_int_eq(open_as(&root, O_RDONLY, &r), 0);
	ck_assert_int_eq(vfs_deny_write(x), 0); /* already denying */
	ck_assert_int_eq(i->write_count, -2);
	put(r);
	put(x);
	ck_assert_int_eq(open_as(&root, O_WRONLY, &w), -ETXTBSY);
	put(x2);
	ck_assert_int_eq(i->write_count, 0);
	ck_assert_int_eq(open_as(&root, O_WRONLY, &w), 0);
	ck_assert_int_eq(vfs_deny_write(w), -ETXTBSY); /* a writer itself */
	put(w);
	ck_assert_int_eq(i->write_count, 0);
	ck_assert_int_eq(vfs_unlink(&root, NAME + 1, false, &VFS_ROOT_CRED),
			 0);
}
END_TEST

START_TEST(a_failed_open_takes_no_write_count)
{
	struct path root = boot();
	size_t max = vfs_file_max();
	struct file *w, *r, *again;
	struct inode *i;

	ck_assert_int_eq(open_as(&root, O_RDWR | O_CREAT | O_TRUNC, &w), 0);
	i = w->inode;
	ck_assert_int_eq(vfs_set_file_max(vfs_nr_files()), 0);
	ck_assert_int_eq(open_as(&root, O_WRONLY, &again), -ENFILE);
	ck_assert_int_eq(i->write_count, 1);
	ck_assert_int_eq(vfs_set_file_max(max), 0);
	ck_assert_int_eq(open_as(&root, O_RDONLY, &r), 0);
	put(w);
	ck_assert_int_eq(vfs_set_file_max(vfs_nr_files()), 0);
	ck_assert_int_eq(exec_open(&again), -ENFILE);
	ck_assert_int_eq(i->write_count, 0);
	ck_assert_int_eq(vfs_set_file_max(max), 0);
	ck_assert_int_eq(open_as(&root, O_WRONLY, &w), 0);
	ck_assert_int_eq(i->write_count, 1);
	put(w);
	put(r);
	ck_assert_int_eq(vfs_unlink(&root, NAME + 1, false, &VFS_ROOT_CRED),
			 0);
}
END_TEST

static Suite *test_vfs_writecount_suite(void)
{
	Suite *s = suite_create("vfs_writecount");
	TCase *tc = tcase_create("writecount");

	tcase_add_test(tc, writers_and_a_running_program_exclude_each_other);
	tcase_add_test(tc, a_failed_open_takes_no_write_count);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(test_vfs_writecount_suite);
