/*
 * The physical frame allocator: a binary buddy allocator per pool, with
 * the per-frame metadata array of each memory region stored in the first
 * frames of that region.
 *
 * Blocks are aligned to their size in *physical* frame numbers, so the
 * buddy of the block at pfn p of order k is p ^ 2^k; buddies merge only
 * inside one region (zone). Only a block's first frame (its head) carries
 * flags and an order: a free head is FRAME_FREE and sits on the free list
 * of its order, an allocated head is FRAME_USED with a reference count.
 * Every other frame has flags 0, which is what lets a free of a frame that
 * is not the head of an allocated block be told apart and refused.
 *
 * The memory checkers (<hal/memdebug.h>) see free frames as no access and
 * fresh blocks as undefined; the allocator never touches a free frame
 * (its lists live in the metadata), so it needs no exceptions.
 */
#include "mm/failalloc.h"
#include "mm/frame.h"

#include <hal/memdebug.h>

#include <keel/errno.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/vm.h>

#define FRAME_PFN(pa) ((pa) >> HAL_PAGE_SHIFT)

static size_t zone_first_pfn(const struct frame_zone *z)
{
	return FRAME_PFN(z->base);
}

static size_t zone_end_pfn(const struct frame_zone *z)
{
	return FRAME_PFN(z->base) + z->nframes;
}

/* The zone holding pfn, or NULL. */
static struct frame_zone *zone_of_pfn(struct frame_pool *pool, size_t pfn)
{
	for (size_t i = 0; i < pool->nzones; i++) {
		struct frame_zone *z = &pool->zones[i];

		if (pfn >= zone_first_pfn(z) && pfn < zone_end_pfn(z))
			return z;
	}
	return NULL;
}

static struct frame *zone_meta(struct frame_zone *z, size_t pfn)
{
	return &z->meta[pfn - zone_first_pfn(z)];
}

/* The physical address of the frame described by f (which must belong to
 * the pool). */
static hal_paddr_t meta_to_pa(struct frame_pool *pool, const struct frame *f)
{
	for (size_t i = 0; i < pool->nzones; i++) {
		struct frame_zone *z = &pool->zones[i];

		if (f >= z->meta && f < z->meta + z->nframes)
			return z->base + ((hal_paddr_t)(f - z->meta)
					  << HAL_PAGE_SHIFT);
	}
	panic("frame metadata %p is not in the pool", (const void *)f);
}

static void push_free(struct frame_pool *pool, struct frame *f,
		      unsigned order)
{
	f->flags = FRAME_FREE;
	f->order = (uint8_t)order;
	f->refcount = 0;
	list_add(&f->link, &pool->free_lists[order]);
}

/* Largest order a block starting at pfn may have inside [pfn, end). */
static unsigned fit_order(size_t pfn, size_t end)
{
	unsigned order = 0;

	while (order < FRAME_MAX_ORDER &&
	       (pfn & ((2ul << order) - 1)) == 0 &&
	       pfn + (2ul << order) <= end)
		order++;
	return order;
}

/* Splits [first, end) of z into maximal aligned blocks on the free lists. */
static void zone_carve(struct frame_pool *pool, struct frame_zone *z)
{
	size_t pfn = zone_first_pfn(z), end = zone_end_pfn(z);

	while (pfn < end) {
		unsigned order = fit_order(pfn, end);

		push_free(pool, zone_meta(z, pfn), order);
		pfn += 1ul << order;
	}
}

static bool regions_valid(const struct hal_mem_region *r, size_t n)
{
	if (n > HAL_MAX_MEM_REGIONS)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!IS_ALIGNED(r[i].base, HAL_PAGE_SIZE) ||
		    !IS_ALIGNED(r[i].size, HAL_PAGE_SIZE) ||
		    r[i].base + r[i].size < r[i].base)
			return false;
		for (size_t j = 0; j < i; j++)
			if (r[i].base < r[j].base + r[j].size &&
			    r[j].base < r[i].base + r[i].size)
				return false;
	}
	return true;
}

/* Sets up the zone for one region; false if the region is too small. */
static bool zone_init(struct frame_zone *z, hal_paddr_t base, uint64_t size)
{
	size_t n, meta_frames;

	if (base == 0) { /* 0 means "no frame": never hand it out */
		if (size <= HAL_PAGE_SIZE)
			return false;
		base += HAL_PAGE_SIZE;
		size -= HAL_PAGE_SIZE;
	}
	n = size >> HAL_PAGE_SHIFT;
	meta_frames = (n * sizeof(struct frame) + HAL_PAGE_SIZE - 1) >>
		      HAL_PAGE_SHIFT;
	if (n <= meta_frames)
		return false;
	z->meta = hal_phys_to_virt(base);
	z->base = base + ((hal_paddr_t)meta_frames << HAL_PAGE_SHIFT);
	z->nframes = n - meta_frames;
	z->vbase = (uintptr_t)hal_phys_to_virt(z->base);
	memset(z->meta, 0, z->nframes * sizeof(struct frame));
	return true;
}

int frame_pool_init(struct frame_pool *pool,
		    const struct hal_mem_region *regions, size_t n)
{
	if (!regions_valid(regions, n))
		return -EINVAL;
	spin_init(&pool->lock, "frame_pool");
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		list_init(&pool->free_lists[k]);
	pool->nzones = 0;
	pool->nfree = 0;
	pool->ntotal = 0;
	for (size_t i = 0; i < n; i++) {
		struct frame_zone *z = &pool->zones[pool->nzones];

		if (!zone_init(z, regions[i].base, regions[i].size))
			continue;
		pool->nzones++;
		pool->ntotal += z->nframes;
	}
	if (pool->ntotal == 0)
		return -ENOMEM;
	for (size_t i = 0; i < pool->nzones; i++) {
		struct frame_zone *z = &pool->zones[i];

		zone_carve(pool, z);
		hal_memdebug_noaccess(hal_phys_to_virt(z->base),
				      z->nframes << HAL_PAGE_SHIFT);
	}
	pool->nfree = pool->ntotal;
	return 0;
}

hal_paddr_t frame_pool_alloc(struct frame_pool *pool, unsigned order)
{
	return frame_pool_alloc_tagged(pool, order, 0);
}

hal_paddr_t frame_pool_alloc_tagged(struct frame_pool *pool, unsigned order,
				    unsigned tag)
{
	struct frame *f;
	hal_paddr_t pa;
	unsigned k;

	if (order > FRAME_MAX_ORDER)
		return 0;
	spin_lock(&pool->lock);
	for (k = order; k <= FRAME_MAX_ORDER; k++)
		if (!list_empty(&pool->free_lists[k]))
			break;
	if (k > FRAME_MAX_ORDER) {
		spin_unlock(&pool->lock);
		return 0;
	}
	f = list_first_entry(&pool->free_lists[k], struct frame, link);
	list_del(&f->link);
	pa = meta_to_pa(pool, f);
	/* Give back the upper halves until the block has the wanted size. */
	while (k > order) {
		hal_paddr_t upper;

		k--;
		upper = pa + ((hal_paddr_t)HAL_PAGE_SIZE << k);
		push_free(pool, frame_pool_meta(pool, upper), k);
	}
	f->flags = (uint8_t)(FRAME_USED | tag);
	f->order = (uint8_t)order;
	f->refcount = 1;
	f->count = 0;
	f->slab_free = 0;
	f->slab_class = 0;
	pool->nfree -= 1ul << order;
	spin_unlock(&pool->lock);
	hal_memdebug_undefined(hal_phys_to_virt(pa), HAL_PAGE_SIZE << order);
	return pa;
}

/* Returns the allocated block headed by f (at pa, inside z) to the free
 * lists, merging it with free buddies. Needs pool->lock. */
static void release_block(struct frame_pool *pool, struct frame_zone *z,
			  struct frame *f, hal_paddr_t pa)
{
	unsigned order = f->order;
	size_t pfn = FRAME_PFN(pa);

	hal_memdebug_noaccess(hal_phys_to_virt(pa), HAL_PAGE_SIZE << order);
	pool->nfree += 1ul << order;
	f->flags = 0;
	f->refcount = 0;
	while (order < FRAME_MAX_ORDER) {
		size_t buddy = pfn ^ (1ul << order);
		struct frame *b;

		if (buddy < zone_first_pfn(z) ||
		    buddy + (1ul << order) > zone_end_pfn(z))
			break;
		b = zone_meta(z, buddy);
		if (!(b->flags & FRAME_FREE) || b->order != order)
			break;
		list_del(&b->link);
		b->flags = 0;
		pfn = MIN(pfn, buddy);
		order++;
	}
	push_free(pool, zone_meta(z, pfn), order);
}

/* The head of the allocated block at pa, with its zone, or NULL if pa is
 * not one. Reads flags: call with pool->lock or for a block you hold. */
static struct frame *used_head(struct frame_pool *pool, hal_paddr_t pa,
			       struct frame_zone **zp)
{
	struct frame_zone *z;
	struct frame *f;

	if (!IS_ALIGNED(pa, HAL_PAGE_SIZE))
		return NULL;
	z = zone_of_pfn(pool, FRAME_PFN(pa));
	if (!z)
		return NULL;
	f = zone_meta(z, FRAME_PFN(pa));
	if (!(f->flags & FRAME_USED))
		return NULL;
	if (zp)
		*zp = z;
	return f;
}

int frame_pool_free_checked(struct frame_pool *pool, hal_paddr_t pa)
{
	struct frame_zone *z;
	struct frame *f;
	int err = 0;

	spin_lock(&pool->lock);
	f = used_head(pool, pa, &z);
	if (!f)
		err = -EINVAL;
	else if (__atomic_load_n(&f->refcount, __ATOMIC_ACQUIRE) != 1)
		err = -EBUSY;
	else
		release_block(pool, z, f, pa);
	spin_unlock(&pool->lock);
	return err;
}

int frame_pool_get_checked(struct frame_pool *pool, hal_paddr_t pa)
{
	struct frame *f = used_head(pool, pa, NULL);

	if (!f || __atomic_load_n(&f->refcount, __ATOMIC_RELAXED) == 0)
		return -EINVAL;
	__atomic_fetch_add(&f->refcount, 1, __ATOMIC_RELAXED);
	return 0;
}

int frame_pool_put_checked(struct frame_pool *pool, hal_paddr_t pa)
{
	struct frame_zone *z;
	struct frame *f = used_head(pool, pa, &z);
	uint32_t old;

	if (!f)
		return -EINVAL;
	old = __atomic_load_n(&f->refcount, __ATOMIC_RELAXED);
	do {
		if (old == 0)
			return -EINVAL;
	} while (!__atomic_compare_exchange_n(&f->refcount, &old, old - 1,
					      false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	if (old == 1) {
		spin_lock(&pool->lock);
		f->refcount = 1; /* release_block clears it */
		release_block(pool, z, f, pa);
		spin_unlock(&pool->lock);
	}
	return 0;
}

size_t frame_pool_free_count(struct frame_pool *pool)
{
	return __atomic_load_n(&pool->nfree, __ATOMIC_RELAXED);
}

struct frame *frame_pool_meta(struct frame_pool *pool, hal_paddr_t pa)
{
	struct frame_zone *z = zone_of_pfn(pool, FRAME_PFN(pa));

	return z ? zone_meta(z, FRAME_PFN(pa)) : NULL;
}

hal_paddr_t frame_pool_pa(struct frame_pool *pool, const struct frame *f)
{
	return meta_to_pa(pool, f);
}

struct frame *frame_pool_meta_of_virt(struct frame_pool *pool, const void *p,
				      hal_paddr_t *pa)
{
	uintptr_t v = (uintptr_t)p;

	for (size_t i = 0; i < pool->nzones; i++) {
		struct frame_zone *z = &pool->zones[i];
		uintptr_t off = v - z->vbase;

		if (v >= z->vbase && off < z->nframes * HAL_PAGE_SIZE) {
			if (pa)
				*pa = z->base + off;
			return &z->meta[off >> HAL_PAGE_SHIFT];
		}
	}
	return NULL;
}

/* ---- The global pool ------------------------------------------------- */

static struct frame_pool global_pool;

struct frame_pool *frame_global_pool(void)
{
	return &global_pool;
}

void frame_init(const struct hal_boot_info *bi)
{
	int err = frame_pool_init(&global_pool, bi->mem, bi->nmem);

	if (err)
		panic("no usable memory in %zu boot regions (%s)", bi->nmem,
		      errno_name(err));
}

/* Fault injection (<keel/failalloc.h>) at every entry point, except the
 * heap's own frames (slab pages, large objects): their kmalloc counted. */
hal_paddr_t frame_alloc(unsigned order)
{
	if (failalloc_now())
		return 0;
	return frame_pool_alloc(&global_pool, order);
}

hal_paddr_t frame_alloc_tagged(unsigned order, unsigned tag)
{
	if (tag != FRAME_SLAB && tag != FRAME_LARGE && failalloc_now())
		return 0;
	return frame_pool_alloc_tagged(&global_pool, order, tag);
}

hal_paddr_t frame_alloc_zeroed(unsigned order)
{
	hal_paddr_t pa = failalloc_now() ? 0 :
		frame_pool_alloc(&global_pool, order);

	if (pa)
		memset(hal_phys_to_virt(pa), 0, HAL_PAGE_SIZE << order);
	return pa;
}

void frame_free(hal_paddr_t pa)
{
	int err = frame_pool_free_checked(&global_pool, pa);

	if (err)
		panic("bad free of frame %#llx (%s)", (unsigned long long)pa,
		      errno_name(err));
}

void frame_get(hal_paddr_t pa)
{
	if (frame_pool_get_checked(&global_pool, pa))
		panic("reference to frame %#llx, which is not allocated",
		      (unsigned long long)pa);
}

void frame_put(hal_paddr_t pa)
{
	if (frame_pool_put_checked(&global_pool, pa))
		panic("put of frame %#llx, which is not allocated",
		      (unsigned long long)pa);
}

unsigned frame_refcount(hal_paddr_t pa)
{
	struct frame *f = frame_pool_meta(&global_pool, pa);

	return f ? __atomic_load_n(&f->refcount, __ATOMIC_RELAXED) : 0;
}

struct frame *frame_meta(hal_paddr_t pa)
{
	return frame_pool_meta(&global_pool, pa);
}

hal_paddr_t frame_pa(const struct frame *f)
{
	return meta_to_pa(&global_pool, f);
}

struct frame *frame_meta_of_virt(const void *p, hal_paddr_t *pa)
{
	return frame_pool_meta_of_virt(&global_pool, p, pa);
}

size_t frames_free(void)
{
	return frame_pool_free_count(&global_pool);
}

size_t frames_total(void)
{
	return global_pool.ntotal;
}
