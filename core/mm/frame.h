/*
 * The physical frame allocator, inside core/mm: a binary buddy allocator
 * over the boot memory regions with one `struct frame` of metadata per
 * frame. The metadata of each region lives in the first frames of that
 * region, so the allocator needs no memory of its own.
 *
 * A `struct frame_pool` is one allocator instance. The kernel uses one
 * global pool (frame_alloc and friends); tests build private pools over a
 * region of their own to exercise exhaustion and fragmentation.
 *
 * Physical address 0 is never handed out, so 0 means "no frame".
 */
#ifndef CORE_MM_FRAME_H
#define CORE_MM_FRAME_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/hal.h>
#include <keel/list.h>
#include <keel/sync.h>
#include <keel/types.h>

/* Largest block: 2^FRAME_MAX_ORDER frames (4 MiB with 4 KiB pages). */
#define FRAME_MAX_ORDER 10

/* struct frame.flags: only the first frame of a block (its head) has any. */
#define FRAME_FREE 0x01u   /* head of a free block, on a free list */
#define FRAME_USED 0x02u   /* head of an allocated block */
#define FRAME_SLAB 0x04u   /* used: a kernel-heap slab page */
#define FRAME_LARGE 0x08u  /* used: a large kernel-heap allocation */
#define FRAME_PTABLE 0x10u /* used: a page-table page */

/* Per-frame metadata. 32 bytes; the pool's lock guards all but refcount,
 * which is atomic, and the owner fields, which belong to the owner. */
struct frame {
	struct list_head link; /* free list; the heap's slab lists */
	uint32_t refcount;     /* holders of an allocated block's head */
	uint16_t count;        /* owner's: valid PTEs / slab objects used */
	uint16_t slab_free;    /* owner's: offset of a slab's first free
				* object, SLAB_NONE when full */
	uint8_t order;         /* block size, heads only */
	uint8_t flags;         /* FRAME_* */
	uint8_t slab_class;    /* owner's: the heap's size class */
};

/* One boot memory region managed by a pool: frames [base, base+n pages). */
struct frame_zone {
	hal_paddr_t base;   /* first managed frame (after the metadata) */
	size_t nframes;
	struct frame *meta; /* nframes entries, in the region's first frames */
	uintptr_t vbase;    /* hal_phys_to_virt(base) as an integer */
};

struct frame_pool {
	struct spinlock lock;
	struct frame_zone zones[HAL_MAX_MEM_REGIONS];
	size_t nzones;
	struct list_head free_lists[FRAME_MAX_ORDER + 1];
	size_t nfree;  /* free frames */
	size_t ntotal; /* managed frames */
};

/*
 * Builds pool over regions (page aligned, not overlapping). Each region's
 * metadata is placed in its own first frames; a region too small to hold
 * its metadata plus one frame is ignored. Returns -EINVAL for misaligned or
 * overlapping regions (or n too large), -ENOMEM if no frame is left to
 * manage. The regions must be reachable through hal_phys_to_virt and the
 * direct map must be linear inside each region.
 */
int frame_pool_init(struct frame_pool *pool,
		    const struct hal_mem_region *regions, size_t n);

/* A block of 2^order frames with refcount 1, or 0 when none is free or
 * order > FRAME_MAX_ORDER. Not zeroed. Takes pool->lock. */
hal_paddr_t frame_pool_alloc(struct frame_pool *pool, unsigned order);

/* The same, with the owner tag (FRAME_SLAB, FRAME_LARGE or FRAME_PTABLE)
 * set in the head's flags; freeing the block clears it. */
hal_paddr_t frame_pool_alloc_tagged(struct frame_pool *pool, unsigned order,
				    unsigned tag);

/*
 * Frees the block whose head is pa. Returns -EINVAL if pa is misaligned,
 * outside the pool, or not the head of an allocated block (a double free,
 * a frame never allocated, the middle of a block), -EBUSY if the block
 * still has more than one reference. Nothing changes on error.
 */
int frame_pool_free_checked(struct frame_pool *pool, hal_paddr_t pa);

/* Adds / drops a reference to the allocated block headed by pa; the last
 * put frees it. -EINVAL as for frame_pool_free_checked (or a put of a
 * block without references). */
int frame_pool_get_checked(struct frame_pool *pool, hal_paddr_t pa);
int frame_pool_put_checked(struct frame_pool *pool, hal_paddr_t pa);

size_t frame_pool_free_count(struct frame_pool *pool);

/* Metadata of the frame at pa (any frame, head or not), or NULL when pa
 * is outside the pool. */
struct frame *frame_pool_meta(struct frame_pool *pool, hal_paddr_t pa);

/* The physical address of the frame f describes (f from this pool). */
hal_paddr_t frame_pool_pa(struct frame_pool *pool, const struct frame *f);

/* The frame that contains the kernel pointer p (a direct-map address of a
 * pool frame): its metadata and, in *pa, p's physical address. NULL for
 * any other pointer. */
struct frame *frame_pool_meta_of_virt(struct frame_pool *pool, const void *p,
				      hal_paddr_t *pa);

/* ---- The kernel's global pool ---------------------------------------- */

/* Builds the global pool over bi->mem; panics if there is no memory. */
void frame_init(const struct hal_boot_info *bi);

hal_paddr_t frame_alloc(unsigned order);        /* 0 when exhausted */
hal_paddr_t frame_alloc_zeroed(unsigned order); /* same, zero-filled */
hal_paddr_t frame_alloc_tagged(unsigned order, unsigned tag);
void frame_free(hal_paddr_t pa); /* panics where _checked would fail */
void frame_get(hal_paddr_t pa);  /* panics on a frame not allocated */
void frame_put(hal_paddr_t pa);  /* same; the last put frees */
unsigned frame_refcount(hal_paddr_t pa);
struct frame *frame_meta(hal_paddr_t pa);
hal_paddr_t frame_pa(const struct frame *f);
struct frame *frame_meta_of_virt(const void *p, hal_paddr_t *pa);

/* The pool behind frame_alloc (tests use it with the _checked calls). */
struct frame_pool *frame_global_pool(void);

#endif
