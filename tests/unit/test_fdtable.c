/*
 * Unit tests of the growing fd table (services/vfs/fdtable.c): a table
 * starts with its inline slots, grows to Linux's sizes when an fd past
 * them is installed (dup2 onto one, the lowest free from a high minimum),
 * never past the soft RLIMIT_NOFILE (EBADF, EMFILE), keeps the lowest
 * free fd as its next hint, and frees what it grew at exit (Valgrind
 * checks). A fork's copy, sized by the fds open, is tests/abi/
 * fdtable_grow's.
 */
#include "unit.h"
#include "proc_fixtures.h"

#include <string.h>

#include <keel/errno.h>
#include <svc/fdtable.h>
#include <svc/fs.h>
#include <uapi/fcntl.h>
#include <uapi/resource.h>

static struct proc proc;
static struct thread thr;

static struct file *root_file(void)
{
	struct path root = vfs_root();
	struct file *f;

	ck_assert_int_eq(vfs_open(&root, "/", O_RDONLY | O_DIRECTORY, 0,
				  &VFS_ROOT_CRED, &f),
			 0);
	return f;
}

static void start(void)
{
	unit_boot_mm();
	ck_assert_int_eq(vfs_boot(), 0);
	fixture_proc(&proc, &thr, 5100);
	proc.rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	proc.rlim[RLIMIT_NOFILE].rlim_max = 4096;
	fd_close_range(&proc, 0, ~0u, false); /* the console's 0, 1, 2 */
}

START_TEST(a_table_grows_to_linux_sizes_on_demand)
{
	struct file *f;

	start();
	ck_assert_uint_eq(proc.files->size, FD_INLINE);
	ck_assert_ptr_eq(proc.files->fd, proc.files->inline_fd);
	f = root_file();
	for (int fd = 0; fd < 3; fd++) {
		vfs_file_get(f);
		ck_assert_int_eq(fd_install(&proc, f, 0, false), fd);
	}
	ck_assert_uint_eq(fd_table_size(&proc), FD_INLINE);
	ck_assert_int_eq(fd_install_at(&proc, 1023, f, false), 1023);
	ck_assert_uint_eq(fd_table_size(&proc), 1024);
	ck_assert_int_eq(fd_install_at(&proc, 1024, f, false), -EBADF);
	ck_assert_int_eq(fd_get_cloexec(&proc, 1024), -EBADF);
	ck_assert_int_eq(fd_close(&proc, 5000), -EBADF);
	proc.rlim[RLIMIT_NOFILE].rlim_cur = 4096;
	vfs_file_get(f);
	ck_assert_int_eq(fd_install(&proc, f, 2000, true), 2000);
	ck_assert_uint_eq(fd_table_size(&proc), 2048);
	ck_assert_int_eq(fd_get_cloexec(&proc, 2000), FD_CLOEXEC);
	/* the low fds are still there after the move */
	ck_assert_ptr_eq(proc.files->fd[1], f);
	vfs_file_get(f);
	ck_assert_int_eq(fd_install(&proc, f, 0, false), 3);
	ck_assert_int_eq(fd_close(&proc, 1), 0);
	vfs_file_get(f);
	ck_assert_int_eq(fd_install(&proc, f, 0, false), 1);
	/* from the limit on: EMFILE, the file released */
	vfs_file_get(f);
	ck_assert_int_eq(fd_install(&proc, f, 4096, false), -EMFILE);
	vfs_file_get(f);
	ck_assert_int_eq(fd_install(&proc, f, FD_MAX, false), -EINVAL);
	fd_put(f);
	fd_close_range(&proc, 3, ~0u, false);
	ck_assert_int_eq(fd_get_cloexec(&proc, 2000), -EBADF);
	ck_assert_uint_eq(fd_table_size(&proc), 2048); /* never shrinks */
	fixture_proc_done(&proc);
}
END_TEST

/* Every fd below the limit taken: EMFILE; the hint comes back down to
 * a closed fd. */
START_TEST(a_full_table_is_emfile_until_an_fd_is_closed)
{
	struct file *f;

	start();
	proc.rlim[RLIMIT_NOFILE].rlim_cur = 300;
	f = root_file();
	for (int fd = 0; fd < 300; fd++) {
		vfs_file_get(f);
		ck_assert_int_eq(fd_install(&proc, f, 0, false), fd);
	}
	ck_assert_uint_eq(proc.files->next_fd, 300);
	ck_assert_uint_eq(fd_table_size(&proc), 512);
	vfs_file_get(f);
	ck_assert_int_eq(fd_install(&proc, f, 0, false), -EMFILE);
	ck_assert_int_eq(fd_close(&proc, 77), 0);
	ck_assert_uint_eq(proc.files->next_fd, 77);
	vfs_file_get(f);
	ck_assert_int_eq(fd_install(&proc, f, 100, false), -EMFILE);
	ck_assert_uint_eq(proc.files->next_fd, 77);
	ck_assert_int_eq(fd_install(&proc, f, 0, false), 77);
	fixture_proc_done(&proc);
}
END_TEST

static Suite *fdtable_suite(void)
{
	Suite *s = suite_create("fdtable");
	TCase *c = tcase_create("core");

	tcase_add_test(c, a_table_grows_to_linux_sizes_on_demand);
	tcase_add_test(c, a_full_table_is_emfile_until_an_fd_is_closed);
	suite_add_tcase(s, c);
	return s;
}

UNIT_SUITE(fdtable_suite);
