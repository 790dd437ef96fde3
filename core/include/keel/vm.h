/*
 * Address spaces (the core's VmSpace): page tables plus the frames they
 * map, reference counted, with copy-on-write. Services decide *what* to map
 * (regions, mmap, the ELF loader); the core does the mapping and guarantees
 * that nothing but user pages within [user_va_min, user_va_max) is ever
 * reachable from user mode.
 *
 * What can be mapped: fresh zero pages (vm_map_zero), a given page handle
 * (vm_map_page, <keel/page.h>) and a pager-backed object whose pages come
 * on fault (vm_map_object, <keel/vm_object.h>). A mapping is private (a
 * write gives the space its own copy: copy-on-write) or VM_MAP_SHARED
 * (writes reach the page itself, and the page stays shared across fork
 * and vm_protect).
 *
 * All addresses and lengths must be page aligned (else -EINVAL) and inside
 * the user range (else -EINVAL). Functions return 0 or -errno; on failure
 * nothing changed unless stated otherwise. Every function takes the
 * space's spinlock itself: call none of them with it held (a pager or
 * fault handler is called without it).
 */
#ifndef KEEL_VM_H
#define KEEL_VM_H

#include <keel/types.h>

struct vm_space;
struct vm_page;
struct vm_object;

#define VM_READ 1u
#define VM_WRITE 2u
#define VM_EXEC 4u

/* Mapping flags. Without VM_MAP_SHARED a mapping is private. */
#define VM_MAP_SHARED 1u

/* NULL when memory runs out. The caller holds the only reference. */
struct vm_space *vm_space_create(void);
void vm_space_get(struct vm_space *vs);
/* Dropping the last reference tears the space down and frees every frame
 * and page table it alone held; pages and objects others hold survive. */
void vm_space_put(struct vm_space *vs);

/* Maps fresh zero-filled private frames over [va, va+len). -EEXIST if any
 * page is mapped or an object mapping overlaps, -ENOMEM when frames run
 * out (nothing stays mapped). */
int vm_map_zero(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot);

/*
 * Maps page pg at va with protection prot, VM_MAP_SHARED or private
 * (flags 0: user writes copy it first). The space takes a reference of its
 * own. -EEXIST if va is mapped or inside an object mapping, -ENOMEM when a
 * page table cannot be had, -EINVAL for bad flags.
 */
int vm_map_page(struct vm_space *vs, uintptr_t va, struct vm_page *pg,
		unsigned prot, unsigned flags);

/* Unmaps whatever is mapped in [va, va+len) (holes are fine), object
 * mappings included (cut where the range ends inside one). -ENOMEM only
 * when such a cut splits a mapping in two and no memory is left. */
int vm_unmap(struct vm_space *vs, uintptr_t va, size_t len);

/*
 * Changes the protection of every page mapped in the range and of the
 * object mappings there (split where the range ends inside one). Holes
 * stay holes: the core cannot tell a page demand paging has not filled
 * yet from an address nothing is meant to be at, so mprotect's -ENOMEM
 * for the latter is the services' (vmar_protect). Shared pages stay
 * shared and writable if prot says so; private pages others still hold
 * become copy-on-write. -ENOMEM when a split finds no memory.
 */
int vm_protect(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot);

/* Is the page at va (any alignment) mapped? Sets *prot (may be NULL);
 * -ENOENT if not, -EINVAL outside the user range. */
int vm_query(struct vm_space *vs, uintptr_t va, unsigned *prot);

/* One run of pages in the same state, as vm_query_extent reports it. */
struct vm_extent {
	uintptr_t start, end; /* [start, end) */
	bool present;         /* pages are mapped there; else a hole */
	unsigned prot;        /* VM_* of the pages, when present */
};

/*
 * Describes the run that starts at va and ends before end at the latest:
 * mapped pages with one protection, or a hole (no page; a page of an
 * object mapping not faulted in yet is a hole too). Loop with
 * va = out->end to list a range. -EINVAL unless va < end are page aligned
 * in the user range.
 */
int vm_query_extent(struct vm_space *vs, uintptr_t va, uintptr_t end,
		    struct vm_extent *out);

/*
 * Moves what [from, from+len) maps to [to, to+len) (mremap): pages keep
 * their frames, protection and sharing, holes stay holes, object mappings
 * move with them; the old range is left unmapped. -EINVAL if the ranges
 * overlap, -EEXIST if anything is mapped at the destination, -ENOMEM
 * (nothing moved) when page tables or mapping records cannot be had.
 */
int vm_move(struct vm_space *vs, uintptr_t from, size_t len, uintptr_t to);

/* A copy of src for fork: private pages are shared copy-on-write, shared
 * ones stay shared (writable in both), object mappings are copied. */
int vm_space_fork(struct vm_space *src, struct vm_space **out);

/*
 * Reads or writes the memory of vs from the kernel regardless of page
 * protection (as the ELF loader and ptrace need); -EFAULT if any page in
 * the range is not mapped. Writes break copy-on-write sharing first
 * (shared mappings are written in place).
 */
int vm_read(struct vm_space *vs, uintptr_t va, void *buf, size_t len);
int vm_write(struct vm_space *vs, uintptr_t va, const void *buf, size_t len);

/*
 * A services-provided handler for faults the core cannot resolve itself
 * (not-present pages outside object mappings, say, for demand paging).
 * Called in the faulting task's context, for user faults and for uaccess
 * from the kernel alike; returns 0 once va is mapped so that the access
 * can be retried, or -EFAULT. va is the exact address; access is
 * USER_ACCESS_*.
 */
typedef int (*vm_fault_handler_t)(struct vm_space *vs, uintptr_t va,
				  unsigned access, void *arg);
void vm_set_fault_handler(struct vm_space *vs, vm_fault_handler_t fn,
			  void *arg);

/*
 * Futex keys: what identifies a futex word. A private key is (space,
 * address); a shared one is (object, offset) inside a shared object
 * mapping, or (page, offset) on a page mapped VM_MAP_SHARED, so the same
 * shared word has one key at every address and in every space. Compare
 * with vm_futex_key_equal. Keys hold no references; the ids in them are
 * never reused.
 */
struct vm_futex_key {
	unsigned kind; /* VM_FUTEX_KEY_* */
	uint64_t id;   /* space or object id; page: its physical address */
	uint64_t off;  /* address, or byte offset in the object or page */
};

#define VM_FUTEX_KEY_PRIVATE 1u
#define VM_FUTEX_KEY_OBJECT 2u
#define VM_FUTEX_KEY_PAGE 3u

/*
 * The key of the 32-bit word at uaddr of vs. With shared false (Linux's
 * FUTEX_PRIVATE_FLAG) always the private key; with shared true the shared
 * key where the word is in shared memory, else the private one (private
 * memory has no other sharer). -EINVAL if uaddr is not 4-byte aligned,
 * -EFAULT outside the user range.
 */
int vm_futex_key(struct vm_space *vs, uintptr_t uaddr, bool shared,
		 struct vm_futex_key *key);
bool vm_futex_key_equal(const struct vm_futex_key *a,
			const struct vm_futex_key *b);

/* Frames in use by this space (for tests and /proc). */
size_t vm_space_frames(const struct vm_space *vs);

/* Free frames in the whole machine (for tests and meminfo). */
size_t frames_free(void);
/* Frames the allocator manages in all (meminfo's MemTotal, sysinfo's
 * totalram). */
size_t frames_total(void);

#endif
