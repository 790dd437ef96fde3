/*
 * A scratch directory for the file system tests: /tmp/keel-<name>-<pid>,
 * made and entered at the start, left and removed at the end (the test
 * removes what it made inside). The pid keeps parallel native runs apart;
 * the name is never printed, so the output does not depend on it.
 */
#include <user.h>

/* Initialised, so in .data: riscv64's linker puts a program without
 * .data but with .bss in one writable segment with .rodata (and
 * fault_ro's read-only data would become writable). */
static char dir[64] = "/";

static void append(size_t *len, const char *s)
{
	while (*s && *len < sizeof(dir) - 1)
		dir[(*len)++] = *s++;
	dir[*len] = '\0';
}

const char *testdir_enter(const char *name)
{
	char pid[24], *p = pid + sizeof(pid) - 1;
	unsigned long v = (unsigned long)sys_getpid();
	size_t len = 0;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	append(&len, "/tmp/keel-");
	append(&len, name);
	append(&len, "-");
	append(&len, p);
	if (sys_mkdirat(AT_FDCWD, dir, 0755) || sys_chdir(dir)) {
		uprintf("cannot make and enter the scratch directory\n");
		sys_exit_group(2);
	}
	return dir;
}

long testdir_leave(void)
{
	sys_chdir("/");
	return sys_unlinkat(AT_FDCWD, dir, AT_REMOVEDIR);
}

void show(const char *label, long ret)
{
	uprintf("%s: %s\n", label, errname(ret));
}
