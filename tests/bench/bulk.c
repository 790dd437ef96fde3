/*
 * Benchmark: bulk file data through tmpfs. `bulk [--mount] DIR write|read
 * M` writes a file of M MiB in DIR (a tmpfs: --mount mounts one there
 * first) with 1 MiB writes, and then reads it back with 1 MiB reads; the
 * `write` run times the writes (open to close), the `read` run the reads
 * (`bench bulk-write ops=M ns=T`: ns per MiB). It exits 0 only if every
 * call moved a whole MiB and the data read back is the data written.
 */
#include "bench.h"

#define MIB (1024ul * 1024ul)

static char buf[MIB];

/* Fills buf with a pattern of MiB number i. */
static void fill(unsigned long i)
{
	for (unsigned long k = 0; k < MIB; k += 512)
		buf[k] = (char)(i + k / 512);
}

static int check(unsigned long i)
{
	for (unsigned long k = 0; k < MIB; k += 512)
		if (buf[k] != (char)(i + k / 512))
			return 0;
	return 1;
}

static int write_file(const char *path, unsigned long m)
{
	long fd = bench_syscall6(SYS_OPENAT, BENCH_AT_FDCWD, (long)path,
				 BENCH_O_RDWR | BENCH_O_CREAT | BENCH_O_TRUNC,
				 0644, 0, 0);
	int ok = fd >= 0;

	for (unsigned long i = 0; i < m && ok; i++) {
		fill(i);
		ok = bench_syscall3(SYS_WRITE, fd, (long)buf, MIB) == (long)MIB;
	}
	return bench_syscall3(SYS_CLOSE, fd, 0, 0) == 0 && ok;
}

static int read_file(const char *path, unsigned long m)
{
	long fd = bench_syscall6(SYS_OPENAT, BENCH_AT_FDCWD, (long)path,
				 BENCH_O_RDONLY, 0, 0, 0);
	int ok = fd >= 0;

	for (unsigned long i = 0; i < m && ok; i++)
		ok = bench_syscall3(SYS_READ, fd, (long)buf, MIB) == (long)MIB &&
		     check(i);
	return bench_syscall3(SYS_CLOSE, fd, 0, 0) == 0 && ok;
}

int bench_run(long argc, char **argv)
{
	int mount = argc > 1 && bench_streq(argv[1], "--mount");
	char path[256], *p = path;
	const char *dir, *name = "/keel-bench-bulk";
	unsigned long m, start, ns;
	int reading, ok;

	if (argc < 4 + mount)
		return 2;
	dir = argv[1 + mount];
	reading = bench_streq(argv[2 + mount], "read");
	m = bench_parse(argv[3 + mount]);
	if (mount)
		bench_mount_tmpfs(dir);
	while (*dir)
		*p++ = *dir++;
	while (*name)
		*p++ = *name++;
	*p = '\0';
	start = bench_now_ns();
	ok = write_file(path, m);
	ns = bench_now_ns() - start;
	if (ok && reading) {
		start = bench_now_ns();
		ok = read_file(path, m);
		ns = bench_now_ns() - start;
	}
	bench_syscall3(SYS_UNLINKAT, BENCH_AT_FDCWD, (long)path, 0);
	bench_report(reading ? "bulk-read" : "bulk-write", m, ns);
	return ok ? 0 : 1;
}
