/*
 * Writes to its own read-only data (.rodata): the page is mapped but not
 * writable, so the kernel must kill the program with SIGSEGV (status 139).
 */
#include <user.h>

static const int read_only_value = 5;

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uprintf("read-only value %d, writing to it\n", read_only_value);
	*(volatile int *)&read_only_value = 6;
	uputs("still alive: FAILED");
	return 1;
}
