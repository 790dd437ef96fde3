/*
 * The generic page-table walker. It knows nothing of any machine: the
 * format descriptor (pt_x86_64.c, pt_sv39.c) says how many levels there
 * are, how an address splits into indices and how entries are encoded.
 *
 * Each table page counts its valid entries in its struct frame (`count`),
 * so a table whose last entry goes away is freed at once and its parent
 * entry cleared: unmapping everything leaves only the root.
 */
#include "mm/pt.h"

#include <keel/errno.h>
#include <keel/log.h>
#include <keel/string.h>

#include "mm/frame.h"

static unsigned level_shift(const struct pt_format *fmt, unsigned level)
{
	return HAL_PAGE_SHIFT + level * fmt->index_bits;
}

static size_t pt_index(const struct pt_format *fmt, uintptr_t va,
		       unsigned level)
{
	return (va >> level_shift(fmt, level)) &
	       ((1ul << fmt->index_bits) - 1);
}

static pte_t *table_of(hal_paddr_t pa)
{
	return hal_phys_to_virt(pa);
}

static struct frame *table_meta(hal_paddr_t pa)
{
	struct frame *f = frame_meta(pa);

	kassert(f && (f->flags & FRAME_PTABLE));
	return f;
}

static void count_inc(hal_paddr_t table)
{
	table_meta(table)->count++;
}

static void count_dec(hal_paddr_t table)
{
	struct frame *f = table_meta(table);

	kassert(f->count > 0);
	f->count--;
}

static hal_paddr_t table_alloc(void)
{
	hal_paddr_t pa = frame_alloc_tagged(0, FRAME_PTABLE);

	if (pa)
		memset(hal_phys_to_virt(pa), 0, HAL_PAGE_SIZE);
	return pa;
}

bool pt_canonical(const struct pt_format *fmt, uintptr_t va)
{
	intptr_t top = (intptr_t)va >> (fmt->va_bits - 1);

	return top == 0 || top == -1;
}

uintptr_t pt_user_limit(const struct pt_format *fmt)
{
	return (uintptr_t)1 << (fmt->va_bits - 1);
}

hal_paddr_t pt_root_alloc(void)
{
	return table_alloc();
}

void pt_root_free(hal_paddr_t root)
{
	frame_free(root);
}

static bool pa_ok(const struct pt_format *fmt, hal_paddr_t pa)
{
	return IS_ALIGNED(pa, HAL_PAGE_SIZE) && (pa >> fmt->pa_bits) == 0;
}

/*
 * Frees the tables on va's path that are empty, from path[level] upwards,
 * clearing their parent entries; the root stays.
 */
static void prune(const struct pt_format *fmt, const hal_paddr_t *path,
		  uintptr_t va, unsigned level)
{
	for (; level + 1 < fmt->levels; level++) {
		hal_paddr_t parent = path[level + 1];

		if (table_meta(path[level])->count != 0)
			break;
		table_of(parent)[pt_index(fmt, va, level + 1)] = 0;
		count_dec(parent);
		frame_free(path[level]);
	}
}

/* The deepest format has this many levels (path[] arrays hold one table
 * per level). */
#define PT_MAX_LEVELS 5

/*
 * Descends from root to the leaf table of va, filling path[level] with the
 * table at each level, and points *leafp at va's entry there. With create,
 * missing tables are allocated. Returns -ENOENT (a table is missing and
 * !create), -ENOMEM (tables made so far freed again) or -EEXIST (a large
 * page covers va).
 */
static int descend(const struct pt_format *fmt, hal_paddr_t root,
		   uintptr_t va, bool create, hal_paddr_t *path,
		   pte_t **leafp)
{
	unsigned level = fmt->levels - 1;

	path[level] = root;
	for (; level > 0; level--) {
		pte_t *e = &table_of(path[level])[pt_index(fmt, va, level)];

		if (!fmt->is_valid(*e)) {
			hal_paddr_t t;

			if (!create)
				return -ENOENT;
			t = table_alloc();
			if (!t) {
				prune(fmt, path, va, level);
				return -ENOMEM;
			}
			*e = fmt->make_table(t);
			count_inc(path[level]);
		} else if (fmt->is_leaf(*e, level)) {
			return create ? -EEXIST : -ENOENT;
		}
		path[level - 1] = fmt->pte_pa(*e);
	}
	*leafp = &table_of(path[0])[pt_index(fmt, va, 0)];
	return 0;
}

/* Is va a page address fmt can translate (page aligned, canonical)? */
static bool page_va_ok(const struct pt_format *fmt, uintptr_t va)
{
	return IS_ALIGNED(va, HAL_PAGE_SIZE) && pt_canonical(fmt, va);
}

/*
 * Finds the valid leaf entry of va without creating tables, filling path
 * as descend() does. va must be canonical and, with whole_page, page
 * aligned (else -EINVAL). Returns -ENOENT when va is not mapped.
 */
static int find_leaf(const struct pt_format *fmt, hal_paddr_t root,
		     uintptr_t va, bool whole_page, hal_paddr_t *path,
		     pte_t **leafp)
{
	int err;

	if (whole_page ? !page_va_ok(fmt, va) : !pt_canonical(fmt, va))
		return -EINVAL;
	err = descend(fmt, root, va, false, path, leafp);
	if (err)
		return err;
	return fmt->is_valid(**leafp) ? 0 : -ENOENT;
}

/* Reports what the leaf entry pte holds (either pointer may be NULL). */
static void read_leaf(const struct pt_format *fmt, pte_t pte,
		      hal_paddr_t *pa, unsigned *flags)
{
	if (pa)
		*pa = fmt->pte_pa(pte);
	if (flags)
		*flags = fmt->leaf_flags(pte);
}

int pt_map(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	   hal_paddr_t pa, unsigned flags)
{
	hal_paddr_t path[PT_MAX_LEVELS];
	pte_t *leaf;
	int err;

	if (!page_va_ok(fmt, va) || !pa_ok(fmt, pa))
		return -EINVAL;
	err = descend(fmt, root, va, true, path, &leaf);
	if (err)
		return err;
	if (fmt->is_valid(*leaf))
		return -EEXIST;
	*leaf = fmt->make_leaf(pa, flags);
	count_inc(path[0]);
	return 0;
}

int pt_lookup(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	      hal_paddr_t *pa, unsigned *flags)
{
	hal_paddr_t path[PT_MAX_LEVELS];
	pte_t *leaf;
	int err;

	err = find_leaf(fmt, root, va, false, path, &leaf);
	if (err)
		return err;
	read_leaf(fmt, *leaf, pa, flags);
	return 0;
}

int pt_update(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	      hal_paddr_t pa, unsigned flags)
{
	hal_paddr_t path[PT_MAX_LEVELS];
	pte_t *leaf;
	int err;

	if (!pa_ok(fmt, pa))
		return -EINVAL;
	err = find_leaf(fmt, root, va, true, path, &leaf);
	if (err)
		return err;
	*leaf = fmt->make_leaf(pa, flags);
	return 0;
}

int pt_unmap(const struct pt_format *fmt, hal_paddr_t root, uintptr_t va,
	     hal_paddr_t *pa, unsigned *flags)
{
	hal_paddr_t path[PT_MAX_LEVELS];
	pte_t *leaf;
	int err;

	err = find_leaf(fmt, root, va, true, path, &leaf);
	if (err)
		return err;
	read_leaf(fmt, *leaf, pa, flags);
	*leaf = 0;
	count_dec(path[0]);
	prune(fmt, path, va, 0);
	return 0;
}

struct walk {
	const struct pt_format *fmt;
	uintptr_t lo, hi;
	pt_walk_fn fn;
	void *arg;
};

void pt_leaf_set(struct pt_leaf *leaf, hal_paddr_t pa, unsigned flags)
{
	kassert(pa_ok(leaf->fmt, pa));
	*leaf->pte = leaf->fmt->make_leaf(pa, flags);
	leaf->pa = pa;
	leaf->flags = flags;
}

void pt_leaf_clear(struct pt_leaf *leaf)
{
	*leaf->pte = 0;
}

/* Shows the leaf *e (at va, in table tpa) to the callback and keeps the
 * table's entry count right if the callback cleared it. */
static int walk_leaf(struct walk *w, hal_paddr_t tpa, pte_t *e, uintptr_t va)
{
	struct pt_leaf leaf = {
		.va = va,
		.pa = w->fmt->pte_pa(*e),
		.flags = w->fmt->leaf_flags(*e),
		.fmt = w->fmt,
		.pte = e,
	};
	int r = w->fn(&leaf, w->arg);

	if (!w->fmt->is_valid(*e))
		count_dec(tpa);
	return r;
}

/* Walks the entries of table tpa (at level, mapping from base) that
 * intersect [w->lo, w->hi), freeing child tables left empty. */
static int walk_table(struct walk *w, hal_paddr_t tpa, unsigned level,
		      uintptr_t base)
{
	const struct pt_format *fmt = w->fmt;
	unsigned shift = level_shift(fmt, level);
	size_t first = (MAX(w->lo, base) - base) >> shift;
	size_t last = (w->hi - 1 - base) >> shift;
	pte_t *t = table_of(tpa);

	last = MIN(last, (1ul << fmt->index_bits) - 1);
	for (size_t i = first; i <= last; i++) {
		uintptr_t va = base + ((uintptr_t)i << shift);
		hal_paddr_t child;
		int r;

		if (!fmt->is_valid(t[i]))
			continue;
		if (level == 0) {
			r = walk_leaf(w, tpa, &t[i], va);
		} else if (!fmt->is_leaf(t[i], level)) {
			child = fmt->pte_pa(t[i]);
			r = walk_table(w, child, level - 1, va);
			if (table_meta(child)->count == 0) {
				t[i] = 0;
				count_dec(tpa);
				frame_free(child);
			}
		} else {
			continue; /* a large page: never ours */
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static bool range_ok(const struct pt_format *fmt, uintptr_t lo, uintptr_t hi)
{
	return IS_ALIGNED(lo, HAL_PAGE_SIZE) && IS_ALIGNED(hi, HAL_PAGE_SIZE) &&
	       lo < hi && hi <= pt_user_limit(fmt);
}

int pt_walk(const struct pt_format *fmt, hal_paddr_t root, uintptr_t lo,
	    uintptr_t hi, pt_walk_fn fn, void *arg)
{
	struct walk w = { fmt, lo, hi, fn, arg };

	if (!range_ok(fmt, lo, hi))
		return -EINVAL;
	return walk_table(&w, root, fmt->levels - 1, 0);
}

/* Frees table tpa at level and every table below it. */
static void free_subtree(const struct pt_format *fmt, hal_paddr_t tpa,
			 unsigned level)
{
	pte_t *t = table_of(tpa);

	if (level > 0) {
		for (size_t i = 0; i < (1ul << fmt->index_bits); i++)
			if (fmt->is_valid(t[i]) && !fmt->is_leaf(t[i], level))
				free_subtree(fmt, fmt->pte_pa(t[i]),
					     level - 1);
	}
	frame_free(tpa);
}

void pt_free_tables(const struct pt_format *fmt, hal_paddr_t root,
		    uintptr_t lo, uintptr_t hi)
{
	unsigned top = fmt->levels - 1;
	pte_t *t = table_of(root);

	kassert(range_ok(fmt, lo, hi));
	for (size_t i = pt_index(fmt, lo, top);
	     i <= pt_index(fmt, hi - 1, top); i++) {
		if (!fmt->is_valid(t[i]) || fmt->is_leaf(t[i], top))
			continue;
		free_subtree(fmt, fmt->pte_pa(t[i]), top - 1);
		t[i] = 0;
		count_dec(root);
	}
}
