/*
 * Jumps into its writable, non-executable .data: the kernel must kill the
 * program with SIGSEGV (status 139).
 */
#include <user.h>

static unsigned char not_code[64] = { 1 };

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	void (*fn)(void) = (void (*)(void))(void *)not_code;

	uputs("jumping into .data");
	fn();
	uputs("still alive: FAILED");
	return 1;
}
