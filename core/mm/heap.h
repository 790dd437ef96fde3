/*
 * Kernel heap internals: set-up, the checked variants behind kmalloc and
 * kfree (the public ones panic where these return an error, so tests can
 * see the detection work), and the size-class geometry.
 */
#ifndef CORE_MM_HEAP_H
#define CORE_MM_HEAP_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <keel/types.h>

/* Size classes: 16, 32, ... 2048 bytes; larger requests take whole frames. */
#define HEAP_MIN_SHIFT 4
#define HEAP_MAX_SHIFT 11
#define HEAP_NCLASSES (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)
#define HEAP_MAX_SMALL (1ul << HEAP_MAX_SHIFT)

/* What freed slab memory is filled with (debug builds). */
#define HEAP_POISON 0x6b

/* Makes the heap usable; needs the frame allocator. */
void heap_init(void);

/*
 * Allocates size bytes into *out. Returns 0, -ENOMEM (*out NULL) when
 * frames ran out or size is too large for the largest frame block, or,
 * in debug builds, -EFAULT when the object handed out had its poison
 * overwritten after it was freed (a use after free): *out is still the
 * object, now allocated, so the caller can free it.
 */
int kmalloc_checked(size_t size, void **out);

/*
 * Frees p (NULL is fine). Returns -EINVAL if p is not an object the heap
 * handed out (not a heap page, not the start of an object) and, in debug
 * builds, -ENOENT if it is already free. Nothing changes on error.
 */
int kfree_checked(void *p);

/* The usable size of the heap object p (its size class or frame run). */
size_t heap_object_size(const void *p);

/* Slab pages the heap holds now (for leak checks in tests). */
size_t heap_slab_pages(void);

/* Live objects and the bytes of their slots (size class, or the whole
 * block of a large object): what a leak check compares. */
void heap_usage(size_t *objects, size_t *bytes);

#endif
