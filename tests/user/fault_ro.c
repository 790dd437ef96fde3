/*
 * Writes to its own read-only data (.rodata): the page is mapped but not
 * writable, so the kernel must kill the program with SIGSEGV (status 139).
 */
#include <user.h>

/* An array: riscv64 compilers put a const object of 8 bytes or less in
 * .srodata, which the linker merges into the writable .sdata once a
 * program has any .data; an array this big stays in .rodata. */
static const int read_only_value[4] = { 5, 5, 5, 5 };

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uprintf("read-only value %d, writing to it\n", read_only_value[0]);
	*(volatile int *)&read_only_value[0] = 6;
	uputs("still alive: FAILED");
	return 1;
}
