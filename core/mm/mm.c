/*
 * Bringing up memory management at boot: the frame allocator over the
 * boot memory regions, then the kernel heap on top of it.
 */
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/mm.h"

#include <keel/log.h>

void mm_init(const struct hal_boot_info *bi)
{
	struct frame_pool *pool = frame_global_pool();
	uint64_t ram = 0;

	for (size_t i = 0; i < bi->nmem; i++)
		ram += bi->mem[i].size;
	frame_init(bi);
	heap_init();
	pr_info("mm: %zu KiB free in %zu region(s) (%llu KiB of RAM)",
		pool->nfree * (HAL_PAGE_SIZE / 1024), pool->nzones,
		(unsigned long long)(ram / 1024));
}
