/*
 * Unit tests of the system call layer (services/syscall/) through
 * syscall_dispatch, as user code would make the calls: x86-64 numbers and
 * registers (the hosted machine's ABI), written out here from Linux's
 * syscall_64.tbl so that the table is checked too, and the results the
 * Linux man pages give: -ENOSYS for unknown numbers, write's -EBADF and
 * -EFAULT, arch_prctl's int code and -EPERM limit, getpid and
 * set_tid_address, exit's status byte. No task runs here, so every user
 * address is unreachable (-EFAULT) and calls that sleep are left out.
 */
#include "unit.h"

#include "sched/sched.h"

#include <keel/errno.h>
#include <keel/user.h>
#include <svc/proc.h>
#include <svc/syscall.h>

/* x86-64 Linux system call numbers (arch/x86/entry/syscalls). */
#define NR_WRITE 1
#define NR_GETPID 39
#define NR_EXIT 60
#define NR_ARCH_PRCTL 158
#define NR_SET_TID_ADDRESS 218
#define NR_EXIT_GROUP 231

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define TASK_SIZE_MAX 0x7ffffffff000ull /* x86-64, 4-level paging */

static struct proc proc;
static struct user_ctx ctx;

/* A process of its own (pid 42) and a fresh register file; the heap is
 * up (write allocates its chunk buffer). */
static void fresh_proc(void)
{
	unit_boot_mm();
	proc = (struct proc){ .pid = 42, .name = "test" };
	uctx_init(&ctx, 0x400000, 0x7ff000);
}

/* Makes system call nr with three arguments; returns the return
 * register afterwards. */
static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uctx_set(&ctx, UREG_SYSNR, nr);
	uctx_set(&ctx, UREG_ARG0, a0);
	uctx_set(&ctx, UREG_ARG1, a1);
	uctx_set(&ctx, UREG_ARG2, a2);
	syscall_dispatch(&proc, &ctx);
	return (long)uctx_get(&ctx, UREG_RET);
}

START_TEST(unknown_numbers_are_enosys)
{
	static const uint64_t nrs[] = { 1999, 335, 1u << 31, ~0ull };

	fresh_proc();
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		ck_assert_int_eq(call(nrs[i], 0, 0, 0), -ENOSYS);
	ck_assert(!proc.exiting);
}
END_TEST

START_TEST(process_identity)
{
	fresh_proc();
	ck_assert_int_eq(call(NR_GETPID, 0, 0, 0), 42);
	ck_assert_int_eq(call(NR_SET_TID_ADDRESS, 0x1234, 0, 0), 42);
	ck_assert_int_eq(call(NR_SET_TID_ADDRESS, 0, 0, 0), 42);
}
END_TEST

START_TEST(exit_keeps_the_status_byte)
{
	fresh_proc();
	call(NR_EXIT, 0x1234, 0, 0);
	ck_assert(proc.exiting);
	ck_assert_int_eq(proc.exit_code, 0x34);
	fresh_proc();
	call(NR_EXIT_GROUP, (uint64_t)-1, 0, 0);
	ck_assert(proc.exiting);
	ck_assert_int_eq(proc.exit_code, 255);
}
END_TEST

START_TEST(write_errors)
{
	fresh_proc();
	/* The descriptor is checked first, then the whole range. */
	ck_assert_int_eq(call(NR_WRITE, 0, 0x1000, 1), -EBADF);
	ck_assert_int_eq(call(NR_WRITE, 3, 0x1000, 1), -EBADF);
	ck_assert_int_eq(call(NR_WRITE, (uint64_t)-1, 0x1000, 1), -EBADF);
	ck_assert_int_eq(call(NR_WRITE, 1, 0x1000, 0), 0);
	ck_assert_int_eq(call(NR_WRITE, 1, ~0ull - 8, 16), -EFAULT);
	ck_assert_int_eq(call(NR_WRITE, 1, 0x1000, ~0ull), -EFAULT);
	ck_assert_int_eq(call(NR_WRITE, 2, user_va_max(), 0), 0);
	ck_assert_int_eq(call(NR_WRITE, 2, user_va_max() + 1, 0), -EFAULT);
	ck_assert_int_eq(call(NR_WRITE, 2, user_va_max() - 8, 9), -EFAULT);
	/* Inside the range, but unreachable: nothing is written. */
	ck_assert_int_eq(call(NR_WRITE, 1, 0x1000, 10), -EFAULT);
	/* fd is an int: the upper half of the register does not count. */
	ck_assert_int_eq(call(NR_WRITE, 0x100000001ull, 0x1000, 0), 0);
}
END_TEST

START_TEST(arch_prctl_sets_the_fs_base)
{
	fresh_proc();
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_SET_FS, 0x601000, 0), 0);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_TLS), 0x601000);
	/* Any base below TASK_SIZE_MAX, mapped or not, even above what this
	 * machine lets user code map. */
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_SET_FS,
			      TASK_SIZE_MAX - 1, 0),
			 0);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_TLS), TASK_SIZE_MAX - 1);
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_SET_FS, 0, 0), 0);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_TLS), 0);
	/* The code is an int: the upper half of the register is ignored. */
	ck_assert_int_eq(call(NR_ARCH_PRCTL, 0x100000000ull | ARCH_SET_FS,
			      0x602000, 0),
			 0);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_TLS), 0x602000);
}
END_TEST

START_TEST(arch_prctl_errors)
{
	fresh_proc();
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_SET_FS, 0x601000, 0), 0);
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_SET_FS, TASK_SIZE_MAX, 0),
			 -EPERM);
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_SET_FS,
			      0xffff800000000000ull, 0),
			 -EPERM);
	ck_assert_uint_eq(uctx_get(&ctx, UREG_TLS), 0x601000);
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_GET_FS, 0x1000, 0),
			 -EFAULT);
	ck_assert_int_eq(call(NR_ARCH_PRCTL, 0x9999, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_ARCH_PRCTL, ARCH_SET_FS | 0x10000, 0, 0),
			 -EINVAL);
}
END_TEST

static Suite *syscall_suite(void)
{
	Suite *s = suite_create("syscall");
	TCase *tc = tcase_create("x86_64");

	tcase_add_test(tc, unknown_numbers_are_enosys);
	tcase_add_test(tc, process_identity);
	tcase_add_test(tc, exit_keeps_the_status_byte);
	tcase_add_test(tc, write_errors);
	tcase_add_test(tc, arch_prctl_sets_the_fs_base);
	tcase_add_test(tc, arch_prctl_errors);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(syscall_suite);
