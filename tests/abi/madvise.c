/* madvise(2) (MADV_DONTNEED zeroes private anonymous pages), mincore(2),
 * msync(2) and the mlock family on anonymous memory, with Linux's errno
 * for each rejected case. Only the touched page's residency is printed:
 * neighbours may be faulted in around it. qemu-user accepts most of
 * these without checking, so the riscv64 oracle is the x86-64 run. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

#define PG 4096ul

int main(void)
{
	/* Four pages and a hole after them (the fifth, unmapped). */
	unsigned char *p = mmap(NULL, 5 * PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[8];
	int advices[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL,
			  MADV_WILLNEED, MADV_DONTFORK, MADV_DOFORK,
			  MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK,
			  MADV_KEEPONFORK, MADV_COLD };
	char label[48];

	abi_yes("mapped", p != MAP_FAILED);
	SHOW("munmap the fifth page", munmap(p + 4 * PG, PG));
	SHOW("mincore untouched", mincore(p, 4 * PG, vec));
	printf("page 0 resident: %d\n", vec[0]);
	p[0] = 1;
	p[PG] = 2;
	SHOW("mincore touched", mincore(p, 4 * PG, vec));
	printf("page 0 resident: %d\n", vec[0]);
	SHOW("MADV_DONTNEED", madvise(p, 2 * PG, MADV_DONTNEED));
	printf("after DONTNEED: %d %d\n", p[0], p[PG]);
	p[0] = 3;
	SHOW("MADV_FREE", madvise(p, PG, MADV_FREE));
	for (size_t i = 0; i < sizeof(advices) / sizeof(advices[0]); i++) {
		snprintf(label, sizeof(label), "madvise %d", advices[i]);
		SHOW(label, madvise(p, 4 * PG, advices[i]));
	}
	SHOW("madvise length 0", madvise(p, 0, MADV_NORMAL));
	SHOW("madvise unaligned", madvise(p + 1, PG, MADV_NORMAL));
	SHOW("madvise advice 999", madvise(p, PG, 999));
	SHOW("madvise past the mapping",
	     madvise(p, 4 * PG + PG, MADV_NORMAL));
	SHOW("msync MS_SYNC", msync(p, 4 * PG, MS_SYNC));
	SHOW("msync MS_ASYNC", msync(p, 4 * PG, MS_ASYNC | MS_INVALIDATE));
	SHOW("msync both", msync(p, PG, MS_SYNC | MS_ASYNC));
	SHOW("msync bad flag", msync(p, PG, 8));
	SHOW("msync unaligned", msync(p + 1, PG, MS_SYNC));
	SHOW("msync past the mapping", msync(p, 5 * PG, MS_SYNC));
	SHOW("mincore unaligned", mincore(p + 1, PG, vec));
	SHOW("mincore past the mapping", mincore(p, 5 * PG, vec));
	SHOW("mincore bad vector", mincore(p, PG, (unsigned char *)8));
	SHOW("mlock", mlock(p + 1, PG));
	SHOW("munlock", munlock(p, 4 * PG));
	SHOW("mlock past the mapping", mlock(p, 5 * PG));
	SHOW("mlock2 ONFAULT", syscall(SYS_mlock2, p, PG, 1));
	SHOW("mlock2 bad flag", syscall(SYS_mlock2, p, PG, 2));
	SHOW("mlockall CURRENT", mlockall(MCL_CURRENT));
	SHOW("munlockall", munlockall());
	SHOW("mlockall 0", mlockall(0));
	SHOW("mlockall ONFAULT alone", mlockall(MCL_ONFAULT));
	SHOW("mlockall bad flag", mlockall(0x10));
	munmap(p, 4 * PG);
	SHOW("madvise unmapped", madvise(p, PG, MADV_NORMAL));
	SHOW("mincore unmapped", mincore(p, PG, vec));
	return 0;
}
