/*
 * errno names for the test output: tests print "label: ENOENT", never a
 * number that would hide which error it was.
 */
#include <user.h>

/* Names in place, not pointers: a table of pointers would need
 * relocations in .rodata, which makes riscv64's linker put .rodata in the
 * writable segment (and fault_ro's read-only data with it). */
static const struct {
	int no;
	char name[14];
} names[] = {
	{ EPERM, "EPERM" },	    { ENOENT, "ENOENT" },
	{ ENOMEM, "ENOMEM" },
	{ ENXIO, "ENXIO" },	    { EBADF, "EBADF" },
	{ EACCES, "EACCES" },	    { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" },	    { EEXIST, "EEXIST" },
	{ EXDEV, "EXDEV" },	    { ENOTDIR, "ENOTDIR" },
	{ EISDIR, "EISDIR" },	    { EINVAL, "EINVAL" },
	{ EMFILE, "EMFILE" },	    { ENOTTY, "ENOTTY" },
	{ ENFILE, "ENFILE" },	    { EAGAIN, "EAGAIN" },
	{ EFBIG, "EFBIG" },	    { ENOSPC, "ENOSPC" },
	{ ESPIPE, "ESPIPE" },	    { ERANGE, "ERANGE" },
	{ ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" },	    { ENOTEMPTY, "ENOTEMPTY" },
	{ ELOOP, "ELOOP" },
};

const char *errname(long ret)
{
	/* In .data, not .bss: see testdir.c. */
	static char buf[24] = "0";
	unsigned long v;
	int i = sizeof(buf) - 1;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (ret == -names[k].no)
			return names[k].name;
	v = ret < 0 ? (unsigned long)-ret : (unsigned long)ret;
	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (ret < 0) {
		buf[--i] = '-';
		buf[--i] = 'E';
	}
	return buf + i;
}
