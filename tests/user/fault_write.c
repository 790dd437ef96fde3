/*
 * Writes to an address nothing is mapped at (below the lowest address user
 * mappings may use): the kernel must kill the program with SIGSEGV, which a
 * shell reports as status 139.
 */
#include <user.h>

#define UNMAPPED_ADDRESS 0x1234ul

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uputs("writing to an unmapped address");
	*(volatile int *)UNMAPPED_ADDRESS = 1;
	uputs("still alive: FAILED");
	return 1;
}
