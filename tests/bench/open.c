/*
 * Benchmark: opening, reading and closing a small file on tmpfs.
 * `open [--mount] DIR N` writes a 64-byte file in DIR (a tmpfs: --mount
 * mounts one there first, for User Mode Linux whose root is hostfs), then
 * N times opens it, reads its 64 bytes and closes it (`bench open ops=N
 * ns=T`). It exits 0 only if every call worked and every read returned
 * the bytes written.
 */
#include "bench.h"

#define SIZE 64

static int same(const char *a, const char *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* DIR/name into path (dir must be short). */
static void join(char *path, const char *dir, const char *name)
{
	while (*dir)
		*path++ = *dir++;
	*path++ = '/';
	while (*name)
		*path++ = *name++;
	*path = '\0';
}

int bench_run(long argc, char **argv)
{
	int mount = argc > 1 && bench_streq(argv[1], "--mount");
	char path[256], data[SIZE], got[SIZE];
	unsigned long n, start, end;
	int status = 0;
	long fd;

	if (argc < 3 + mount)
		return 2;
	if (mount)
		bench_mount_tmpfs(argv[1 + mount]);
	join(path, argv[1 + mount], "keel-bench-open");
	n = bench_parse(argv[2 + mount]);
	for (int i = 0; i < SIZE; i++)
		data[i] = (char)('a' + i % 26);
	fd = bench_syscall6(SYS_OPENAT, BENCH_AT_FDCWD, (long)path,
			    BENCH_O_RDWR | BENCH_O_CREAT | BENCH_O_TRUNC, 0644,
			    0, 0);
	if (fd < 0 || bench_syscall3(SYS_WRITE, fd, (long)data, SIZE) != SIZE)
		return 1;
	bench_syscall3(SYS_CLOSE, fd, 0, 0);
	start = bench_now_ns();
	for (unsigned long i = 0; i < n && !status; i++) {
		fd = bench_syscall6(SYS_OPENAT, BENCH_AT_FDCWD, (long)path,
				    BENCH_O_RDONLY, 0, 0, 0);
		if (fd < 0 ||
		    bench_syscall3(SYS_READ, fd, (long)got, SIZE) != SIZE ||
		    !same(got, data, SIZE) ||
		    bench_syscall3(SYS_CLOSE, fd, 0, 0) != 0)
			status = 1;
	}
	end = bench_now_ns();
	bench_syscall3(SYS_UNLINKAT, BENCH_AT_FDCWD, (long)path, 0);
	bench_report("open", n, end - start);
	return status;
}
