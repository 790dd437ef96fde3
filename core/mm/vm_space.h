/*
 * The inside of an address space, shared by the files of core/mm that
 * implement <keel/vm.h> (vm.c, vm_range.c, vm_cow.c, vm_object.c,
 * vm_batch.c) and by
 * uaccess.c, which walks it to reach user memory.
 */
#ifndef CORE_MM_VM_SPACE_H
#define CORE_MM_VM_SPACE_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/hal.h>
#include <keel/list.h>
#include <keel/sync.h>
#include <keel/vm.h>

#include "mm/pt.h"

struct vm_space {
	struct spinlock lock; /* guards the tables, nframes, maps, handler */
	const struct pt_format *fmt;
	hal_paddr_t root;
	struct hal_as as;
	unsigned refs;        /* atomic */
	uint64_t id;          /* unique for the machine's lifetime */
	size_t nframes;       /* pages mapped (shared ones count in each) */
	struct list_head maps; /* struct vm_map, sorted, not overlapping */
	vm_fault_handler_t fault_fn;
	void *fault_arg;
};

/*
 * An object mapping: [start, end) of the space shows the object from
 * byte offset off on. Pages come from the object's pager on fault; the
 * page tables say which are present.
 */
struct vm_map {
	struct list_head link;
	uintptr_t start, end;
	struct vm_object *obj; /* holds a reference */
	uint64_t off;          /* page aligned */
	unsigned prot;         /* VM_* */
	unsigned flags;        /* VM_MAP_* */
	/* On obj's list of mappings (obj's lock) from vm_map_attach to
	 * vm_maps_release, with the space it is in (not counted) and the
	 * last vm_object_cut that dealt with it. */
	struct list_head obj_link;
	struct vm_space *vs;
	uint64_t cut_gen;
};

/* Would user code be allowed an access (USER_ACCESS_*) to a page whose
 * leaf has PT_* flags? */
bool vm_access_ok(unsigned flags, unsigned access);

/* Is [va, va+len) inside the user range, without wrapping? (len > 0) */
bool vm_user_range(uintptr_t va, size_t len);

/* -EINVAL unless [va, va+len) is a page-aligned part of the user range
 * (len 0 is fine inside it). */
int vm_check_range(uintptr_t va, size_t len);

/* The leaf flags (PT_*) for a user page with protection prot (VM_*),
 * shared (VM_MAP_SHARED) or private, whose frame is held by someone else
 * as well (shared_frame): a private writable page then is copy-on-write. */
unsigned vm_leaf_flags(unsigned prot, unsigned map_flags, bool shared_frame);

/* vm_check_range, and -EINVAL for a protection with bits beyond VM_*. */
int vm_check_range_prot(uintptr_t va, size_t len, unsigned prot);

/* Is anything (a page, an object mapping) in [va, va+len)? vs->lock. */
bool vm_range_busy(struct vm_space *vs, uintptr_t va, size_t len);

/* Pages mapped in [va, va+len) (page aligned). Needs vs->lock. */
size_t vm_mapped_pages(struct vm_space *vs, uintptr_t va, size_t len);

/* A fresh unique id for a space or an object (never 0). */
uint64_t vm_new_id(void);

/* ---- TLB batches (vm_batch.c) ---------------------------------------- */

#define VM_BATCH_FRAMES 64 /* 512 bytes of stack */

/*
 * The core's side of the TLB contract (docs/hal.md). An operation that
 * changes PTEs of vs under vs->lock reports each change to a batch:
 * removals are merged into contiguous runs for one hal_tlb_invalidate
 * each, and frames that lost a mapping are parked. vm_batch_finish calls
 * hal_tlb_flush once and only then drops the parked frames' references.
 * A full batch flushes early; all of it needs vs->lock.
 */
struct vm_batch {
	struct vm_space *vs;
	uintptr_t run_lo, run_hi; /* removals not yet told to the HAL */
	bool dirty;               /* TLB calls since the last flush */
	unsigned nframes;
	hal_paddr_t frames[VM_BATCH_FRAMES];
};

void vm_batch_init(struct vm_batch *b, struct vm_space *vs);
/* The page at va now has leaf flags (PT_*) and frame pa: an update, or a
 * removal when the flags grant no access. */
void vm_batch_set(struct vm_batch *b, uintptr_t va, hal_paddr_t pa,
		  unsigned flags);
/* The page at va no longer maps anything. */
void vm_batch_clear(struct vm_batch *b, uintptr_t va);
/* Drops a reference to pa once the TLB no longer reaches it. */
void vm_batch_put(struct vm_batch *b, hal_paddr_t pa);
void vm_batch_finish(struct vm_batch *b);

/* Unmaps the pages of [va, va+len) of b's space into b. Needs the
 * space's lock. */
void vm_unmap_pages(struct vm_batch *b, uintptr_t va, size_t len);

/* ---- Copy-on-write and faults (vm_cow.c) ----------------------------- */

/*
 * Gives the page at va (mapped to pa with flags) a frame nobody else
 * holds, copying it if it is shared; a COW page becomes writable. Shared
 * mappings (PT_SHARED) are left alone. Returns 0 or -ENOMEM (nothing
 * changed). Needs vs->lock.
 */
int vm_unshare_page(struct vm_space *vs, struct vm_batch *b, uintptr_t va,
		    hal_paddr_t pa, unsigned flags);

/* ---- Object mappings (vm_object.c) ----------------------------------- */

/* The object mapping containing va, or NULL. Needs vs->lock. */
struct vm_map *vm_map_find(struct vm_space *vs, uintptr_t va);

/* Does any object mapping overlap [va, va+len)? Needs vs->lock. */
bool vm_maps_overlap(struct vm_space *vs, uintptr_t va, size_t len);

/*
 * Removes [va, va+len) from the object mappings, trimming or splitting
 * those it cuts; spare is a zeroed struct vm_map for the one split that
 * may be needed (the function returns whether it used it). The dropped
 * object references are put after vs->lock is released: they are moved
 * to *dead (a list the caller passes to vm_maps_release).
 */
bool vm_maps_cut(struct vm_space *vs, uintptr_t va, size_t len,
		 struct vm_map *spare, struct list_head *dead);

/* Puts m (a new mapping of m->obj, copied or made) on its object's
 * list as a mapping in vs, so that vm_object_cut finds vs. Needs
 * vs->lock (or vs private to the caller); takes the object's lock. */
void vm_map_attach(struct vm_map *m, struct vm_space *vs);

/* Takes a reference to vs unless its last one is gone (a space being
 * torn down); true when it did. */
bool vm_space_tryget(struct vm_space *vs);

/* Puts the mappings on dead (object references included). No lock. */
void vm_maps_release(struct list_head *dead);

/* Copies every object mapping of src into dst (fork). -ENOMEM leaves dst
 * with a prefix. Needs src->lock; dst must be private to the caller. */
int vm_maps_fork(struct vm_space *src, struct vm_space *dst);

/*
 * Fills the hole at page va from an object mapping, if one covers it:
 * asks the pager for the page (without vs->lock) and maps it. Returns 0
 * when the access may be retried, -ENOENT when no mapping covers va,
 * -EFAULT when the mapping forbids the access, -ENOMEM, or the pager's
 * error. Called without vs->lock.
 */
int vm_object_fault(struct vm_space *vs, uintptr_t va, unsigned access);

#endif
