/*
 * Memory objects (the core's half of a Vmo): a reference-counted handle
 * for memory whose pages a service supplies on demand through a pager
 * callback: a file's page cache, shmem, memfd. The core keeps no pages of
 * its own for an object: the pager decides where pages come from (and
 * keeps a cache, so that every mapping sees the same page); the core maps
 * what the pager returns, shared or copy-on-write (vm_map_object in
 * <keel/vm.h>), and asks again after the page was unmapped.
 */
#ifndef KEEL_VM_OBJECT_H
#define KEEL_VM_OBJECT_H

#include <keel/types.h>

struct vm_object;
struct vm_page;
struct vm_space;

struct vm_pager_ops {
	/*
	 * Supplies page number idx (byte offset idx * PAGE_SIZE) of obj for
	 * an access (USER_ACCESS_*): stores a page handle in *out whose
	 * reference passes to the core. Called in the faulting task's
	 * context without core locks; it may block. Returns 0 or a negative
	 * errno: -ENOMEM, or the error the fault becomes (-ENXIO past the
	 * end of a file, -EIO, ...): user code gets an unresolved page fault
	 * carrying it (services make it SIGBUS), a uaccess copy -EFAULT.
	 */
	int (*get_page)(struct vm_object *obj, uint64_t idx, unsigned access,
			struct vm_page **out);
	/* The last reference is gone (no mapping is left): free what the
	 * object's private data holds. May be NULL. Called without core
	 * locks. */
	void (*release)(struct vm_object *obj);
};

/* A new object with one reference (the caller's), or NULL when memory
 * runs out. ops must outlive the object. */
struct vm_object *vm_object_create(const struct vm_pager_ops *ops,
				   void *priv);
void vm_object_get(struct vm_object *obj);
void vm_object_put(struct vm_object *obj);
/* A reference to obj unless its last one is gone already (its release
 * may be running): for a service that keeps an uncounted pointer to an
 * object (one object per file) and clears it in the pager's release,
 * under a lock of its own that it holds around this call too, so that
 * obj is never freed memory here. true when a reference was taken. */
bool vm_object_tryget(struct vm_object *obj);
void *vm_object_priv(const struct vm_object *obj);

/*
 * Unmaps, from every space that maps obj, the pages at object offsets at
 * or past off (rounded up to a page): shared pages, copy-on-write ones
 * and private copies alike (Linux's truncate_pagecache, even_cows), the
 * mappings themselves staying. For a pager whose pages from off on are
 * gone (a truncated file): call it once the pager no longer hands them
 * out, so that a later access asks again and gets the pager's error
 * (SIGBUS); a fault that got such a page before is not mapped after (the
 * object's generation moved: it asks again). Takes each space's lock in
 * turn and may allocate nothing; not with a spinlock held.
 */
void vm_object_cut(struct vm_object *obj, uint64_t off);

/*
 * Maps [va, va+len) of vs to obj from byte offset off (page aligned) on,
 * with protection prot, VM_MAP_SHARED or private; pages arrive on fault.
 * The mapping holds a reference to obj. -EINVAL for bad arguments (or
 * off + len overflowing), -EEXIST if anything is mapped in the range,
 * -ENOMEM.
 */
int vm_map_object(struct vm_space *vs, uintptr_t va, size_t len,
		  struct vm_object *obj, uint64_t off, unsigned prot,
		  unsigned flags);

#endif
