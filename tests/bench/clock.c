/*
 * Benchmark: clock_gettime(CLOCK_MONOTONIC) as a libc makes it, through
 * the vDSO when the kernel maps one (AT_SYSINFO_EHDR; its
 * __vdso_clock_gettime found in its dynamic symbol table), else by
 * system call. `clock N` makes N reads and reports their time (`bench
 * clock_gettime ops=N ns=T` with the vDSO, `bench clock_gettime-syscall
 * ...` without one); it exits 0 only if the clock never went backwards
 * and every read succeeded.
 */
#include "bench.h"

#define AT_NULL 0
#define AT_SYSINFO_EHDR 33
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6

struct ehdr {
	unsigned char ident[16];
	unsigned short type, machine;
	unsigned int version;
	unsigned long entry, phoff, shoff;
	unsigned int flags;
	unsigned short ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	unsigned int type, flags;
	unsigned long offset, vaddr, paddr, filesz, memsz, align;
};

struct dyn {
	long tag;
	unsigned long val;
};

struct sym {
	unsigned int name;
	unsigned char info, other;
	unsigned short shndx;
	unsigned long value, size;
};

struct bench_ts {
	long sec;
	long nsec;
};

typedef int (*gettime_fn)(int, struct bench_ts *);

/* AT_SYSINFO_EHDR from the auxiliary vector past envp, or 0. */
static unsigned long sysinfo_ehdr(long argc, char **argv)
{
	char **p = argv + argc + 1;
	unsigned long *aux;

	while (*p)
		p++;
	for (aux = (unsigned long *)(p + 1); aux[0] != AT_NULL; aux += 2)
		if (aux[0] == AT_SYSINFO_EHDR)
			return aux[1];
	return 0;
}

/* name in the vDSO at base (its DT_HASH symbol count), or 0. */
static unsigned long vdso_lookup(unsigned long base, const char *name)
{
	const struct ehdr *eh = (const void *)base;
	const struct phdr *ph = (const void *)(base + eh->phoff);
	const struct dyn *d = 0;
	const struct sym *syms = 0;
	const unsigned int *hash = 0;
	const char *strs = 0;
	unsigned long bias = 0;

	for (int i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_LOAD) {
			bias = base + ph[i].offset - ph[i].vaddr;
			break;
		}
	for (int i = 0; i < eh->phnum; i++)
		if (ph[i].type == PT_DYNAMIC)
			d = (const void *)(bias + ph[i].vaddr);
	for (; d && d->tag != DT_NULL; d++) {
		if (d->tag == DT_HASH)
			hash = (const void *)(bias + d->val);
		else if (d->tag == DT_SYMTAB)
			syms = (const void *)(bias + d->val);
		else if (d->tag == DT_STRTAB)
			strs = (const void *)(bias + d->val);
	}
	if (!hash || !syms || !strs)
		return 0;
	for (unsigned int i = 1; i < hash[1]; i++)
		if (syms[i].shndx && bench_streq(strs + syms[i].name, name))
			return bias + syms[i].value;
	return 0;
}

static int syscall_gettime(int clock, struct bench_ts *ts)
{
	return (int)bench_syscall3(SYS_CLOCK_GETTIME, clock, (long)ts, 0);
}

int bench_run(long argc, char **argv)
{
	unsigned long n = argc > 1 ? bench_parse(argv[1]) : 0;
	unsigned long base = sysinfo_ehdr(argc, argv), fn = 0;
	gettime_fn gettime = syscall_gettime;
	unsigned long start, end, last = 0;
	struct bench_ts ts;
	int status = 0;

	if (base)
		fn = vdso_lookup(base, "__vdso_clock_gettime");
	if (fn)
		gettime = (gettime_fn)fn;
	start = bench_now_ns();
	for (unsigned long i = 0; i < n; i++) {
		unsigned long now;

		if (gettime(BENCH_CLOCK_MONOTONIC, &ts) != 0)
			status = 1;
		now = (unsigned long)ts.sec * 1000000000ul +
		      (unsigned long)ts.nsec;
		if (now < last)
			status = 1;
		last = now;
	}
	end = bench_now_ns();
	bench_report(fn ? "clock_gettime" : "clock_gettime-syscall", n,
		     end - start);
	return status;
}
