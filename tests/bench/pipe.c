/*
 * Benchmark: the pipe round trip between two processes. `pipe N` makes
 * two pipes and a child that echoes each byte it reads from the first
 * into the second; the parent sends one byte and waits for it to come
 * back, N times (`bench pipe ops=N ns=T`). It exits 0 only if every byte
 * came back unchanged and the child exited 0.
 */
#include "bench.h"

static int echo(int in, int out, unsigned long n)
{
	char c;

	for (unsigned long i = 0; i < n; i++)
		if (bench_syscall3(SYS_READ, in, (long)&c, 1) != 1 ||
		    bench_syscall3(SYS_WRITE, out, (long)&c, 1) != 1)
			return 1;
	return 0;
}

int bench_run(long argc, char **argv)
{
	unsigned long n = argc > 1 ? bench_parse(argv[1]) : 0;
	int there[2], back[2];
	unsigned long start, end;
	int status = 0;
	long pid;

	if (bench_syscall3(SYS_PIPE2, (long)there, 0, 0) ||
	    bench_syscall3(SYS_PIPE2, (long)back, 0, 0))
		return 1;
	pid = bench_fork();
	if (pid == 0)
		bench_exit(echo(there[0], back[1], n));
	if (pid < 0)
		return 1;
	start = bench_now_ns();
	for (unsigned long i = 0; i < n && !status; i++) {
		char c = (char)i, got = 0;

		if (bench_syscall3(SYS_WRITE, there[1], (long)&c, 1) != 1 ||
		    bench_syscall3(SYS_READ, back[0], (long)&got, 1) != 1 ||
		    got != c)
			status = 1;
	}
	end = bench_now_ns();
	bench_syscall3(SYS_CLOSE, there[1], 0, 0);
	if (bench_wait(pid) != 0)
		status = 1;
	bench_report("pipe", n, end - start);
	return status;
}
