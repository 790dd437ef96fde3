/*
 * Error returns of the basic system calls: a write to a closed descriptor
 * is -EBADF, a zero-length write returns 0 (even with a bad pointer), and
 * an unknown system call number is -ENOSYS. Exits 0 when all hold.
 */
#include <user.h>

#define CLOSED_FD 999

static int check(const char *what, long got, long want)
{
	uprintf("%s = %ld (%s)\n", what, got, got == want ? "ok" : "WRONG");
	return got == want;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int ok = 1;

	ok &= check("write(999, buf, 1)", sys_write(CLOSED_FD, "x", 1),
		    -EBADF);
	ok &= check("write(1, buf, 0)", sys_write(1, "x", 0), 0);
	ok &= check("write(1, 0x1, 0)", sys_write(1, (const void *)1ul, 0), 0);
	ok &= check("syscall(1999)", sys_call0(SYS_NUMBER_UNUSED), -ENOSYS);
	return ok ? 0 : 1;
}
