/*
 * Benchmark: process creation and reaping. `fork N` forks N children,
 * each exiting at once with status 0, and waits for each before the next
 * (`bench fork ops=N ns=T`); it exits 0 only if every child was reaped
 * with status 0.
 */
#include "bench.h"

int bench_run(long argc, char **argv)
{
	unsigned long n = argc > 1 ? bench_parse(argv[1]) : 0;
	unsigned long start = bench_now_ns();
	int status = 0;

	for (unsigned long i = 0; i < n; i++) {
		long pid = bench_fork();

		if (pid == 0)
			bench_exit(0);
		if (pid < 0 || bench_wait(pid) != 0) {
			status = 1;
			break;
		}
	}
	bench_report("fork", n, bench_now_ns() - start);
	return status;
}
