/* mremap(2) of private anonymous memory: shrinking, growing in place and
 * by moving (contents kept, growth zeroed), MREMAP_FIXED, DONTUNMAP, and
 * Linux's errno for each rejected case. qemu-user checks some arguments
 * differently, so the riscv64 oracle is the x86-64 run. (glibc reads
 * new_addr for DONTUNMAP too: it is passed.) */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

#define PG 4096ul
#define RW (PROT_READ | PROT_WRITE)

static unsigned char *map(size_t len)
{
	return mmap(NULL, len, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void show_remap(const char *label, void *r)
{
	if (r == MAP_FAILED)
		printf("%s: -1 %s\n", label, abi_errname(errno));
	else
		printf("%s: remapped\n", label);
}

int main(void)
{
	unsigned char *p, *q, *r, *fixed;

	/* A hole after p (its third page) so that it can grow in place. */
	p = map(6 * PG);
	munmap(p + 2 * PG, 4 * PG);
	memset(p, 0x5a, 2 * PG);
	q = mremap(p, 2 * PG, 4 * PG, 0);
	abi_yes("grow in place", q == p);
	abi_yes("  contents kept", p[0] == 0x5a && p[2 * PG - 1] == 0x5a);
	abi_yes("  growth zeroed", p[2 * PG] == 0 && p[4 * PG - 1] == 0);
	q = mremap(p, 4 * PG, PG, 0);
	abi_yes("shrink in place", q == p && p[0] == 0x5a);
	SHOW("shrunk tail is gone", mincore(p + PG, PG, (unsigned char[1]){ 0 }));

	/* A neighbour right after r: growing must move. */
	r = map(2 * PG);
	munmap(r + PG, PG);
	q = map(PG);
	if (q != r + PG)
		q = mmap(r + PG, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0);
	r[0] = 9;
	show_remap("grow without MAYMOVE", mremap(r, PG, 3 * PG, 0));
	p = mremap(r, PG, 3 * PG, MREMAP_MAYMOVE);
	abi_yes("grow by moving", p != MAP_FAILED && p != r);
	abi_yes("  contents moved", p[0] == 9 && p[3 * PG - 1] == 0);
	SHOW("  old range is gone", mincore(r, PG, (unsigned char[1]){ 0 }));

	fixed = map(4 * PG);
	munmap(fixed, 4 * PG);
	r = mremap(p, 3 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, fixed);
	abi_yes("MREMAP_FIXED", r == fixed && r[0] == 9);
	q = mremap(r, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		   NULL);
	abi_yes("MREMAP_DONTUNMAP", q != MAP_FAILED && q[0] == 9);
	abi_yes("  old range reads zero", r[0] == 0);

	show_remap("unknown flag", mremap(q, PG, PG, 8));
	show_remap("FIXED without MAYMOVE",
		   mremap(q, PG, PG, MREMAP_FIXED, fixed));
	show_remap("DONTUNMAP with a new length",
		   mremap(q, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			  NULL));
	show_remap("unaligned", mremap(q + 1, PG, PG, 0));
	show_remap("new length 0", mremap(q, PG, 0, 0));
	show_remap("old length 0 of private memory",
		   mremap(q, 0, PG, MREMAP_MAYMOVE));
	show_remap("FIXED unaligned",
		   mremap(q, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, fixed + 1));
	show_remap("FIXED overlapping",
		   mremap(q, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			  q + PG));
	munmap(q, 2 * PG);
	show_remap("unmapped", mremap(q, PG, PG, 0));
	p = map(2 * PG);
	munmap(p + PG, PG);
	show_remap("longer than the mapping", mremap(p, 2 * PG, 2 * PG, 0));
	return 0;
}
