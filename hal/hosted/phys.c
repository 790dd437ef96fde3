/*
 * Physical memory of the hosted backend: one memfd, mapped once into the
 * kernel process as the direct map. A physical address is an offset into
 * the memfd; stub processes map the same file to give user programs pages.
 */
#include "hosted.h"

#include <err.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int phys_fd = -1;
static char *direct_map;
static uint64_t phys_size;

void hosted_phys_init(uint64_t size, struct hal_boot_info *bi)
{
	size = (size + HAL_PAGE_SIZE - 1) & ~(uint64_t)(HAL_PAGE_SIZE - 1);
	phys_fd = memfd_create("keel-physmem", MFD_CLOEXEC);
	if (phys_fd < 0)
		err(1, "keel: memfd_create for physical memory");
	if (ftruncate(phys_fd, (off_t)size) != 0)
		err(1, "keel: cannot size physical memory to %llu bytes",
		    (unsigned long long)size);
	direct_map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			  phys_fd, 0);
	if (direct_map == MAP_FAILED)
		err(1, "keel: cannot map physical memory");
	phys_size = size;

	/* Physical page 0 stays unused so that 0 is never a valid frame. */
	bi->mem[0].base = HAL_PAGE_SIZE;
	bi->mem[0].size = size - HAL_PAGE_SIZE;
	bi->nmem = 1;
}

hal_paddr_t hosted_phys_reserve(struct hal_boot_info *bi, uint64_t len)
{
	struct hal_mem_region *top = &bi->mem[bi->nmem - 1];

	len = (len + HAL_PAGE_SIZE - 1) & ~(uint64_t)(HAL_PAGE_SIZE - 1);
	if (len >= top->size)
		errx(1, "keel: %llu bytes do not fit in physical memory",
		     (unsigned long long)len);
	top->size -= len;
	return top->base + top->size;
}

int hosted_phys_fd(void)
{
	return phys_fd;
}

uint64_t hosted_phys_size(void)
{
	return phys_size;
}

void *hal_phys_to_virt(hal_paddr_t pa)
{
	if (pa >= phys_size)
		abort(); /* a core bug: no physical memory there */
	return direct_map + pa;
}

hal_paddr_t hal_virt_to_phys(const void *va)
{
	const char *p = va;

	if (p < direct_map || p >= direct_map + phys_size)
		abort();
	return (hal_paddr_t)(p - direct_map);
}
