/* The vDSO (AT_SYSINFO_EHDR): a valid ELF shared object with the symbols
 * and version the libcs look up (presence printed, never addresses); its
 * clocks agree with the system calls (each clock, read alternately
 * through the vDSO and the call, never goes backwards; the wall clocks
 * agree within a second: relations only, no timing); unknown and CPU-time
 * clocks; [vvar]/[vdso] in /proc/self/maps; fork keeps it; munmap and
 * mremap behave as Linux's; ADDR_NO_RANDOMIZE places it the same way in
 * every exec. `vdso loop` (the abi suite's strace check on hosted) reads
 * CLOCK_MONOTONIC through the libc between two marker lines, where no
 * clock_gettime call may appear.
 *
 * riscv64's oracle is the x86-64 run (qemu-user 7.2 gives its guest no
 * vDSO): the architecture's own symbols are one line. */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "abi_proc.h"

#ifdef __x86_64__
#define VDSO_VERSION "LINUX_2.6"
static const char *const arch_syms[] = { "__vdso_time" };
#else
#define VDSO_VERSION "LINUX_4.15"
static const char *const arch_syms[] = { "__vdso_rt_sigreturn" };
#endif

static const char *const common_syms[] = {
	"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres",
	"__vdso_getcpu",
};

typedef int (*gettime_fn)(clockid_t, struct timespec *);
typedef int (*gettimeofday_fn)(struct timeval *, void *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static const ElfW(Ehdr) *ehdr;
static uintptr_t bias;
static const ElfW(Sym) *symtab;
static const char *strtab;
static uint32_t nsyms;
static const ElfW(Verdef) *verdef;

/* The dynamic tables of the vDSO at ehdr; 0 or -1 (malformed). */
static int parse(void)
{
	const ElfW(Phdr) *ph = (const void *)((const char *)ehdr + ehdr->e_phoff);
	const ElfW(Dyn) *dyn = NULL;
	const uint32_t *hash = NULL;

	for (int i = 0; i < ehdr->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && !bias)
			bias = (uintptr_t)ehdr + ph[i].p_offset - ph[i].p_vaddr;
	for (int i = 0; i < ehdr->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)(bias + ph[i].p_vaddr);
	if (!dyn)
		return -1;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			symtab = (const void *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			strtab = (const void *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			hash = (const void *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_VERDEF)
			verdef = (const void *)(bias + dyn->d_un.d_ptr);
	}
	if (!symtab || !strtab || !hash)
		return -1;
	nsyms = hash[1];
	return 0;
}

static void *lookup(const char *name)
{
	for (uint32_t i = 1; i < nsyms; i++)
		if (symtab[i].st_shndx != SHN_UNDEF &&
		    ELF64_ST_TYPE(symtab[i].st_info) == STT_FUNC &&
		    strcmp(strtab + symtab[i].st_name, name) == 0)
			return (void *)(bias + symtab[i].st_value);
	return NULL;
}

static int has_version(const char *name)
{
	for (const ElfW(Verdef) *d = verdef; d;
	     d = d->vd_next ? (const void *)((const char *)d + d->vd_next)
			    : NULL) {
		const ElfW(Verdaux) *a =
			(const void *)((const char *)d + d->vd_aux);

		if (strcmp(strtab + a->vda_name, name) == 0)
			return 1;
	}
	return 0;
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000ll + t->tv_nsec;
}

/* Alternates vDSO and system-call reads of id: never backwards? */
static int mixed_monotonic(gettime_fn vdso, clockid_t id)
{
	struct timespec t;
	long long last = 0;

	for (int i = 0; i < 2000; i++) {
		int r = i % 2 ? vdso(id, &t)
			      : (int)syscall(SYS_clock_gettime, id, &t);

		if (r != 0 || ns(&t) < last)
			return 0;
		last = ns(&t);
	}
	return 1;
}

/* The [vdso] line of /proc/self/maps: its range, or 0. */
static int maps_vdso(uintptr_t *start, uintptr_t *end, int *vvar)
{
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	*vvar = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		if (strstr(line, "[vvar]"))
			*vvar = 1;
		if (strstr(line, "[vdso]") &&
		    sscanf(line, "%lx-%lx", &a, &b) == 2) {
			*start = a;
			*end = b;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

static void child_fork(void)
{
	gettime_fn gt = (gettime_fn)lookup("__vdso_clock_gettime");
	struct timespec t;

	abi_yes("child AT_SYSINFO_EHDR same",
		getauxval(AT_SYSINFO_EHDR) == (uintptr_t)ehdr);
	SHOW("child vdso clock_gettime", gt(CLOCK_MONOTONIC, &t));
}

static void child_munmap(void)
{
	uintptr_t a, b;
	int vvar;
	struct timespec t;

	if (!maps_vdso(&a, &b, &vvar))
		return;
	SHOW("munmap vdso", munmap((void *)a, b - a));
	abi_yes("maps has vdso after munmap", maps_vdso(&a, &b, &vvar));
	SHOW("syscall clock_gettime after",
	     syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t));
}

static void child_mremap(void)
{
	uintptr_t a, b, a2, b2;
	int vvar;
	void *to, *moved;

	if (!maps_vdso(&a, &b, &vvar))
		return;
	SHOW("mremap vdso grow",
	     (long)mremap((void *)a, b - a, b - a + 4096, 0) == -1 ? -1 : 0);
	to = mmap(NULL, b - a, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	moved = mremap((void *)a, b - a, b - a, MREMAP_MAYMOVE | MREMAP_FIXED,
		       to);
	abi_yes("mremap vdso moved", moved == to);
	abi_yes("maps names the moved vdso",
		maps_vdso(&a2, &b2, &vvar) && a2 == (uintptr_t)to &&
			b2 - a2 == b - a);
}

/* Where an exec with ADDR_NO_RANDOMIZE puts the vDSO (a child prints it
 * into a pipe: `vdso ehdr`). */
static unsigned long norandom_ehdr(void)
{
	char buf[32] = { 0 };
	int fd[2], status;
	pid_t pid;

	if (pipe(fd))
		return 0;
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "/vdso", "ehdr", NULL };

		dup2(fd[1], 1);
		personality(ADDR_NO_RANDOMIZE);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(fd[1]);
	if (read(fd[0], buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd[0]);
	waitpid(pid, &status, 0);
	return strtoul(buf, NULL, 16);
}

/* `vdso loop`: libc clock_gettime between markers (see the top). */
static int loop(void)
{
	struct timespec t, pause = { 0, 100000000 };
	long long last = 0;
	int ok = 1;

	nanosleep(&pause, NULL); /* the kernel's clock calibrates */
	write(1, "loop start\n", 11);
	for (int i = 0; i < 10000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		ok &= ns(&t) >= last;
		last = ns(&t);
	}
	write(1, "loop end\n", 9);
	abi_yes("loop monotonic", ok);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		clockid_t id;
		const char *name;
	} clocks[] = {
		{ CLOCK_MONOTONIC, "MONOTONIC" },
		{ CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
		{ CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" },
		{ CLOCK_BOOTTIME, "BOOTTIME" },
	};
	gettime_fn gt, getres;
	gettimeofday_fn gtod;
	getcpu_fn getcpu;
	struct timespec a, b, c;
	struct timeval tv;
	unsigned cpu = ~0u, node = ~0u;
	uintptr_t start, end;
	int vvar, all = 1;
	char label[64];

	ehdr = (const void *)getauxval(AT_SYSINFO_EHDR);
	if (argc > 1 && strcmp(argv[1], "ehdr") == 0) {
		printf("%lx\n", (unsigned long)ehdr);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "loop") == 0)
		return loop();
	abi_yes("AT_SYSINFO_EHDR", ehdr != NULL);
	if (!ehdr)
		return 1;
	abi_yes("ELF magic", memcmp(ehdr->e_ident, ELFMAG, SELFMAG) == 0);
	abi_yes("64-bit little-endian",
		ehdr->e_ident[EI_CLASS] == ELFCLASS64 &&
			ehdr->e_ident[EI_DATA] == ELFDATA2LSB);
	abi_yes("ET_DYN", ehdr->e_type == ET_DYN);
	abi_yes("dynamic tables", parse() == 0);
	abi_yes("the architecture's symbol version", has_version(VDSO_VERSION));
	for (size_t i = 0; i < sizeof(common_syms) / sizeof(*common_syms); i++)
		abi_yes(common_syms[i], lookup(common_syms[i]) != NULL);
	for (size_t i = 0; i < sizeof(arch_syms) / sizeof(*arch_syms); i++)
		all &= lookup(arch_syms[i]) != NULL;
	abi_yes("the architecture's own symbols", all);

	gt = (gettime_fn)lookup("__vdso_clock_gettime");
	getres = (gettime_fn)lookup("__vdso_clock_getres");
	gtod = (gettimeofday_fn)lookup("__vdso_gettimeofday");
	getcpu = (getcpu_fn)lookup("__vdso_getcpu");
	if (!gt || !getres || !gtod || !getcpu)
		return 1;
	for (size_t i = 0; i < sizeof(clocks) / sizeof(*clocks); i++) {
		snprintf(label, sizeof(label), "%s never backwards (mixed)",
			 clocks[i].name);
		abi_yes(label, mixed_monotonic(gt, clocks[i].id));
		snprintf(label, sizeof(label), "%s getres agrees",
			 clocks[i].name);
		getres(clocks[i].id, &a);
		syscall(SYS_clock_getres, clocks[i].id, &b);
		abi_yes(label, ns(&a) == ns(&b));
	}
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &a);
	SHOW("vdso REALTIME", gt(CLOCK_REALTIME, &b));
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &c);
	abi_yes("  within a second of the call",
		llabs(ns(&b) - ns(&a)) < 1000000000ll &&
			llabs(ns(&c) - ns(&b)) < 1000000000ll);
	SHOW("vdso gettimeofday", gtod(&tv, NULL));
	abi_yes("  within a second of the call",
		llabs(tv.tv_sec - c.tv_sec) <= 1 && tv.tv_usec >= 0 &&
			tv.tv_usec < 1000000);
	SHOW("vdso gettimeofday NULL", gtod(NULL, NULL));
	SHOW("vdso PROCESS_CPUTIME_ID", gt(CLOCK_PROCESS_CPUTIME_ID, &a));
	SHOW("vdso THREAD_CPUTIME_ID", gt(CLOCK_THREAD_CPUTIME_ID, &a));
	printf("vdso bad clock: %d\n", gt(12345, &a));
	printf("vdso getres bad clock: %d\n", getres(12345, &a));
	SHOW("vdso getres NULL", getres(CLOCK_MONOTONIC, NULL));
	SHOW("vdso getcpu", getcpu(&cpu, &node, NULL));
	abi_yes("  cpu and node set", cpu < 4096 && node < 4096);
	abi_yes("libc clock_gettime works",
		clock_gettime(CLOCK_MONOTONIC, &a) == 0 && a.tv_nsec >= 0);

	abi_yes("maps [vdso]", maps_vdso(&start, &end, &vvar));
	abi_yes("maps [vvar]", vvar);
	abi_yes("maps [vdso] holds AT_SYSINFO_EHDR",
		start == (uintptr_t)ehdr && end > start);
	abi_in_child("fork", child_fork);
	abi_in_child("munmap", child_munmap);
	abi_in_child("mremap", child_mremap);
	abi_yes("ADDR_NO_RANDOMIZE: the same vDSO address twice",
		norandom_ehdr() != 0 && norandom_ehdr() == norandom_ehdr());
	return 0;
}
