/*
 * Unit test of hosted isolation from the outside (issue 11, "Isolation
 * tests"): once a stub process runs user code with user pages mapped,
 * its /proc/PID/maps holds nothing of the kernel. Every line must be one
 * of: the stub binary's own image, its context area and the mapper's
 * pages (both from the context memfd), a page of the physical-memory
 * memfd at exactly a user address the kernel asked for and at exactly
 * the frame asked for there (the file offset is the physical address),
 * an anonymous mapping of the stub's own region above the user range, or
 * the host's [vdso], [vvar] (and [vvar_vclock]), [vsyscall] and [stack].
 * In particular no
 * stub mapping overlaps the kernel's executable, its heap or its direct
 * map (the "kernel" is this process: the unit tests link the hosted HAL).
 *
 * The checker is also fed maps with one bad line each (the kernel's
 * executable, an unrequested frame, a frame at the wrong address, a
 * stray anonymous page in the user range, the direct map) and must name
 * each: the test can fail.
 */
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hal/hal.h>
#include "../../hal/hosted/hosted.h"
#include "../../hal/hosted/stub_abi.h"
#include "../../hal/hosted/stub_map.h"
#include "mm/frame.h"

#define CODE_VA 0x400000ul
#define DATA_VA 0x500000ul
#define STACK_TOP 0x800000ul
#define PG HAL_PAGE_SIZE
#define NPAGES 3

/* A user page the kernel asked the stub to map. */
struct asked {
	uintptr_t va;
	hal_paddr_t pa;
	bool seen;
};

/* Address ranges of the kernel process that no stub line may touch. */
struct kernel_ranges {
	uintptr_t lo[8], hi[8];
	const char *what[8];
	unsigned n;
};

static struct hal_as as;
static struct hal_uctx ctx;
static struct hal_trap_info info;
static struct asked pages[NPAGES];
static char verdict[512];

static void no_irq(unsigned line)
{
	(void)line;
}

/* Reads a whole /proc file into a malloc'ed string (NULL on error). */
static char *read_file(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				break;
			buf = more;
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

struct maps_line {
	uintptr_t lo, hi;
	unsigned long long off;
	char perms[8];
	char path[256];
};

/* Parses the line at text (up to its newline) into m. */
static bool parse_line(const char *text, struct maps_line *m)
{
	size_t len = strcspn(text, "\n");
	char line[512];
	int used = 0;

	if (len >= sizeof(line))
		return false;
	memcpy(line, text, len);
	line[len] = '\0';
	m->path[0] = '\0';
	if (sscanf(line, "%lx-%lx %7s %llx %*s %*s %n", &m->lo, &m->hi,
		   m->perms, &m->off, &used) < 4)
		return false;
	if (used > 0)
		sscanf(line + used, "%255[^\n]", m->path);
	return true;
}

static bool overlaps(const struct maps_line *m, uintptr_t lo, uintptr_t hi)
{
	return m->lo < hi && lo < m->hi;
}

static bool within(const struct maps_line *m, uintptr_t lo, size_t len)
{
	return m->lo >= lo && m->hi <= lo + len;
}

/* Whether line m of a stub is allowed; else why not, in verdict. */
static bool line_allowed(const struct maps_line *m, const char *stub_path,
			 struct asked *asked, size_t nasked)
{
	if (strstr(m->path, "memfd:keel-physmem")) {
		for (size_t i = 0; i < nasked; i++) {
			if (m->lo != asked[i].va || m->hi != asked[i].va + PG)
				continue;
			if (m->off != asked[i].pa)
				break;
			asked[i].seen = true;
			return true;
		}
		snprintf(verdict, sizeof(verdict),
			 "physical memory the kernel did not ask for: "
			 "%lx-%lx offset %llx", m->lo, m->hi, m->off);
		return false;
	}
	if (strcmp(m->path, stub_path) == 0 && m->lo >= STUB_MAP_VA_LIMIT)
		return true;
	if (strstr(m->path, "memfd:keel-stub-ctx") &&
	    (within(m, STUB_CTX_ADDR, STUB_CTX_SIZE) ||
	     within(m, STUB_MAP_ADDR, STUB_MAP_SIZE)))
		return true;
	if (!m->path[0] && m->lo >= STUB_MAP_VA_LIMIT)
		return true; /* the stub's own bss and stacks */
	/* The host's: [vvar] is [vvar] and [vvar_vclock] on newer hosts. */
	if (!strcmp(m->path, "[vdso]") || !strncmp(m->path, "[vvar", 5) ||
	    !strcmp(m->path, "[vsyscall]") || !strcmp(m->path, "[stack]"))
		return true;
	snprintf(verdict, sizeof(verdict), "unexpected mapping %lx-%lx %s %s",
		 m->lo, m->hi, m->perms, m->path);
	return false;
}

/*
 * Checks a stub's maps text: every line allowed, none overlapping a range
 * of k, every asked page present. Returns NULL or why not.
 */
static const char *check_maps(const char *maps, const char *stub_path,
			      struct asked *asked, size_t nasked,
			      const struct kernel_ranges *k)
{
	for (size_t i = 0; i < nasked; i++)
		asked[i].seen = false;
	for (const char *l = maps; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1
							    : l + strlen(l)) {
		struct maps_line m;

		if (*l == '\n' || !parse_line(l, &m))
			continue;
		for (unsigned r = 0; r < k->n; r++) {
			if (!overlaps(&m, k->lo[r], k->hi[r]))
				continue;
			snprintf(verdict, sizeof(verdict),
				 "%lx-%lx %s overlaps the kernel's %s", m.lo,
				 m.hi, m.path, k->what[r]);
			return verdict;
		}
		if (!line_allowed(&m, stub_path, asked, nasked))
			return verdict;
	}
	for (size_t i = 0; i < nasked; i++) {
		if (asked[i].seen)
			continue;
		snprintf(verdict, sizeof(verdict),
			 "the user page at %lx is not mapped",
			 (unsigned long)asked[i].va);
		return verdict;
	}
	return NULL;
}

static void add_range(struct kernel_ranges *k, uintptr_t lo, uintptr_t hi,
		      const char *what)
{
	if (k->n < 8 && lo < hi) {
		k->lo[k->n] = lo;
		k->hi[k->n] = hi;
		k->what[k->n++] = what;
	}
}

/* The kernel's executable, heap and direct map, from /proc/self/maps. */
static void kernel_ranges(struct kernel_ranges *k)
{
	char exe[256] = "", *maps = read_file("/proc/self/maps");
	uintptr_t exe_lo = UINTPTR_MAX, exe_hi = 0;
	uintptr_t dmap = (uintptr_t)hal_phys_to_virt(0);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	ck_assert(maps != NULL && n > 0);
	exe[n] = '\0';
	k->n = 0;
	for (char *l = maps; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1
							   : NULL) {
		struct maps_line m;

		if (!parse_line(l, &m))
			continue;
		if (strcmp(m.path, exe) == 0) {
			exe_lo = m.lo < exe_lo ? m.lo : exe_lo;
			exe_hi = m.hi > exe_hi ? m.hi : exe_hi;
		}
		if (strcmp(m.path, "[heap]") == 0)
			add_range(k, m.lo, m.hi, "heap");
	}
	free(maps);
	ck_assert_uint_lt(exe_lo, exe_hi);
	add_range(k, exe_lo, exe_hi, "executable");
	add_range(k, dmap, dmap + hosted_phys_size(), "direct map");
}

static void setup(void)
{
	unit_boot_mm();
	hosted_cpu_boot(1);
	hosted_irq_divert = no_irq;
	hosted_stub_set_path(NULL);
	hosted_stub_pool_drain();
	ck_assert_int_eq(hal_as_init(&as, 0x1000 /* dummy root */), 0);
	pages[0] = (struct asked){ CODE_VA, frame_alloc_zeroed(0), false };
	pages[1] = (struct asked){ DATA_VA, frame_alloc_zeroed(0), false };
	pages[2] = (struct asked){ STACK_TOP - PG, frame_alloc_zeroed(0),
				   false };
	for (size_t i = 0; i < NPAGES; i++)
		ck_assert(pages[i].pa != 0);
	hal_irq_enable();
}

static void teardown(void)
{
	hal_irq_save();
	__atomic_store_n(&hosted_cpu_self()->pending, 0, __ATOMIC_SEQ_CST);
	hal_as_destroy(&as);
	for (size_t i = 0; i < NPAGES; i++)
		frame_free(pages[i].pa);
}

/* The stub binary as the host names it in maps. */
static void stub_path(char *out, size_t size)
{
	char *real = realpath(hosted_stub_path(), NULL);

	ck_assert_msg(real != NULL, "no stub at %s", hosted_stub_path());
	snprintf(out, size, "%s", real);
	free(real);
}

START_TEST(stub_maps_nothing_of_the_kernel)
{
	static const uint8_t code[] = {
		0x0f, 0x05, /* syscall */
		0x0f, 0x0b, /* ud2 */
	};
	struct kernel_ranges k;
	enum hal_trap trap;
	char path[64], stub[256];
	const char *why;
	char *maps;

	memcpy(hal_phys_to_virt(pages[0].pa), code, sizeof(code));
	hal_tlb_update(&as, pages[0].va, pages[0].pa,
		       HAL_PROT_READ | HAL_PROT_EXEC);
	hal_tlb_update(&as, pages[1].va, pages[1].pa,
		       HAL_PROT_READ | HAL_PROT_WRITE);
	hal_tlb_update(&as, pages[2].va, pages[2].pa,
		       HAL_PROT_READ | HAL_PROT_WRITE);
	hal_uctx_init(&ctx, CODE_VA, STACK_TOP);
	while ((trap = hal_user_run(&ctx, &as, &info)) == HAL_TRAP_INTERRUPT)
		;
	ck_assert_int_eq(trap, HAL_TRAP_SYSCALL); /* the pages are in */
	ck_assert_int_gt(hosted_stub_pid(&as), 0);

	snprintf(path, sizeof(path), "/proc/%d/maps", hosted_stub_pid(&as));
	maps = read_file(path);
	ck_assert(maps != NULL);
	stub_path(stub, sizeof(stub));
	kernel_ranges(&k);
	why = check_maps(maps, stub, pages, NPAGES, &k);
	ck_assert_msg(why == NULL, "%s\nthe stub's maps:\n%s", why, maps);
	free(maps);
}
END_TEST

/* One bad line each, after a good base: the checker names them all. */
START_TEST(checker_finds_kernel_memory_in_a_stub)
{
	static const char *const bad[] = {
		"55550000-55560000 r-xp 00000000 08:01 42 /x/keel-kernel\n",
		"00400000-00401000 r-xp 00002000 00:01 7 /memfd:keel-physmem "
		"(deleted)\n",
		"00600000-00601000 rw-p 00001000 00:01 7 /memfd:keel-physmem "
		"(deleted)\n",
		"00900000-00901000 rw-p 00000000 00:00 0\n",
		"7e0000000000-7e0000001000 rw-s 00000000 00:01 7 /x/other\n",
	};
	struct asked asked[2] = { { 0x400000, 0x1000, false },
				  { 0x500000, 0x3000, false } };
	struct kernel_ranges k = { .n = 0 };
	const char *good =
		"00400000-00401000 r-xs 00001000 00:01 7 /memfd:keel-physmem "
		"(deleted)\n"
		"00500000-00501000 rw-s 00003000 00:01 7 /memfd:keel-physmem "
		"(deleted)\n"
		"7f8000000000-7f8000002000 r-xp 00000000 08:01 9 /x/keel-stub\n"
		"7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0 [stack]\n";
	char text[1024];

	add_range(&k, 0x55550000, 0x55570000, "executable");
	ck_assert_ptr_null(check_maps(good, "/x/keel-stub", asked, 2, &k));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", good, bad[i]);
		ck_assert_msg(check_maps(text, "/x/keel-stub", asked, 2, &k),
			      "not found: %s", bad[i]);
	}
	/* A page asked for but missing. */
	ck_assert_ptr_nonnull(check_maps(strchr(good, '\n') + 1,
					 "/x/keel-stub", asked, 2, &k));
	/* The direct map's addresses, whatever is there. */
	add_range(&k, 0x7e0000000000, 0x7e0010000000, "direct map");
	snprintf(text, sizeof(text), "%s%s", good,
		 "7e0000000000-7e0000001000 rw-p 00000000 00:00 0\n");
	ck_assert_ptr_nonnull(check_maps(text, "/x/keel-stub", asked, 2, &k));
}
END_TEST

static Suite *stub_maps_suite(void)
{
	Suite *s = suite_create("stub_maps");
	TCase *tc = tcase_create("isolation");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, stub_maps_nothing_of_the_kernel);
	tcase_add_test(tc, checker_finds_kernel_memory_in_a_stub);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(stub_maps_suite);
