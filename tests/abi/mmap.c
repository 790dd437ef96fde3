/* mmap(2) and munmap(2) of anonymous memory: private and shared
 * mappings read and write, hints, MAP_FIXED replacing, MAP_FIXED_NOREPLACE,
 * the accepted hint flags, and Linux's errno for each rejected case.
 * (Mapping at page 0 is left out: root may do it on Linux.) qemu-user
 * treats MAP_FIXED_NOREPLACE as a hint, so the riscv64 oracle is the
 * x86-64 native run. */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

#define PG 4096ul
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* The raw call: libcs check some arguments themselves. */
static long sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
		     long off)
{
	return syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

/* A pipe is open but has no mmap: Linux says ENODEV. */
static long map_pipe(void)
{
	int fds[2];
	long r;

	if (pipe(fds))
		return 0;
	r = sys_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fds[0], 0);
	close(fds[0]);
	close(fds[1]);
	return r;
}

/* Prints the errno of a mapping that should fail, or "mapped". */
static void show_map(const char *label, long r)
{
	if (r == -1)
		printf("%s: -1 %s\n", label, abi_errname(errno));
	else
		printf("%s: mapped\n", label);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

int main(void)
{
	unsigned char *p, *q;

	p = mmap(NULL, 3 * PG, RW, ANON, -1, 0);
	abi_yes("private mapping", p != MAP_FAILED);
	abi_yes("  page aligned", ((uintptr_t)p & (PG - 1)) == 0);
	abi_yes("  zero filled", all_zero(p, 3 * PG));
	memset(p, 0xab, 3 * PG);
	abi_yes("  keeps writes", p[0] == 0xab && p[3 * PG - 1] == 0xab);
	SHOW("munmap middle page", munmap(p + PG, PG));
	abi_yes("  neighbours stay", p[0] == 0xab && p[2 * PG] == 0xab);
	q = mmap(p + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
	abi_yes("FIXED_NOREPLACE into the hole", q == p + PG);
	abi_yes("  zero filled", all_zero(q, PG));
	show_map("FIXED_NOREPLACE over a mapping",
		 sys_mmap(p, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
	q = mmap(p, 2 * PG, RW, ANON | MAP_FIXED, -1, 0);
	abi_yes("FIXED replaces", q == p && all_zero(p, 2 * PG));
	abi_yes("  beyond it stays", p[2 * PG] == 0xab);
	SHOW("munmap all", munmap(p, 3 * PG));
	SHOW("munmap again (holes are fine)", munmap(p, 3 * PG));
	q = mmap(p, PG, RW, ANON, -1, 0);
	abi_yes("a free hint is used", q == p);
	munmap(q, PG);
	q = mmap(p + 5, PG, RW, ANON, -1, 0);
	abi_yes("an unaligned hint is rounded", q != MAP_FAILED &&
		((uintptr_t)q & (PG - 1)) == 0);
	munmap(q, PG);

	q = mmap(NULL, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	abi_yes("shared anonymous", q != MAP_FAILED && all_zero(q, 2 * PG));
	q[5] = 7;
	abi_yes("  keeps writes", q[5] == 7);
	munmap(q, 2 * PG);
	q = mmap(NULL, 4 * PG, RW, ANON | MAP_POPULATE | MAP_NORESERVE, -1, 0);
	abi_yes("POPULATE|NORESERVE", q != MAP_FAILED && all_zero(q, 4 * PG));
	munmap(q, 4 * PG);
	q = mmap(NULL, 4 * PG, RW, ANON | MAP_GROWSDOWN | MAP_STACK, -1, 0);
	abi_yes("GROWSDOWN|STACK", q != MAP_FAILED);
	q[4 * PG - 1] = 1;
	munmap(q, 4 * PG);
	q = mmap(NULL, 100, RW, ANON, -1, 0);
	abi_yes("a short length maps a page", q != MAP_FAILED);
	q[PG - 1] = 1;
	munmap(q, 100);
	q = mmap(NULL, PG, PROT_NONE, ANON, -1, 0);
	abi_yes("PROT_NONE", q != MAP_FAILED);
	SHOW("mprotect it RW", mprotect(q, PG, RW));
	q[0] = 1;
	abi_yes("  then writable", q[0] == 1);
	munmap(q, PG);

	show_map("length 0", sys_mmap(NULL, 0, RW, ANON, -1, 0));
	show_map("unaligned offset", sys_mmap(NULL, PG, RW, ANON, -1, 5));
	show_map("no map type",
		 sys_mmap(NULL, PG, RW, MAP_ANONYMOUS, -1, 0));
	show_map("SHARED_VALIDATE anonymous",
		 sys_mmap(NULL, PG, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS,
			  -1, 0));
	show_map("SHARED|GROWSDOWN",
		 sys_mmap(NULL, PG, RW,
			  MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
	show_map("file mapping of fd -1",
		 sys_mmap(NULL, PG, RW, MAP_PRIVATE, -1, 0));
	show_map("file mapping of a pipe", map_pipe());
	show_map("FIXED unaligned",
		 sys_mmap((char *)p + 1, PG, RW, ANON | MAP_FIXED, -1, 0));
	show_map("FIXED beyond user space",
		 sys_mmap((void *)(1ul << 62), PG, RW, ANON | MAP_FIXED, -1,
			  0));
	show_map("length wraps", sys_mmap(NULL, -PG, RW, ANON, -1, 0));
	show_map("length too big", sys_mmap(NULL, 1ul << 62, RW, ANON, -1, 0));
	SHOW("munmap unaligned", syscall(SYS_munmap, (char *)p + 1, PG));
	SHOW("munmap length 0", syscall(SYS_munmap, p, 0));
	SHOW("munmap beyond user space",
	     syscall(SYS_munmap, (void *)(1ul << 62), PG));
	return 0;
}
