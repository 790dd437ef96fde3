/*
 * The kernel heap. Small requests (up to 2048 bytes) come from slab pages:
 * one frame carved into equal objects of a power-of-two size class, with
 * the free objects chained through their first two bytes (an offset inside
 * the page) and the page's bookkeeping in its struct frame. Pages with a
 * free object sit on their class's partial list; a page whose last object
 * is freed goes straight back to the frame allocator. Larger requests take
 * a whole block of frames whose order the frame metadata already records.
 *
 * With KEEL_DEBUG, freed objects are filled with HEAP_POISON (past the
 * link), the poison is checked when the object is handed out again, and
 * kfree looks the object up on its page's free chain to catch double
 * frees. One spinlock guards all of it.
 *
 * Every object, slack and free object is described to the memory
 * checkers through <hal/memdebug.h> (memcheck and ASan on hosted, nothing
 * on bare metal; docs/hal.md, "Memory debugging"): an object is a block
 * of its exact requested size, the rest of its slot and every free object
 * is no access. The heap's own touches of free objects (links, poison)
 * are bracketed by open_free/close_free so they are not reported.
 */
#include "mm/failalloc.h"
#include "mm/frame.h"
#include "mm/heap.h"

#include <hal/memdebug.h>

#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/sync.h>

/* End of a page's free chain. */
#define SLAB_NONE 0xffffu
/* The link of a free object: the offset of the next one. */
#define LINK_SIZE sizeof(uint16_t)

static struct {
	struct spinlock lock;
	struct list_head partial[HEAP_NCLASSES];
	size_t slab_pages;
	size_t objects, bytes; /* live objects, their slots' bytes; atomic */
} heap = { .lock = SPINLOCK_INIT("heap") };

/* Counts an object of a slot of size bytes in (sign 1) or out (-1). */
static void account(long sign, size_t size)
{
	__atomic_add_fetch(&heap.objects, (size_t)sign, __ATOMIC_RELAXED);
	__atomic_add_fetch(&heap.bytes, (size_t)sign * size, __ATOMIC_RELAXED);
}

void heap_init(void)
{
	for (unsigned c = 0; c < HEAP_NCLASSES; c++)
		list_init(&heap.partial[c]);
}

static size_t class_size(unsigned c)
{
	return 1ul << (c + HEAP_MIN_SHIFT);
}

static unsigned size_class(size_t size)
{
	unsigned c = 0;

	while (class_size(c) < size)
		c++;
	return c;
}

/* The order of the smallest frame block holding size bytes, or
 * FRAME_MAX_ORDER + 1 when none does. */
static unsigned large_order(size_t size)
{
	unsigned order = 0;

	while (order <= FRAME_MAX_ORDER && (HAL_PAGE_SIZE << order) < size)
		order++;
	return order;
}

static uint16_t *link_of(void *obj)
{
	return obj;
}

/* Lets the heap itself touch the free object [obj, obj+size). */
static void open_free(void *obj, size_t size)
{
	hal_memdebug_defined(obj, size);
}

/* Ends open_free: the free object is no access again. */
static void close_free(void *obj, size_t size)
{
	hal_memdebug_noaccess(obj, size);
}

/* The link of the free object obj, read as the heap's own touch. */
static uint16_t free_link(char *obj)
{
	uint16_t next;

	open_free(obj, LINK_SIZE);
	next = *link_of(obj);
	close_free(obj, LINK_SIZE);
	return next;
}

/* Tells the memory checkers that obj, in a slot of slot bytes, is now an
 * object of request bytes; the rest of the slot is no access. */
static void mark_object(void *obj, size_t request, size_t slot)
{
	hal_memdebug_alloc(obj, request);
	hal_memdebug_noaccess((char *)obj + request, slot - request);
}

static void poison(void *obj, size_t size)
{
#ifdef KEEL_DEBUG
	memset((char *)obj + LINK_SIZE, HEAP_POISON, size - LINK_SIZE);
#else
	(void)obj;
	(void)size;
#endif
}

/* False when a free object's poison was overwritten. */
static bool poison_intact(const void *obj, size_t size)
{
#ifdef KEEL_DEBUG
	const unsigned char *p = obj;

	for (size_t i = LINK_SIZE; i < size; i++)
		if (p[i] != HEAP_POISON)
			return false;
#else
	(void)obj;
	(void)size;
#endif
	return true;
}

/* A fresh slab page for class c, on its partial list, or NULL. Needs the
 * heap lock. */
static struct frame *slab_new(unsigned c)
{
	size_t size = class_size(c);
	hal_paddr_t pa = frame_alloc_tagged(0, FRAME_SLAB);
	struct frame *f;
	char *page;

	if (!pa)
		return NULL;
	f = frame_meta(pa);
	page = hal_phys_to_virt(pa);
	f->slab_class = (uint8_t)c;
	f->count = 0;
	f->slab_free = 0;
	for (size_t off = 0; off < HAL_PAGE_SIZE; off += size) {
		size_t next = off + size;

		*link_of(page + off) =
			next < HAL_PAGE_SIZE ? (uint16_t)next : SLAB_NONE;
		poison(page + off, size);
	}
	close_free(page, HAL_PAGE_SIZE);
	list_add(&f->link, &heap.partial[c]);
	heap.slab_pages++;
	return f;
}

static char *slab_page(const struct frame *f)
{
	return hal_phys_to_virt(frame_pa(f));
}

/* Takes the first free object of a partial page of class c into *out,
 * as an object of request bytes. Returns 0, -ENOMEM, or -EFAULT when its
 * poison was damaged. Needs the heap lock. */
static int slab_alloc(unsigned c, size_t request, void **out)
{
	size_t size = class_size(c);
	struct frame *f;
	uint16_t next;
	bool intact;
	char *obj;

	if (list_empty(&heap.partial[c]) && !slab_new(c)) {
		*out = NULL;
		return -ENOMEM;
	}
	f = list_first_entry(&heap.partial[c], struct frame, link);
	obj = slab_page(f) + f->slab_free;
	next = free_link(obj);
	/* A broken link cannot be followed: the page is beyond repair. */
	if (next != SLAB_NONE && (next >= HAL_PAGE_SIZE || next % size))
		panic("heap: free chain of a %zu-byte slab overwritten at %p",
		      size, (void *)obj);
	f->slab_free = next;
	f->count++;
	if (next == SLAB_NONE)
		list_del(&f->link); /* full: off the partial list */
	open_free(obj, size);
	intact = poison_intact(obj, size);
	mark_object(obj, request, size);
	*out = obj;
	return intact ? 0 : -EFAULT;
}

int kmalloc_checked(size_t size, void **out)
{
	unsigned order;
	hal_paddr_t pa;
	int err;

	if (failalloc_now()) {
		*out = NULL;
		return -ENOMEM;
	}
	if (size <= HEAP_MAX_SMALL) {
		unsigned c = size_class(size ? size : 1);

		spin_lock(&heap.lock);
		err = slab_alloc(c, size, out);
		spin_unlock(&heap.lock);
		if (*out)
			account(1, class_size(c));
		return err;
	}
	*out = NULL;
	order = large_order(size);
	if (order > FRAME_MAX_ORDER)
		return -ENOMEM;
	pa = frame_alloc_tagged(order, FRAME_LARGE);
	if (!pa)
		return -ENOMEM;
	*out = hal_phys_to_virt(pa);
	mark_object(*out, size, HAL_PAGE_SIZE << order);
	account(1, HAL_PAGE_SIZE << order);
	return 0;
}

/* Is the object at off of page f on the page's free chain? Needs the heap
 * lock. */
static bool slab_obj_free(const struct frame *f, size_t off)
{
	const char *page = slab_page(f);
	unsigned steps = 0;

	for (uint16_t o = f->slab_free; o != SLAB_NONE;
	     o = free_link((char *)page + o)) {
		if (o == off)
			return true;
		if (++steps > HAL_PAGE_SIZE >> HEAP_MIN_SHIFT)
			panic("heap: free chain of slab %p loops", page);
	}
	return false;
}

/* Frees the object at byte off of slab page f (at pa). Needs the heap
 * lock. */
static int slab_free(struct frame *f, hal_paddr_t pa, size_t off)
{
	size_t size = class_size(f->slab_class);
	char *obj = slab_page(f) + off;
	bool was_full = f->slab_free == SLAB_NONE;

	if (off % size)
		return -EINVAL;
#ifdef KEEL_DEBUG
	if (slab_obj_free(f, off))
		return -ENOENT;
#else
	(void)slab_obj_free;
#endif
	hal_memdebug_free(obj, size);
	open_free(obj, size);
	*link_of(obj) = f->slab_free;
	poison(obj, size);
	close_free(obj, size);
	f->slab_free = (uint16_t)off;
	f->count--;
	if (f->count == 0) {
		if (!was_full)
			list_del(&f->link);
		heap.slab_pages--;
		frame_free(pa & ~(hal_paddr_t)(HAL_PAGE_SIZE - 1));
	} else if (was_full) {
		list_add(&f->link, &heap.partial[f->slab_class]);
	}
	return 0;
}

int kfree_checked(void *p)
{
	struct frame *f;
	hal_paddr_t pa;
	int err = -EINVAL;

	if (!p)
		return 0;
	spin_lock(&heap.lock);
	f = frame_meta_of_virt(p, &pa);
	if (f && (f->flags & FRAME_USED) && (f->flags & FRAME_SLAB)) {
		size_t size = class_size(f->slab_class);

		err = slab_free(f, pa, pa & (HAL_PAGE_SIZE - 1));
		if (!err)
			account(-1, size);
	} else if (f && (f->flags & FRAME_USED) && (f->flags & FRAME_LARGE) &&
		   IS_ALIGNED(pa, HAL_PAGE_SIZE)) {
		account(-1, HAL_PAGE_SIZE << f->order);
		hal_memdebug_free(p, HAL_PAGE_SIZE << f->order);
		frame_free(pa);
		err = 0;
	}
	spin_unlock(&heap.lock);
	return err;
}

void heap_usage(size_t *objects, size_t *bytes)
{
	*objects = __atomic_load_n(&heap.objects, __ATOMIC_RELAXED);
	*bytes = __atomic_load_n(&heap.bytes, __ATOMIC_RELAXED);
}

size_t heap_object_size(const void *p)
{
	struct frame *f = frame_meta_of_virt(p, NULL);

	if (!f || !(f->flags & FRAME_USED))
		return 0;
	if (f->flags & FRAME_SLAB)
		return class_size(f->slab_class);
	if (f->flags & FRAME_LARGE)
		return HAL_PAGE_SIZE << f->order;
	return 0;
}

size_t heap_slab_pages(void)
{
	return __atomic_load_n(&heap.slab_pages, __ATOMIC_RELAXED);
}

/* ---- The public API ------------------------------------------------- */

void *kmalloc(size_t size)
{
	void *p;
	int err = kmalloc_checked(size, &p);

	if (err == -EFAULT)
		panic("heap: %zu-byte object %p was written after it was freed",
		      heap_object_size(p), p);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	return kzalloc(total);
}

void kfree(void *p)
{
	int err = kfree_checked(p);

	if (err == -ENOENT)
		panic("heap: double free of %p", p);
	if (err)
		panic("heap: kfree of %p, which the heap did not hand out", p);
}

char *kstrdup(const char *s)
{
	size_t len = kstrlen(s) + 1;
	char *copy = kmalloc(len);

	if (copy)
		memcpy(copy, s, len);
	return copy;
}
