/*
 * Unit tests of the system call layer (services/syscall/) through
 * syscall_dispatch, as user code would make the calls: x86-64 numbers and
 * registers (the hosted machine's ABI), written out here from Linux's
 * syscall_64.tbl so that the table is checked too, and the results the
 * Linux man pages give: -ENOSYS for unknown numbers, write's -EBADF and
 * -EFAULT, arch_prctl's int code and -EPERM limit, getpid and
 * set_tid_address, exit's status byte. No task runs here, so every user
 * address is unreachable (-EFAULT) and calls that sleep are left out.
 *
 * Also the SYSCALL_DEFINE machinery: typed arguments converted from raw
 * registers (a test call of its own), the descriptors it records, the
 * table binding every listed number to its name, and the once-per-number
 * report of unimplemented calls (console captured).
 */
#include "unit.h"
#include "capture.h"
#include "proc_fixtures.h"
#include "../../services/syscall/syscall_internal.h"

#include "sched/sched.h"

#include <string.h>

#include <keel/errno.h>
#include <keel/user.h>
#include <svc/fs.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>

/* x86-64 Linux system call numbers (arch/x86/entry/syscalls). */
#define NR_WRITE 1
#define NR_GETPID 39
#define NR_EXIT 60
#define NR_ARCH_PRCTL 158
#define NR_INOTIFY_INIT1 294 /* not implemented */
#define NR_VHANGUP 153       /* not implemented */
#define NR_SET_TID_ADDRESS 218
#define NR_EXIT_GROUP 231

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define TASK_SIZE_MAX 0x7ffffffff000ull /* x86-64, 4-level paging */

static struct proc proc;
static struct thread thr;
static struct user_ctx ctx;

/* A process of its own (pid 42) and a fresh register file; the heap is
 * up (write allocates its chunk buffer). */
static void fresh_proc(void)
{
	unit_boot_mm();
	ck_assert_int_eq(vfs_boot(), 0);
	if (proc.pid)
		fixture_proc_done(&proc);
	fixture_proc(&proc, &thr, 42);
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
	syscall_dispatch(&thr, &ctx);
	return (long)uctx_get(&ctx, UREG_RET);
}

/* A call of the test's own (not in the list, so not in the table): it
 * records its typed arguments. */
static struct {
	int i;
	unsigned int u;
	long l;
	unsigned long ul;
	long long ll;
	uptr_t ptr;
	struct proc *proc;
} seen;

__SYSCALL_DEFINEx(6, unit_typed, int, i, unsigned int, u, long, l,
		  unsigned long, ul, long long, ll, uptr_t, ptr)
{
	seen.i = i;
	seen.u = u;
	seen.l = l;
	seen.ul = ul;
	seen.ll = ll;
	seen.ptr = ptr;
	seen.proc = proc;
	return 7;
}

START_TEST(arguments_are_converted_to_their_types)
{
	const uint64_t raw[SYSCALL_MAX_ARGS] = {
		0x1234567880000001ull, /* int: low half, sign-extended */
		0xffffffff00000005ull, /* unsigned int: low half */
		(uint64_t)-3,          /* long: the whole register */
		0x8000000000000000ull, /* unsigned long */
		(uint64_t)-9,          /* long long */
		0x00007fffdeadbeefull, /* uptr_t */
	};

	fresh_proc();
	ck_assert_int_eq(syscall_desc_unit_typed.call(&thr, &ctx, raw), 7);
	ck_assert_int_eq(seen.i, (int)0x80000001u);
	ck_assert_int_lt(seen.i, 0);
	ck_assert_uint_eq(seen.u, 5);
	ck_assert_int_eq(seen.l, -3);
	ck_assert_uint_eq(seen.ul, 0x8000000000000000ull);
	ck_assert_int_eq(seen.ll, -9);
	ck_assert_uint_eq(seen.ptr.addr, 0x00007fffdeadbeefull);
	ck_assert_ptr_eq(seen.proc, &proc);
}
END_TEST

START_TEST(descriptors_record_names_and_kinds)
{
	static const char *const types[] = { "int", "unsigned int", "long",
					     "unsigned long", "long long",
					     "uptr_t" };
	static const char *const names[] = { "i", "u", "l", "ul", "ll",
					     "ptr" };
	static const enum sysarg_kind kinds[] = { SYSARG_INT, SYSARG_UINT,
						  SYSARG_LONG, SYSARG_ULONG,
						  SYSARG_LONG, SYSARG_UPTR };
	const struct syscall_desc *d = &syscall_desc_unit_typed;
	const struct syscall_desc *w = syscall_lookup(NR_WRITE);

	ck_assert_str_eq(d->name, "unit_typed");
	ck_assert_uint_eq(d->nargs, 6);
	for (unsigned i = 0; i < 6; i++) {
		ck_assert_str_eq(d->args[i].type, types[i]);
		ck_assert_str_eq(d->args[i].name, names[i]);
		ck_assert_int_eq(d->args[i].kind, kinds[i]);
	}
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(w->name, "write");
	ck_assert_uint_eq(w->nargs, 3);
	ck_assert_str_eq(w->args[1].type, "uptr_t");
	ck_assert_int_eq(w->args[1].kind, SYSARG_UPTR);
	ck_assert_str_eq(w->args[2].name, "count");
	ck_assert_uint_eq(syscall_lookup(NR_GETPID)->nargs, 0);
}
END_TEST

/* Every bound number's descriptor has the list's name for that number,
 * the calls this file tests are bound, and the list has Linux's names and
 * numbers. */
START_TEST(the_table_binds_listed_names)
{
	static const uint64_t implemented[] = {
		NR_WRITE, NR_GETPID, NR_EXIT, NR_ARCH_PRCTL,
		NR_SET_TID_ADDRESS, NR_EXIT_GROUP,
	};
	unsigned bound = 0;

	for (uint64_t nr = 0; nr < syscall_table_size(); nr++) {
		const struct syscall_desc *d = syscall_lookup(nr);

		if (!d)
			continue;
		ck_assert_ptr_nonnull(syscall_name(nr));
		ck_assert_str_eq(d->name, syscall_name(nr));
		ck_assert_uint_le(d->nargs, SYSCALL_MAX_ARGS);
		bound++;
	}
	ck_assert_uint_ge(bound, ARRAY_SIZE(implemented));
	for (size_t i = 0; i < ARRAY_SIZE(implemented); i++)
		ck_assert_ptr_nonnull(syscall_lookup(implemented[i]));
	ck_assert_str_eq(syscall_name(NR_WRITE), "write");
	ck_assert_str_eq(syscall_name(NR_ARCH_PRCTL), "arch_prctl");
	ck_assert_str_eq(syscall_name(0), "read");
	ck_assert_str_eq(syscall_name(NR_INOTIFY_INIT1), "inotify_init1");
	ck_assert_int_eq(SYSNR_inotify_init1, NR_INOTIFY_INIT1);
	ck_assert_int_eq(SYSNR_exit_group, NR_EXIT_GROUP);
	ck_assert_ptr_null(syscall_lookup(NR_INOTIFY_INIT1));
	ck_assert_ptr_null(syscall_name(335)); /* the gap before 424 */
	ck_assert_ptr_null(syscall_name(syscall_table_size()));
	ck_assert_ptr_null(syscall_lookup(~0ull));
}
END_TEST

/* How many times needle occurs in text. */
static int count_lines(const char *text, const char *needle)
{
	int n = 0;

	for (const char *at = strstr(text, needle); at;
	     at = strstr(at + 1, needle))
		n++;
	return n;
}

START_TEST(unimplemented_calls_are_reported_once_by_name)
{
	struct capture c;
	const char *out;

	fresh_proc();
	syscall_reset_reports();
	capture_start(&c);
	ck_assert_int_eq(call(NR_INOTIFY_INIT1, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(NR_INOTIFY_INIT1, 1, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(NR_VHANGUP, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(NR_INOTIFY_INIT1, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(1999, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(5000, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(400, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(400, 0, 0, 0), -ENOSYS);
	out = capture_stop(&c);
	ck_assert_msg(matches(out, "INFO keel: pid 42 \\(test\\): unimplemented "
				   "syscall inotify_init1 \\(294\\)\n"),
		      "%s", out);
	ck_assert_int_eq(count_lines(out, "inotify_init1"), 1);
	ck_assert_int_eq(count_lines(out, "syscall vhangup (153)"), 1);
	/* No Linux call has these: by number, the huge ones once in all. */
	ck_assert_int_eq(count_lines(out, "unknown syscall 400\n"), 1);
	ck_assert_int_eq(count_lines(out, "unknown syscall 1999"), 1);
	ck_assert_int_eq(count_lines(out, "unknown syscall 5000"), 0);
	ck_assert_int_eq(count_lines(out, "keel: pid"), 4);
	ck_assert(!proc.exiting);
	/* Nothing else was touched: the return register only. */
	ck_assert_uint_eq(uctx_get(&ctx, UREG_IP), 0x400000);
}
END_TEST

START_TEST(calls_are_formatted_by_kind)
{
	const uint64_t raw[SYSCALL_MAX_ARGS] = {
		0xffffffff80000001ull, 0xffffffff00000005ull, (uint64_t)-3,
		0x8000000000000000ull, (uint64_t)-9, 0x7fffdeadbeefull,
	};
	const uint64_t null_ptr[SYSCALL_MAX_ARGS] = { 1, 2, 3, 4, 5, 0 };
	const char *full = "unit_typed(-2147483647, 5, -3, "
			   "9223372036854775808, -9, 0x7fffdeadbeef) = 7";
	char buf[160];

	ck_assert_int_eq(syscall_format(buf, sizeof(buf),
					&syscall_desc_unit_typed, raw, true, 7),
			 (int)strlen(full));
	ck_assert_str_eq(buf, full);
	syscall_format(buf, sizeof(buf), &syscall_desc_unit_typed, null_ptr,
		       true, -EBADF);
	ck_assert_str_eq(buf, "unit_typed(1, 2, 3, 4, 5, NULL) = -1 EBADF");
	syscall_format(buf, sizeof(buf), syscall_lookup(NR_EXIT), raw, false,
		       0);
	ck_assert_str_eq(buf, "exit(-2147483647) = ?");
	/* Not errors: values below -MAX_ERRNO (a brk result, say). */
	syscall_format(buf, sizeof(buf), syscall_lookup(NR_GETPID), raw, true,
		       -5000);
	ck_assert_str_eq(buf, "getpid() = -5000");
	/* Cut to the buffer, terminated, the full length returned. */
	ck_assert_int_eq(syscall_format(buf, 8, &syscall_desc_unit_typed, raw,
					true, 7),
			 (int)strlen(full));
	ck_assert_str_eq(buf, "unit_ty");
	ck_assert_int_eq(syscall_format(buf, 0, &syscall_desc_unit_typed, raw,
					true, 7),
			 0);
}
END_TEST

/* The strace decoding (trace_decode.c): AT_FDCWD, O_* with the access
 * mode first, PROT_* and MAP_* names, octal modes, hex addresses and
 * mmap results, -1 ENAME; a path that cannot be read stays an address. */
START_TEST(calls_are_decoded_as_strace_shows_them)
{
	const uint64_t open_raw[SYSCALL_MAX_ARGS] = {
		(uint64_t)-100, 0x1000, O_WRONLY | O_CREAT | O_CLOEXEC | 0x40000000,
		0644,
	};
	const uint64_t mmap_raw[SYSCALL_MAX_ARGS] = {
		0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		(uint64_t)-1, 0,
	};
	const uint64_t prot_raw[SYSCALL_MAX_ARGS] = { 0x400000, 4096,
						      PROT_NONE };
	char buf[200];

	syscall_format(buf, sizeof(buf), syscall_lookup(SYSNR_openat),
		       open_raw, true, -ENOENT);
	ck_assert_str_eq(buf, "openat(AT_FDCWD, 0x1000, O_WRONLY|O_CREAT|"
			      "O_CLOEXEC|0x40000000, 0644) = -1 ENOENT");
	syscall_format(buf, sizeof(buf), syscall_lookup(SYSNR_mmap), mmap_raw,
		       true, 0x7f0000000000l);
	ck_assert_str_eq(buf, "mmap(NULL, 8192, PROT_READ|PROT_WRITE, "
			      "MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = "
			      "0x7f0000000000");
	syscall_format(buf, sizeof(buf), syscall_lookup(SYSNR_mprotect),
		       prot_raw, true, 0);
	ck_assert_str_eq(buf, "mprotect(0x400000, 4096, PROT_NONE) = 0");
}
END_TEST

START_TEST(strace_logs_every_answered_call)
{
	struct capture c;
	const char *out;

	fresh_proc();
	syscall_set_tracing(true);
	capture_start(&c);
	call(NR_WRITE, 3, 0x1000, 1);
	call(NR_GETPID, 0, 0, 0);
	call(NR_EXIT, 3, 0, 0);
	syscall_set_tracing(false);
	call(NR_GETPID, 0, 0, 0);
	out = capture_stop(&c);
	ck_assert_msg(matches(out, "INFO keel: pid 42 \\(test\\): write\\(3, "
				   "0x1000, 1\\) = -1 EBADF\n"),
		      "%s", out);
	ck_assert_msg(matches(out, "keel: pid 42 \\(test\\): getpid\\(\\) = "
				   "42\n"),
		      "%s", out);
	ck_assert_msg(matches(out, "exit\\(3\\) = \\?\n"), "%s", out);
	ck_assert_int_eq(count_lines(out, "getpid()"), 1);
	ck_assert_int_eq(count_lines(out, "keel: pid"), 3);
}
END_TEST

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
	call(NR_EXIT, 0x1234, 0, 0); /* the thread only */
	ck_assert(thr.exiting);
	ck_assert(!proc.exiting);
	ck_assert_int_eq(thr.exit_code, 0x34);
	fresh_proc();
	call(NR_EXIT_GROUP, (uint64_t)-1, 0, 0);
	ck_assert(proc.exiting);
	ck_assert_int_eq(proc.exit_code, 255);
}
END_TEST

START_TEST(write_errors)
{
	fresh_proc();
	/* The descriptor is checked first, then the whole range. fds 0, 1
	 * and 2 are the console, opened read-write (as a getty does). */
	ck_assert_int_eq(call(NR_WRITE, 0, 0x1000, 0), 0);
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

	tcase_add_test(tc, arguments_are_converted_to_their_types);
	tcase_add_test(tc, descriptors_record_names_and_kinds);
	tcase_add_test(tc, the_table_binds_listed_names);
	tcase_add_test(tc, unimplemented_calls_are_reported_once_by_name);
	tcase_add_test(tc, calls_are_formatted_by_kind);
	tcase_add_test(tc, calls_are_decoded_as_strace_shows_them);
	tcase_add_test(tc, strace_logs_every_answered_call);
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
