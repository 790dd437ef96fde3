/*
 * Exits with status 42 through the exit system call (not exit_group, which
 * every other program uses on return from main).
 */
#include <user.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uputs("exiting with 42");
	sys_exit(42);
}
