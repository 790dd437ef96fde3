/* argv and envp as the kernel laid them out on the initial stack: the
 * count, the strings, the terminating NULLs, envp right after argv, and
 * environ/getenv agreeing with main's envp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"

extern char **environ;

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp)
{
	int envc = 0;

	printf("argc: %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	abi_yes("argv[argc] is NULL", argv[argc] == NULL);
	abi_yes("envp follows argv", envp == argv + argc + 1);
	abi_yes("environ is envp", environ == envp);
	/* Sorted: qemu-user (the riscv64 oracle) reverses the environment. */
	for (; envp[envc]; envc++)
		;
	qsort(envp, envc, sizeof(*envp), by_string);
	for (int i = 0; i < envc; i++)
		printf("envp[%d]: %s\n", i, envp[i]);
	printf("envc: %d\n", envc);
	printf("getenv PATH: %s\n", getenv("PATH") ? getenv("PATH") : "(null)");
	printf("getenv HOME: %s\n", getenv("HOME") ? getenv("HOME") : "(null)");
	abi_yes("getenv NOPE is NULL", getenv("NOPE") == NULL);
	return argc;
}
