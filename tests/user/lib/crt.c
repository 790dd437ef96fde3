/*
 * Program start-up shared by every architecture: arch/<arch>/start.S hands
 * over the initial stack pointer, which points at argc, then the argv
 * pointers, NULL, the environment pointers, NULL and the auxiliary vector
 * (System V ABI). main's return value becomes the exit status.
 */
#include <user.h>

__attribute__((noreturn)) void user_start(long *sp);

__attribute__((noreturn)) void user_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	sys_exit_group(main(argc, argv));
}
