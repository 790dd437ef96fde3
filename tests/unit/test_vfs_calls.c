/*
 * Unit tests of the file system calls' checks that come before any user
 * memory or file: bad flags (EINVAL, EOPNOTSUPP for preadv2; openat's
 * O_DIRECTORY | O_CREAT), sync_file_range's ranges, bad modes
 * and node types (EINVAL, EPERM), negative offsets and sizes, vector
 * counts past UIO_MAXIOV, and descriptors that are not open (EBADF, here
 * for a process without a table). The calls' work runs in
 * tests/abi/files_*.c against the host.
 */
#include "syscall_fixture.h"
#include "unit.h"

#include <keel/errno.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

static struct proc proc;

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		 uint64_t a3, uint64_t a4, uint64_t a5)
{
	const uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };

	return unit_syscall(&proc, nr, args);
}

static void setup(void)
{
	unit_boot_mm();
	proc = (struct proc){ .pid = 1, .name = "vfs" };
}

START_TEST(bad_flags_are_einval_before_anything)
{
	const uint64_t p = 0x10000, fdcwd = (uint64_t)AT_FDCWD;

	setup();
	ck_assert_int_eq(call(SYSNR_close_range, 3, 10, 0x100, 0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_close_range, 10, 3, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_unlinkat, fdcwd, p, 0x1, 0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_linkat, fdcwd, p, fdcwd, p, 0x1, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_fchmodat2, fdcwd, p, 0644, 0x1, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_faccessat2, fdcwd, p, 0, 0x1, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_faccessat, fdcwd, p, 8, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_newfstatat, fdcwd, p, p, 0x1, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_utimensat, 3, 0, 0, 0x100, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_sync_file_range, 3, 0, 0, 8, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_openat, fdcwd, p, O_DIRECTORY | O_CREAT,
			      0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_dup3, 3, 4, O_APPEND, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_dup3, 3, 3, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_fcntl, 3, F_DUPFD, 1 << 20, 0, 0, 0),
			 -EINVAL);
}
END_TEST

START_TEST(bad_node_types_sizes_and_offsets)
{
	const uint64_t p = 0x10000, fdcwd = (uint64_t)AT_FDCWD;

	setup();
	ck_assert_int_eq(call(SYSNR_mknodat, fdcwd, p, S_IFDIR | 0755, 0, 0, 0),
			 -EPERM);
	ck_assert_int_eq(call(SYSNR_mknodat, fdcwd, p, 0170000, 0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_readlinkat, fdcwd, p, p, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_pread64, 3, p, 1, (uint64_t)-1, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_pwrite64, 3, p, 1, (uint64_t)-1, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_preadv, 3, p, 1, (uint64_t)-1, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_preadv2, 3, p, 1, 0, 0, 0x1000),
			 -EOPNOTSUPP);
	ck_assert_int_eq(call(SYSNR_preadv2, 3, p, 1, (uint64_t)-2, 0, 0),
			 -EINVAL);
	/* RWF_APPEND | RWF_NOAPPEND, before the descriptor, reads too */
	ck_assert_int_eq(call(SYSNR_preadv2, 3, p, 1, 0, 0, 0x30), -EINVAL);
	ck_assert_int_eq(call(SYSNR_pwritev2, 3, p, 1, 0, 0, 0x30), -EINVAL);
	/* sync_file_range: a negative offset or length, an end that wraps */
	ck_assert_int_eq(call(SYSNR_sync_file_range, 3, (uint64_t)-1, 1, 0, 0,
			      0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_sync_file_range, 3, 4, (uint64_t)-2, 0, 0,
			      0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_sync_file_range, 3, INT64_MAX - 1, 4, 0, 0,
			      0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_readv, 3, p, 1025, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_writev, 3, p, (uint64_t)-1, 0, 0, 0),
			 -EINVAL);
}
END_TEST

/* mount's and umount2's checks that come first: flags, then privilege. */
START_TEST(mount_checks_flags_then_privilege)
{
	const uint64_t p = 0x10000;

	setup();
	ck_assert_int_eq(call(SYSNR_umount2, p, 0x100, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_umount2, p, 4 | 2, 0, 0, 0, 0), -EINVAL);
	proc.cred.uid.eff = 1000;
	ck_assert_int_eq(call(SYSNR_mount, p, p, p, 0, 0, 0), -EPERM);
	ck_assert_int_eq(call(SYSNR_umount2, p, 0, 0, 0, 0, 0), -EPERM);
	ck_assert_int_eq(call(SYSNR_fstatfs, 3, p, 0, 0, 0, 0), -EBADF);
}
END_TEST

START_TEST(descriptors_not_open_are_ebadf)
{
	const uint64_t p = 0x10000;

	setup();
	ck_assert_int_eq(call(SYSNR_read, 3, p, 1, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_write, 3, p, 1, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_preadv2, 3, p, 1, 0, 0, 0), -EBADF);
	/* RWF_NOAPPEND is known: the descriptor is what fails */
	ck_assert_int_eq(call(SYSNR_pwritev2, 3, p, 1, 0, 0, 0x20), -EBADF);
	ck_assert_int_eq(call(SYSNR_fsync, 3, 0, 0, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_sync_file_range, 3, 0, 0, 7, 0, 0),
			 -EBADF);
	ck_assert_int_eq(call(SYSNR_fdatasync, 3, 0, 0, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_syncfs, 3, 0, 0, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_fchmod, 3, 0644, 0, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_ioctl, 3, 0x5451, 0, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_ftruncate, 3, 0, 0, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_getdents64, 3, p, 64, 0, 0, 0), -EBADF);
	ck_assert_int_eq(call(SYSNR_lseek, 3, 0, 0, 0, 0, 0), -EBADF);
	/* timerfd_settime reads the new value first, as Linux. */
	ck_assert_int_eq(call(SYSNR_timerfd_settime, 3, 0, p, 0, 0, 0),
			 -EFAULT);
	ck_assert_int_eq(call(SYSNR_timerfd_gettime, 3, p, 0, 0, 0, 0),
			 -EBADF);
	ck_assert_int_eq(call(SYSNR_epoll_ctl, 3, 2, 4, 0, 0, 0), -EBADF);
}
END_TEST

static Suite *vfs_calls_suite(void)
{
	Suite *s = suite_create("vfs_calls");
	TCase *tc = tcase_create("checks");

	tcase_add_test(tc, bad_flags_are_einval_before_anything);
	tcase_add_test(tc, bad_node_types_sizes_and_offsets);
	tcase_add_test(tc, descriptors_not_open_are_ebadf);
	tcase_add_test(tc, mount_checks_flags_then_privilege);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(vfs_calls_suite);
