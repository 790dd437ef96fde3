/*
 * Benchmark: the first touch of anonymous memory. `fault N` maps N pages
 * of private anonymous memory, 1 MiB at a time, and writes one byte to
 * each page once (`bench fault ops=N ns=T`, only the touching timed: the
 * mmap and munmap calls around each MiB are not). It exits 0 only if
 * every mapping worked and every page read back what was written.
 */
#include "bench.h"

#define PAGE 4096ul
#define CHUNK_PAGES 256ul /* 1 MiB */
#define PROT_RW 3         /* PROT_READ | PROT_WRITE */
#define MAP_ANON_PRIVATE 0x22

/* Touches the pages of one mapping of count pages; ns spent, 0 on
 * failure. */
static unsigned long touch_chunk(unsigned long count)
{
	long addr = bench_syscall6(SYS_MMAP, 0, (long)(count * PAGE), PROT_RW,
				   MAP_ANON_PRIVATE, -1, 0);
	volatile char *p = (volatile char *)addr;
	unsigned long start, ns;
	int ok = 1;

	if (addr < 0 && addr > -4096)
		return 0;
	start = bench_now_ns();
	for (unsigned long i = 0; i < count; i++)
		p[i * PAGE] = (char)(i + 1);
	ns = bench_now_ns() - start;
	for (unsigned long i = 0; i < count; i++)
		ok &= p[i * PAGE] == (char)(i + 1);
	bench_syscall3(SYS_MUNMAP, addr, (long)(count * PAGE), 0);
	return ok ? (ns ? ns : 1) : 0;
}

int bench_run(long argc, char **argv)
{
	unsigned long n = argc > 1 ? bench_parse(argv[1]) : 0;
	unsigned long total = 0;

	for (unsigned long done = 0; done < n; done += CHUNK_PAGES) {
		unsigned long count = n - done < CHUNK_PAGES ? n - done
							      : CHUNK_PAGES;
		unsigned long ns = touch_chunk(count);

		if (!ns)
			return 1;
		total += ns;
	}
	bench_report("fault", n, total);
	return 0;
}
