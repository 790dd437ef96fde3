/*
 * Unit tests of pipes and the event files without user memory or
 * sleeping tasks: a new pipe's ends and what each one polls as (the
 * write end writable, the read end not readable), the other side's
 * POLLHUP / POLLERR once an end is released, F_GETPIPE_SZ and the sizes
 * F_SETPIPE_SZ rounds to (and refuses), pipe-max-size, lseek and pread
 * on an end (ESPIPE), the wake-up keys poll entries accept, and the
 * checks pipe2, eventfd2, timerfd_create, epoll_create1, epoll_wait and
 * poll make before any user access. The data paths run in tests/abi/pipe.c,
 * fifo.c, eventfd.c, timerfd.c, epoll.c and poll.c.
 */
#include "syscall_fixture.h"
#include "unit.h"

#include <keel/errno.h>
#include <keel/types.h>
#include <svc/pipe.h>
#include <svc/poll.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>

static struct proc proc;

/* A system call with a4 = 0 and the given a5. */
static long call6(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t a5)
{
	const uint64_t args[6] = { a0, a1, a2, a3, 0, a5 };

	return unit_syscall(&proc, nr, args);
}

/* The same with a5 = 8 (the sigset size of the *pwait calls). */
static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		 uint64_t a3)
{
	return call6(nr, a0, a1, a2, a3, 8);
}

static uint32_t poll_of(struct file *f)
{
	return f->fops->poll(f, NULL);
}

START_TEST(new_pipe_ends_poll_as_linux)
{
	struct file *ends[2];

	unit_boot_mm();
	ck_assert_int_eq(pipe_create(O_NONBLOCK, ends), 0);
	ck_assert_uint_eq(ends[0]->flags & O_ACCMODE, O_RDONLY);
	ck_assert_uint_eq(ends[1]->flags & O_ACCMODE, O_WRONLY);
	ck_assert(ends[0]->flags & O_NONBLOCK);
	ck_assert_ptr_eq(ends[0]->inode, ends[1]->inode);
	ck_assert_uint_eq(ends[0]->inode->mode, S_IFIFO | 0600);
	ck_assert_uint_eq(poll_of(ends[0]), 0);
	ck_assert_uint_eq(poll_of(ends[1]), POLLOUT | POLLWRNORM);
	vfs_file_put(ends[1]);
	ck_assert_uint_eq(poll_of(ends[0]), POLLHUP);
	vfs_file_put(ends[0]);
}
END_TEST

START_TEST(a_released_reader_makes_the_writer_see_pollerr)
{
	struct file *ends[2];

	unit_boot_mm();
	ck_assert_int_eq(pipe_create(0, ends), 0);
	vfs_file_put(ends[0]);
	ck_assert_uint_eq(poll_of(ends[1]), POLLOUT | POLLWRNORM | POLLERR);
	vfs_file_put(ends[1]);
}
END_TEST

START_TEST(set_pipe_size_rounds_to_powers_of_two_pages)
{
	struct file *ends[2];
	const struct file_ops *ops;

	unit_boot_mm();
	ck_assert_int_eq(pipe_create(0, ends), 0);
	ops = ends[0]->fops;
	ck_assert_int_eq(ops->fcntl(ends[0], F_GETPIPE_SZ, 0), 65536);
	ck_assert_int_eq(ops->fcntl(ends[1], F_SETPIPE_SZ, 1), 4096);
	ck_assert_int_eq(ops->fcntl(ends[1], F_SETPIPE_SZ, 4097), 8192);
	ck_assert_int_eq(ops->fcntl(ends[1], F_SETPIPE_SZ, 1 << 20), 1 << 20);
	ck_assert_int_eq(ops->fcntl(ends[1], F_SETPIPE_SZ, (1ul << 31) + 1),
			 -EINVAL);
	ck_assert_int_eq(ops->fcntl(ends[0], F_GETPIPE_SZ, 0), 1 << 20);
	ck_assert_int_eq(ops->fcntl(ends[0], F_SETLK, 0), -EINVAL);
	ck_assert_int_eq(ops->llseek(ends[0], 0, 0), -ESPIPE);
	/* pread: a position that is not the file's own. */
	{
		uint64_t pos = 0;

		ck_assert_int_eq(ops->read(ends[0], uptr(0x1000), 1, &pos),
				 -ESPIPE);
		ck_assert_int_eq(ops->write(ends[1], uptr(0x1000), 1, &pos),
				 -ESPIPE);
	}
	/* A write of nothing is 0 at once. */
	ck_assert_int_eq(ops->write(ends[1], uptr(0x1000), 0, &ends[1]->pos),
			 0);
	vfs_file_put(ends[0]);
	vfs_file_put(ends[1]);
}
END_TEST

/* /proc/sys/fs/pipe-max-size's value rounds as F_SETPIPE_SZ does. (The
 * EPERM for growing past it without root runs in tests/abi/
 * pipe_capacity.c: it needs a calling process.) */
START_TEST(pipe_max_size_rounds_and_refuses)
{
	ck_assert_uint_eq(pipe_max_size(), 1u << 20);
	ck_assert_int_eq(pipe_set_max_size(5000), 0);
	ck_assert_uint_eq(pipe_max_size(), 8192);
	ck_assert_int_eq(pipe_set_max_size(0), -EINVAL);
	ck_assert_int_eq(pipe_set_max_size((1ul << 31) + 1), -EINVAL);
	ck_assert_uint_eq(pipe_max_size(), 8192);
	ck_assert_int_eq(pipe_set_max_size(1u << 20), 0);
}
END_TEST

START_TEST(poll_keys_concern_the_events_asked_and_errors)
{
	ck_assert(poll_key_matches(0, POLLIN));
	ck_assert(poll_key_matches(POLLIN, POLLIN));
	ck_assert(!poll_key_matches(POLLOUT, POLLIN));
	ck_assert(poll_key_matches(POLLHUP, POLLIN));
	ck_assert(poll_key_matches(POLLERR, POLLOUT));
}
END_TEST

START_TEST(system_call_checks_before_user_access)
{
	unit_boot_mm();
	proc = (struct proc){ .pid = 1, .name = "pipe" };
	ck_assert_int_eq(call(SYSNR_pipe2, 0x10000, O_APPEND, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_eventfd2, 0, O_APPEND, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_timerfd_create, 99, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_timerfd_create, 1, O_APPEND, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_epoll_create1, O_APPEND, 0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_epoll_pwait, 3, 0x10000, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_epoll_pwait, 3, 0x10000, -1, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_ppoll, 0x10000, 1u << 20, 0, 0), -EINVAL);
	ck_assert_int_eq(call6(SYSNR_pselect6, (uint64_t)-1, 0, 0, 0, 0),
			 -EINVAL);
}
END_TEST

static Suite *pipe_suite(void)
{
	Suite *s = suite_create("pipe");
	TCase *tc = tcase_create("pipes and events");

	tcase_add_test(tc, new_pipe_ends_poll_as_linux);
	tcase_add_test(tc, a_released_reader_makes_the_writer_see_pollerr);
	tcase_add_test(tc, set_pipe_size_rounds_to_powers_of_two_pages);
	tcase_add_test(tc, pipe_max_size_rounds_and_refuses);
	tcase_add_test(tc, poll_keys_concern_the_events_asked_and_errors);
	tcase_add_test(tc, system_call_checks_before_user_access);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(pipe_suite);
