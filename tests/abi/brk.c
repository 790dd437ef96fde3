/* The program break through the raw brk call (musl's sbrk only reports
 * it): it starts past the image, grows, the new memory is zero and
 * writable, shrinks, and a request below the start leaves it alone. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

extern char end;

static char *sys_brk(void *to)
{
	return (char *)syscall(SYS_brk, to);
}

int main(void)
{
	char *start = sys_brk(NULL), *p;
	int zero = 1;

	abi_yes("the break is past the image", start >= &end);
	p = sys_brk(start + (64 << 10));
	abi_yes("brk +64 KiB", p == start + (64 << 10));
	for (int i = 0; i < 64 << 10; i++)
		zero &= start[i] == 0;
	abi_yes("  new memory is zero", zero);
	start[0] = 1;
	start[(64 << 10) - 1] = 2;
	abi_yes("  and writable", start[0] == 1 && start[(64 << 10) - 1] == 2);
	abi_yes("brk back to +32 KiB",
		sys_brk(start + (32 << 10)) == start + (32 << 10));
	abi_yes("brk below the start is refused", sys_brk((void *)4096) ==
							  start + (32 << 10));
	abi_yes("brk to the start", sys_brk(start) == start);
	p = sys_brk(start + 100);
	abi_yes("an unaligned break", p == start + 100);
	start[99] = 5;
	abi_yes("  its page is usable", start[99] == 5);
	return 0;
}
