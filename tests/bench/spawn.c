/*
 * Benchmark: start-up of another program. `spawn N PATH [ARGS...]` forks
 * N children, each executing PATH with ARGS (argv[0] is PATH) and an
 * empty environment, and waits for each (`bench spawn ops=N ns=T`); it
 * exits 0 only if every child was reaped with status 0. Unlike `exec`,
 * the program is any file of the environment's root file system, such as
 * a dynamically linked /bin/true or python3 (keel bench provides the
 * same tree to every environment).
 */
#include "bench.h"

int bench_run(long argc, char **argv)
{
	char *child_env[] = { 0 };
	unsigned long n, start;
	int status = 0;

	if (argc < 3) {
		bench_puts("usage: spawn N PATH [ARGS...]\n");
		return 2;
	}
	n = bench_parse(argv[1]);
	start = bench_now_ns();
	for (unsigned long i = 0; i < n; i++) {
		long pid = bench_fork();

		if (pid == 0) {
			/* argv[argc] is NULL: the child's argv is PATH ARGS */
			bench_syscall3(SYS_EXECVE, (long)argv[2],
				       (long)&argv[2], (long)child_env);
			bench_exit(127);
		}
		if (pid < 0 || bench_wait(pid) != 0) {
			status = 1;
			break;
		}
	}
	bench_report("spawn", n, bench_now_ns() - start);
	return status;
}
