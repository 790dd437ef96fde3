/*
 * Page tables: one generic walker (pt.c) over a format descriptor that
 * says how many levels a table tree has, how many index bits each level
 * takes, and how to encode and decode an entry. Two formats exist, both
 * always compiled: x86-64 4-level (pt_x86_64.c) and RISC-V Sv39
 * (pt_sv39.c); pt_active() is the one the machine uses.
 *
 * Leaf entries are described by generic PT_* flags; PT_READ/WRITE/EXEC
 * have the values of VM_* and HAL_PROT_*. A leaf without any of the three
 * is still "mapped" (it keeps its frame) but not present to the hardware:
 * that is how PROT_NONE pages are kept. Table pages are frames of the
 * global pool tagged FRAME_PTABLE, reached through hal_phys_to_virt; each
 * one counts its valid entries in its frame metadata so that tables that
 * become empty are freed at once.
 *
 * None of these functions lock: the caller (an address space) serialises
 * changes to one tree.
 */
#ifndef CORE_MM_PT_H
#define CORE_MM_PT_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/hal.h>
#include <keel/types.h>

#define PT_READ 0x01u
#define PT_WRITE 0x02u
#define PT_EXEC 0x04u
#define PT_USER 0x08u
#define PT_ACCESSED 0x10u
#define PT_DIRTY 0x20u
#define PT_GLOBAL 0x40u
#define PT_COW 0x80u    /* software: shared, writable once copied */
#define PT_SHARED 0x100u /* software: a shared mapping, never copied */
#define PT_PROT_MASK (PT_READ | PT_WRITE | PT_EXEC)

typedef uint64_t pte_t;

struct pt_format {
	const char *name;
	unsigned levels;     /* table levels, root = levels - 1, leaf = 0 */
	unsigned index_bits; /* bits of the address each level consumes */
	unsigned va_bits;    /* canonical: bits va_bits-1..63 all equal */
	unsigned pa_bits;    /* physical addresses below 2^pa_bits */
	pte_t (*make_leaf)(hal_paddr_t pa, unsigned flags);
	pte_t (*make_table)(hal_paddr_t pa);
	/* Something is there: a table, a present leaf, an inaccessible leaf. */
	bool (*is_valid)(pte_t pte);
	/* A valid entry at level is a leaf (not a pointer to a table). */
	bool (*is_leaf)(pte_t pte, unsigned level);
	hal_paddr_t (*pte_pa)(pte_t pte);
	unsigned (*leaf_flags)(pte_t pte); /* PT_* */
};

extern const struct pt_format pt_format_x86_64;
extern const struct pt_format pt_format_sv39;

/* The format of this build's machine (HAL_PT_X86_64 or HAL_PT_SV39). */
const struct pt_format *pt_active(void);

/* One past the highest address of the lower (user) half. */
uintptr_t pt_user_limit(const struct pt_format *fmt);

/* Is va canonical for fmt? */
bool pt_canonical(const struct pt_format *fmt, uintptr_t va);

/* A new, empty root table, or 0 when memory ran out. */
hal_paddr_t pt_root_alloc(void);

/*
 * Maps the page at va to pa with PT_* flags, creating tables as needed.
 * Returns -EINVAL for a misaligned or non-canonical va or a pa the format
 * cannot hold, -EEXIST if va is mapped, -ENOMEM when a table page cannot
 * be had (tables created for this call are freed again).
 */
int pt_map(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	   hal_paddr_t pa, unsigned flags);

/* The translation of va (any alignment): page-aligned *pa and *flags
 * (either may be NULL). -ENOENT if not mapped, -EINVAL if non-canonical. */
int pt_lookup(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	      hal_paddr_t *pa, unsigned *flags);

/* Replaces the leaf at va (page aligned) with pa and flags. -ENOENT if
 * not mapped, -EINVAL as for pt_map. */
int pt_update(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	      hal_paddr_t pa, unsigned flags);

/* Clears the leaf at va (page aligned), returning what it held in *pa and
 * *flags (either may be NULL), and frees tables left empty. -ENOENT if not
 * mapped, -EINVAL for a misaligned or non-canonical va. */
int pt_unmap(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	     hal_paddr_t *pa, unsigned *flags);

/* One leaf shown to a pt_walk callback. */
struct pt_leaf {
	uintptr_t va;
	hal_paddr_t pa;
	unsigned flags; /* PT_* */
	/* private to the walker */
	const struct pt_format *fmt;
	pte_t *pte;
};

/* From a pt_walk callback: replaces / clears the leaf it was shown (so the
 * callback can flush the TLB and release the frame afterwards, in that
 * order). pt_leaf_set panics on a pa the format cannot hold. */
void pt_leaf_set(struct pt_leaf *leaf, hal_paddr_t pa, unsigned flags);
void pt_leaf_clear(struct pt_leaf *leaf);

/* Returns 0 to go on, or a negative errno to stop the walk. */
typedef int (*pt_walk_fn)(struct pt_leaf *leaf, void *arg);

/*
 * Calls fn for every mapped page in [lo, hi), in address order, skipping
 * empty tables. lo and hi must be page aligned with lo < hi <= the user
 * limit (else -EINVAL). Tables emptied by pt_leaf_clear are freed.
 * Returns 0 or the first negative value fn returned.
 */
int pt_walk(const struct pt_format *fmt, hal_paddr_t root, uintptr_t lo,
	    uintptr_t hi, pt_walk_fn fn, void *arg);

/*
 * Frees every table page below the root entries that cover any of
 * [lo, hi) and clears those entries; leaves' frames are not touched (the
 * caller unmapped them first). Root entries outside the range, such as the
 * kernel half a backend copied in, are left alone. The root itself stays.
 */
void pt_free_tables(const struct pt_format *fmt, hal_paddr_t root,
		    uintptr_t lo, uintptr_t hi);

/* Frees the root page itself (after pt_free_tables). */
void pt_root_free(hal_paddr_t root);

#endif
