/*
 * The first user program: greets, prints its arguments (not argv[0], whose
 * path differs between a native run and Keel) and exits with the status
 * given as its first argument, 0 without one.
 */
#include <user.h>

int main(int argc, char **argv)
{
	uputs("hello from user mode");
	uprintf("argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		uprintf("argv[%d] %s\n", i, argv[i]);
	return argc > 1 ? (int)parse_long(argv[1], 0) : 0;
}
