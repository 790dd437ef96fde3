/*
 * Benchmark: process creation with a new program. `exec N` forks N
 * children, each running this same tiny static binary again with
 * `--exit` (which exits 0 at once), and waits for each
 * (`bench exec ops=N ns=T`); it exits 0 only if every child was reaped
 * with status 0. argv[0] must name the binary by an absolute path.
 */
#include "bench.h"

int bench_run(long argc, char **argv)
{
	char *child_argv[] = { argv[0], "--exit", 0 };
	char *child_env[] = { 0 };
	unsigned long n, start;
	int status = 0;

	if (argc > 1 && bench_streq(argv[1], "--exit"))
		return 0;
	n = argc > 1 ? bench_parse(argv[1]) : 0;
	start = bench_now_ns();
	for (unsigned long i = 0; i < n; i++) {
		long pid = bench_fork();

		if (pid == 0) {
			bench_syscall3(SYS_EXECVE, (long)argv[0],
				       (long)child_argv, (long)child_env);
			bench_exit(127);
		}
		if (pid < 0 || bench_wait(pid) != 0) {
			status = 1;
			break;
		}
	}
	bench_report("exec", n, bench_now_ns() - start);
	return status;
}
