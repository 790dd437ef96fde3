/*
 * Executes an illegal instruction (ud2 / unimp): the kernel must kill the
 * program with SIGILL, which a shell reports as status 132.
 */
#include <user.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uputs("executing an illegal instruction");
	arch_illegal_instruction();
	uputs("still alive: FAILED");
	return 1;
}
