/*
 * User memory regions of a process (a "VMAR", after Zircon/Asterinas): the
 * list of address ranges the process may use, each with its protection and
 * how its pages come to be. The core maps pages; the vmar decides which
 * faults deserve a page. It installs itself as the address space's fault
 * handler: a fault inside an anonymous region with compatible access gets
 * a fresh zero page (demand paging), anything else is left to the process
 * loop, which kills the process.
 *
 * Regions never overlap, are page aligned and kept sorted. The program
 * break (brk) is one anonymous region that grows and shrinks.
 *
 * Locking: v->lock (a spinlock) guards the list and the break. Nothing
 * under it sleeps or touches user memory (faults taken by copy_*_user
 * take it); the vm_* calls made under it only take the space's own lock.
 */
#ifndef SVC_VMAR_H
#define SVC_VMAR_H

#include <keel/list.h>
#include <keel/sync.h>
#include <keel/types.h>

struct vm_space;

enum vmar_kind {
	VMAR_IMAGE, /* populated up front by its creator (program image) */
	VMAR_ANON,  /* demand-zero: pages appear when first touched */
};

struct vmar_region {
	struct list_head link;
	uintptr_t start, end; /* page aligned, start < end */
	unsigned prot;        /* VM_READ | VM_WRITE | VM_EXEC */
	enum vmar_kind kind;
	bool deny_write; /* a shared read-only file mapping: mprotect may
			  * not add VM_WRITE (-EACCES) */
	uint8_t tag;     /* VMAR_TAG_*: what the kernel put there */
};

/* Regions the kernel maps itself (named in /proc/self/maps; mremap may
 * move them whole but not resize them, as Linux's special mappings). */
#define VMAR_TAG_NONE 0
#define VMAR_TAG_VVAR 1 /* [vvar]: the vDSO's data page */
#define VMAR_TAG_VDSO 2 /* [vdso]: its code, starting with its ELF header */

struct vmar {
	struct vm_space *vs; /* not referenced: the owner holds the space */
	struct spinlock lock;
	struct list_head regions; /* sorted by start */
	uintptr_t brk_start;      /* page aligned */
	uintptr_t brk;            /* current break, brk_start <= brk */
};

/* Binds an empty vmar to vs and installs its fault handler. */
void vmar_init(struct vmar *v, struct vm_space *vs);

/* Frees every region and removes the fault handler; the mappings stay
 * (they go with the address space). */
void vmar_destroy(struct vmar *v);

/*
 * Adds the region [start, end). Maps nothing. Returns 0, -EINVAL if the
 * range is empty, unaligned or outside [user_va_min, user_va_max), -EEXIST
 * if it overlaps a region, -ENOMEM.
 */
int vmar_add(struct vmar *v, uintptr_t start, uintptr_t end, unsigned prot,
	     enum vmar_kind kind);

/* The region containing va, copied to *out. Returns 0 or -ENOENT. */
int vmar_lookup(struct vmar *v, uintptr_t va, struct vmar_region *out);

/*
 * The fault handler (vm_fault_handler_t, arg is the vmar): maps a zero page
 * (or a few around it) when va lies in an anonymous region whose
 * protection allows access. Returns 0, -EFAULT when it must not be
 * resolved, -ENOMEM.
 */
int vmar_fault(struct vm_space *vs, uintptr_t va, unsigned access, void *arg);

/*
 * mprotect (Linux semantics): sets the protection of [start, start+len),
 * splitting the regions it cuts, and of the pages mapped there; pages
 * demand paging has not filled yet get the new protection when they are.
 * Returns 0, -EINVAL (unaligned start, bad prot; nothing changed), or
 * -EACCES (VM_WRITE for a deny_write region; nothing changed), or
 * -ENOMEM when part of the range lies in no region (outside user space,
 * wrapping) or a split finds no memory. As Linux, -ENOMEM for a gap comes
 * after the regions before the gap were changed; when start itself is in
 * no region nothing changed. len 0 is 0.
 */
int vmar_protect(struct vmar *v, uintptr_t start, size_t len, unsigned prot);

/* Sets where the program break starts (page aligned, past the image);
 * call once, before the first vmar_brk. Returns 0 or -EINVAL. */
int vmar_brk_init(struct vmar *v, uintptr_t start);

/*
 * The brk system call (Linux semantics): moves the break to want and
 * returns the new break, or returns the current break unchanged when want
 * is 0, below the start, or would collide with another region or leave
 * the user range. Shrinking unmaps the released pages.
 */
uintptr_t vmar_brk(struct vmar *v, uintptr_t want);

/* Fixed mappings may not start below this (Linux's vm.mmap_min_addr). */
#define VMAR_MMAP_MIN_ADDR 65536ul

/* The lowest address a mapping may start at. */
uintptr_t vmar_mmap_floor(void);

/* The highest address a mapping placed by the kernel ends at (Linux's
 * mmap_base): searches go down from here. */
uintptr_t vmar_mmap_base(void);

/* vmar_mmap's how bits. */
#define VMAR_MAP_FIXED 0x1     /* at addr, replacing what is there */
#define VMAR_MAP_NOREPLACE 0x2 /* with FIXED: -EEXIST if anything is */
#define VMAR_MAP_POPULATE 0x4  /* map the pages now (best effort) */
#define VMAR_MAP_SHARED 0x8    /* shared memory: a file's pages, or
				* shmem.c's for anonymous memory; one set of
				* pages across fork */

/* What a file mapping shows (vmar_mmap): the file's memory object from
 * byte off (page aligned) on; deny_write for a MAP_SHARED mapping of a
 * file not open for writing, which mprotect may not make writable. */
struct vmar_file_src {
	struct vm_object *obj; /* the caller's reference: the mapping takes
				* its own */
	uint64_t off;
	bool deny_write;
};

/*
 * Adds a region of len bytes with prot and returns its start in *out:
 * anonymous demand-zero memory when file is NULL (VMAR_MAP_SHARED: one
 * shmem object that fork keeps shared), else file's object, private
 * (copy-on-write) or VMAR_MAP_SHARED. The caller has checked (page-aligned
 * addr and len, len > 0, a fixed range inside [vmar_mmap_floor(),
 * user_va_max()), off + len not wrapping). Without VMAR_MAP_FIXED addr is
 * a hint, used when that range is free, else the highest gap below the
 * mmap base is taken. Returns 0, -EEXIST (FIXED|NOREPLACE over a region),
 * -ENOMEM (no gap, no memory).
 */
int vmar_mmap(struct vmar *v, uintptr_t addr, size_t len, unsigned prot,
	      unsigned how, const struct vmar_file_src *file, uintptr_t *out);

/* An mremap request, checked by the caller (page-aligned old and new
 * lengths > 0; a fixed new_addr aligned, in user space and not
 * overlapping the old range; dontunmap only with maymove and equal
 * lengths). */
struct vmar_remap {
	uintptr_t old;
	size_t old_len, new_len;
	bool maymove, fixed, dontunmap;
	uintptr_t new_addr;
};

/*
 * mremap: shrinks in place, grows in place when the addresses after the
 * mapping are free, else moves it (with maymove) to a gap, or to new_addr
 * (fixed, replacing what is there). The new start goes to *out. Returns
 * 0, -EFAULT (old unmapped; growing or moving a range not within one
 * region), -ENOMEM (no room,
 * growth without maymove, no memory).
 */
int vmar_mremap(struct vmar *v, const struct vmar_remap *rq, uintptr_t *out);

/* munmap: removes [start, start+len) (checked by the caller) from the
 * regions and unmaps its pages; holes are fine. 0 or -ENOMEM. */
int vmar_munmap(struct vmar *v, uintptr_t start, size_t len);

/* 0 when every page of [start, end) lies in a region, else -ENOMEM (the
 * errno madvise, msync, mincore and mlock give for unmapped addresses). */
int vmar_check_mapped(struct vmar *v, uintptr_t start, uintptr_t end);

/*
 * MADV_DONTNEED: drops the pages of the anonymous regions in [start, end),
 * so they read as zero when next touched (demand paging). Image regions
 * keep their pages: their contents come from the program file, which a
 * fault cannot read back. -ENOMEM, after the regions were done, when part
 * of the range lies in no region.
 */
int vmar_dontneed(struct vmar *v, uintptr_t start, uintptr_t end);

/* ---- Limits (services/mm/limits.c) ----------------------------------
 * The calling process's soft limits, as Linux reads rlimit(): none for
 * a kernel task. */

/* -ENOMEM when v's regions plus bytes more would pass RLIMIT_AS, else 0.
 * Needs v->lock. */
int vmar_as_may_grow(struct vmar *v, uint64_t bytes);

/* The same for mapping [start, end): what is mapped there already does
 * not count twice (a MAP_FIXED replacement). Needs v->lock. */
int vmar_as_may_map(struct vmar *v, uintptr_t start, uintptr_t end);

/* The lowest address of r a fault may fill: r's start, or for the main
 * stack its top minus RLIMIT_STACK. Needs v->lock. */
uintptr_t vmar_fault_floor(struct vmar *v, const struct vmar_region *r);

/* ---- A process's memory (services/mm/mm_state.c) ------------------- */

struct proc;

/* A new empty address space *vs (one reference) with its vmar *v, for a
 * new program image. 0 or -ENOMEM. */
int mm_new(struct vm_space **vs, struct vmar **v);

/* Makes (vs, v) from mm_new p's memory, dropping p's old one (exec's
 * point of no return). */
void mm_install(struct proc *p, struct vm_space *vs, struct vmar *v);

/* Frees (vs, v) from mm_new that will not be installed. */
void mm_discard(struct vm_space *vs, struct vmar *v);

/* Makes dst (bound to a fork's copy of src's space, empty) hold a copy of
 * src's regions and break. 0 or -ENOMEM (dst then holds a part: destroy
 * it). */
int vmar_copy(struct vmar *dst, struct vmar *src);

/* ---- The vDSO (services/mm/vdso.c) ---------------------------------- */

/* Bytes of the vvar page and vDSO text together (<keel/vdso.h>). */
size_t vmar_vdso_span(void);

/* Maps the vDSO span at base (page aligned; see <keel/vdso.h>) as two
 * tagged image regions and returns the text's address (AT_SYSINFO_EHDR)
 * in *ehdr. 0, -EINVAL, -EEXIST (a region is there), -ENOMEM; nothing
 * changes on failure. */
int vmar_map_vdso(struct vmar *v, uintptr_t base, uintptr_t *ehdr);

/* The address of the vDSO's function name in v (wherever mremap moved
 * it), or 0 when the vDSO is not mapped whole (munmap) or has no such
 * function. */
uintptr_t vmar_vdso_symbol(struct vmar *v, const char *name);

/* A shared anonymous memory object of len bytes (page aligned), its
 * pages zero until touched (services/mm/shmem.c); NULL on -ENOMEM. */
struct vm_object;
struct vm_object *shmem_create(size_t len);

#endif
