/*
 * Unit tests of the page-table formats and the generic walker
 * (core/mm/pt*.c). The encodings are checked against the bit values of
 * the Intel SDM (x86-64) and the RISC-V privileged spec (Sv39); the walker
 * tests run once per format (Check loop tests, _i indexes formats[]),
 * since both formats are compiled into every build.
 */
#include "unit.h"
#include "mm_fixtures.h"

#include <stdlib.h>

#include "mm/frame.h"
#include "mm/pt.h"

#include <keel/errno.h>
#include <keel/vm.h>

static const struct pt_format *const formats[] = { &pt_format_x86_64,
						   &pt_format_sv39 };

#define PG HAL_PAGE_SIZE

/* Hardware bit values, written out from the specifications. */
#define X86_P (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_US (1ull << 2)
#define X86_A (1ull << 5)
#define X86_D (1ull << 6)
#define X86_PS (1ull << 7)
#define X86_SW_BITS (7ull << 9)
#define X86_NX (1ull << 63)
#define X86_ADDR 0x000ffffffffff000ull

#define SV_V (1ull << 0)
#define SV_R (1ull << 1)
#define SV_W (1ull << 2)
#define SV_X (1ull << 3)
#define SV_U (1ull << 4)
#define SV_G (1ull << 5)
#define SV_A (1ull << 6)
#define SV_D (1ull << 7)
#define SV_RSW (3ull << 8)

/* An address with index level+1 at every level: every level's index is
 * non-zero and different. */
static uintptr_t every_level_va(const struct pt_format *fmt)
{
	uintptr_t va = 0;

	for (unsigned l = 0; l < fmt->levels; l++)
		va |= (uintptr_t)(l + 1) << (12 + fmt->index_bits * l);
	return va;
}

/* The span one root entry covers. */
static uintptr_t top_span(const struct pt_format *fmt)
{
	return (uintptr_t)1 << (12 + fmt->index_bits * (fmt->levels - 1));
}

START_TEST(x86_leaf_bits_match_the_sdm)
{
	const struct pt_format *f = &pt_format_x86_64;
	hal_paddr_t pa = 0x123456000ull;
	pte_t rw, rx, cow;

	rw = f->make_leaf(pa, PT_READ | PT_WRITE | PT_USER | PT_ACCESSED |
				      PT_DIRTY);
	ck_assert_uint_eq(rw, pa | X86_P | X86_RW | X86_US | X86_A | X86_D |
				      X86_NX);
	rx = f->make_leaf(pa, PT_READ | PT_EXEC | PT_USER);
	ck_assert_uint_eq(rx, pa | X86_P | X86_US);
	ck_assert_uint_eq(f->make_leaf(pa, PT_READ), pa | X86_P | X86_NX);
	/* COW is one software bit, inside 9..11. */
	cow = f->make_leaf(pa, PT_READ | PT_COW) ^ f->make_leaf(pa, PT_READ);
	ck_assert_uint_eq(__builtin_popcountll(cow), 1);
	ck_assert_uint_eq(cow & ~X86_SW_BITS, 0);
	/* No access: not present, but the frame and user bit are kept. */
	ck_assert_uint_eq(f->make_leaf(pa, PT_USER) & X86_P, 0);
	ck_assert_uint_eq(f->make_leaf(pa, PT_USER) & X86_ADDR, pa);
	ck_assert(f->is_valid(f->make_leaf(pa, PT_USER)));
	ck_assert(!f->is_valid(0));
	ck_assert_uint_eq(f->pte_pa(rw), pa);
}
END_TEST

START_TEST(x86_tables_and_address_bits)
{
	const struct pt_format *f = &pt_format_x86_64;
	hal_paddr_t top = X86_ADDR; /* every address bit, 12..51 */
	pte_t t = f->make_table(0x5000);

	ck_assert_uint_eq(t, 0x5000 | X86_P | X86_RW | X86_US);
	ck_assert(!f->is_leaf(t, 1));
	ck_assert(f->is_leaf(t | X86_PS, 1)); /* a 2 MiB page */
	ck_assert(f->is_leaf(f->make_leaf(0x5000, PT_READ), 0));
	ck_assert_uint_eq(f->make_leaf(top, PT_READ) & X86_ADDR, top);
	ck_assert_uint_eq(f->pte_pa(f->make_leaf(top, PT_READ)), top);
	ck_assert_uint_eq(f->pte_pa(f->make_table(top)), top);
	ck_assert_uint_eq(f->levels, 4);
	ck_assert_uint_eq(f->index_bits, 9);
	ck_assert_uint_eq(pt_user_limit(f), 0x800000000000ull);
}
END_TEST

START_TEST(sv39_leaf_bits_match_the_spec)
{
	const struct pt_format *f = &pt_format_sv39;
	hal_paddr_t pa = 0x80201000ull;
	pte_t ppn = (pa >> 12) << 10, cow;

	ck_assert_uint_eq(f->make_leaf(pa, PT_READ | PT_WRITE | PT_USER |
						   PT_ACCESSED | PT_DIRTY),
			  ppn | SV_V | SV_R | SV_W | SV_U | SV_A | SV_D);
	ck_assert_uint_eq(f->make_leaf(pa, PT_EXEC), ppn | SV_V | SV_X);
	ck_assert_uint_eq(f->make_leaf(pa, PT_READ | PT_GLOBAL),
			  ppn | SV_V | SV_R | SV_G);
	/* W without R is reserved: a writable page is readable. */
	ck_assert_uint_eq(f->make_leaf(pa, PT_WRITE), ppn | SV_V | SV_R | SV_W);
	cow = f->make_leaf(pa, PT_READ | PT_COW) ^ f->make_leaf(pa, PT_READ);
	ck_assert_uint_eq(__builtin_popcountll(cow), 1);
	ck_assert_uint_eq(cow & ~SV_RSW, 0);
	ck_assert_uint_eq(f->make_leaf(pa, PT_USER) & SV_V, 0);
	ck_assert(f->is_valid(f->make_leaf(pa, PT_USER)));
	ck_assert_uint_eq(f->pte_pa(f->make_leaf(pa, PT_USER)), pa);
}
END_TEST

START_TEST(sv39_tables_and_address_bits)
{
	const struct pt_format *f = &pt_format_sv39;
	hal_paddr_t top = ((1ull << 44) - 1) << 12; /* 56-bit physical */
	pte_t t = f->make_table(0x80400000ull);

	/* A pointer to the next level: V only, R=W=X=0, U=A=D=0. */
	ck_assert_uint_eq(t, ((0x80400000ull >> 12) << 10) | SV_V);
	ck_assert(!f->is_leaf(t, 2));
	ck_assert(!f->is_leaf(t, 1));
	ck_assert(f->is_leaf(f->make_leaf(0x1000, PT_READ), 2));
	ck_assert_uint_eq(f->pte_pa(f->make_leaf(top, PT_READ)), top);
	ck_assert_uint_eq(f->make_leaf(top, PT_READ) >> 54, 0);
	ck_assert_uint_eq(f->levels, 3);
	ck_assert_uint_eq(pt_user_limit(f), 0x4000000000ull);
}
END_TEST

START_TEST(active_format_is_the_hal_s)
{
#if defined(HAL_PT_SV39)
	ck_assert_ptr_eq(pt_active(), &pt_format_sv39);
#else
	ck_assert_ptr_eq(pt_active(), &pt_format_x86_64);
#endif
}
END_TEST

/* What a format can express of generic flags f. */
static unsigned expressible(const struct pt_format *fmt, unsigned f)
{
	unsigned prot = f & PT_PROT_MASK;

	if (fmt == &pt_format_x86_64 && prot)
		prot |= PT_READ; /* present means readable */
	if (fmt == &pt_format_sv39 && (prot & PT_WRITE))
		prot |= PT_READ;
	/* Sv39 has two software bits: without access, COW's bit says
	 * "mapped" (such a page is never copy-on-write). */
	if (fmt == &pt_format_sv39 && !prot)
		f &= ~PT_COW;
	return (f & ~PT_PROT_MASK) | prot;
}

START_TEST(leaf_flags_round_trip)
{
	const struct pt_format *fmt = formats[_i];

	for (unsigned f = 0; f < 2 * PT_SHARED; f++) {
		pte_t pte = fmt->make_leaf(0x7000, f);

		ck_assert_uint_eq(fmt->leaf_flags(pte), expressible(fmt, f));
		ck_assert_uint_eq(fmt->pte_pa(pte), 0x7000);
		ck_assert(fmt->is_valid(pte));
		ck_assert(fmt->is_leaf(pte, 0));
	}
}
END_TEST

START_TEST(map_lookup_unmap_at_every_level)
{
	const struct pt_format *fmt = formats[_i];
	uintptr_t limit = pt_user_limit(fmt);
	const uintptr_t vas[] = {
		PG,			  /* lowest page */
		every_level_va(fmt),	  /* all indices distinct */
		top_span(fmt) - PG,	  /* last page of root entry 0 */
		limit - PG,		  /* last page of the lower half */
		(uintptr_t)0 - limit,	  /* first upper-half page */
		(uintptr_t)0 - PG,	  /* the very last page */
	};
	size_t n = sizeof(vas) / sizeof(vas[0]);
	size_t before = (unit_boot_mm(), frames_free());
	hal_paddr_t root = pt_root_alloc();

	for (size_t i = 0; i < n; i++) {
		unsigned fl = PT_READ | PT_WRITE | PT_USER | PT_ACCESSED;

		ck_assert_int_eq(pt_map(fmt, root, vas[i], 0x40000000 + i * PG,
					fl),
				 0);
	}
	for (size_t i = 0; i < n; i++) {
		hal_paddr_t pa = 0;
		unsigned fl = 0;

		ck_assert_int_eq(pt_lookup(fmt, root, vas[i] + 0x123, &pa, &fl),
				 0);
		ck_assert_uint_eq(pa, 0x40000000 + i * PG);
		ck_assert_uint_eq(fl, expressible(fmt, PT_READ | PT_WRITE |
							       PT_USER |
							       PT_ACCESSED));
		/* The neighbours are not mapped. */
		ck_assert_int_eq(pt_lookup(fmt, root, vas[i] ^ (1ul << 13),
					   NULL, NULL),
				 -ENOENT);
	}
	for (size_t i = 0; i < n; i++) {
		hal_paddr_t pa = 0;

		ck_assert_int_eq(pt_unmap(fmt, root, vas[i], &pa, NULL), 0);
		ck_assert_uint_eq(pa, 0x40000000 + i * PG);
		ck_assert_int_eq(pt_lookup(fmt, root, vas[i], NULL, NULL),
				 -ENOENT);
	}
	/* Every intermediate table went away; only the root is left. */
	ck_assert_uint_eq(frames_free(), before - 1);
	pt_root_free(root);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(tables_are_made_per_level_and_freed)
{
	const struct pt_format *fmt = formats[_i];
	unsigned path = fmt->levels - 1; /* tables below the root */
	uintptr_t va = 0x10000, far = va + top_span(fmt);
	uintptr_t mid = va + (top_span(fmt) >> fmt->index_bits);
	size_t before = (unit_boot_mm(), frames_free());
	hal_paddr_t root = pt_root_alloc();

	ck_assert_uint_eq(frames_free(), before - 1);
	ck_assert_int_eq(pt_map(fmt, root, va, 0x1000, PT_READ), 0);
	ck_assert_uint_eq(frames_free(), before - 1 - path);
	/* Same leaf table: nothing new. */
	ck_assert_int_eq(pt_map(fmt, root, va + PG, 0x2000, PT_READ), 0);
	ck_assert_uint_eq(frames_free(), before - 1 - path);
	/* Another root entry: a whole new path. */
	ck_assert_int_eq(pt_map(fmt, root, far, 0x3000, PT_READ), 0);
	ck_assert_uint_eq(frames_free(), before - 1 - 2 * path);
	/* Same root entry, next index below it: path - 1 new tables. */
	ck_assert_int_eq(pt_map(fmt, root, mid, 0x4000, PT_READ), 0);
	ck_assert_uint_eq(frames_free(), before - 1 - 3 * path + 1);
	ck_assert_uint_eq(frame_meta(root)->count, 2);
	ck_assert_int_eq(pt_unmap(fmt, root, va, NULL, NULL), 0);
	ck_assert_uint_eq(frames_free(), before - 1 - 3 * path + 1);
	ck_assert_int_eq(pt_unmap(fmt, root, va + PG, NULL, NULL), 0);
	ck_assert_uint_eq(frames_free(), before - 1 - 2 * path);
	ck_assert_int_eq(pt_unmap(fmt, root, far, NULL, NULL), 0);
	ck_assert_int_eq(pt_unmap(fmt, root, mid, NULL, NULL), 0);
	ck_assert_uint_eq(frames_free(), before - 1);
	ck_assert_uint_eq(frame_meta(root)->count, 0);
	pt_root_free(root);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(bad_addresses_are_rejected)
{
	const struct pt_format *fmt = formats[_i];
	uintptr_t limit = pt_user_limit(fmt);
	const uintptr_t noncanon[] = {
		limit, limit << 1, (uintptr_t)0 - 2 * limit,
		(uintptr_t)1 << 62, 0x8000000000000000ull,
	};
	size_t before = (unit_boot_mm(), frames_free());
	hal_paddr_t root = pt_root_alloc();

	for (size_t i = 0; i < sizeof(noncanon) / sizeof(noncanon[0]); i++) {
		ck_assert(!pt_canonical(fmt, noncanon[i]));
		ck_assert_int_eq(pt_map(fmt, root, noncanon[i], 0x1000,
					PT_READ),
				 -EINVAL);
		ck_assert_int_eq(pt_lookup(fmt, root, noncanon[i], NULL, NULL),
				 -EINVAL);
		ck_assert_int_eq(pt_unmap(fmt, root, noncanon[i], NULL, NULL),
				 -EINVAL);
		ck_assert_int_eq(pt_update(fmt, root, noncanon[i], 0x1000,
					   PT_READ),
				 -EINVAL);
	}
	ck_assert(pt_canonical(fmt, limit - 1));
	ck_assert(pt_canonical(fmt, (uintptr_t)0 - limit));
	ck_assert_int_eq(pt_map(fmt, root, 0x10008, 0x1000, PT_READ), -EINVAL);
	ck_assert_int_eq(pt_map(fmt, root, 0x10000, 0x1008, PT_READ), -EINVAL);
	ck_assert_int_eq(pt_map(fmt, root, 0x10000,
				(hal_paddr_t)1 << fmt->pa_bits, PT_READ),
			 -EINVAL);
	ck_assert_int_eq(pt_unmap(fmt, root, 0x10008, NULL, NULL), -EINVAL);
	/* Nothing was built for any of them. */
	ck_assert_uint_eq(frames_free(), before - 1);
	pt_root_free(root);
}
END_TEST

START_TEST(existing_and_missing_entries)
{
	const struct pt_format *fmt = formats[_i];
	hal_paddr_t root, pa;
	unsigned fl;

	unit_boot_mm();
	root = pt_root_alloc();
	ck_assert_int_eq(pt_unmap(fmt, root, 0x20000, NULL, NULL), -ENOENT);
	ck_assert_int_eq(pt_update(fmt, root, 0x20000, 0x1000, PT_READ),
			 -ENOENT);
	ck_assert_int_eq(pt_map(fmt, root, 0x20000, 0x1000, PT_READ), 0);
	ck_assert_int_eq(pt_map(fmt, root, 0x20000, 0x2000, PT_READ), -EEXIST);
	/* A miss in an existing leaf table. */
	ck_assert_int_eq(pt_unmap(fmt, root, 0x21000, NULL, NULL), -ENOENT);
	ck_assert_int_eq(pt_update(fmt, root, 0x20000, 0x9000,
				   PT_READ | PT_WRITE | PT_COW),
			 0);
	ck_assert_int_eq(pt_lookup(fmt, root, 0x20fff, &pa, &fl), 0);
	ck_assert_uint_eq(pa, 0x9000);
	ck_assert_uint_eq(fl, expressible(fmt, PT_READ | PT_WRITE | PT_COW));
	ck_assert_int_eq(pt_unmap(fmt, root, 0x20000, NULL, NULL), 0);
	pt_root_free(root);
}
END_TEST

START_TEST(no_access_leaves_stay_mapped)
{
	const struct pt_format *fmt = formats[_i];
	hal_paddr_t root, pa;
	unsigned fl;

	unit_boot_mm();
	root = pt_root_alloc();
	ck_assert_int_eq(pt_map(fmt, root, 0x30000, 0x5000, PT_USER), 0);
	ck_assert_int_eq(pt_lookup(fmt, root, 0x30000, &pa, &fl), 0);
	ck_assert_uint_eq(pa, 0x5000);
	ck_assert_uint_eq(fl, PT_USER);
	ck_assert_int_eq(pt_map(fmt, root, 0x30000, 0x6000, PT_READ), -EEXIST);
	ck_assert_int_eq(pt_unmap(fmt, root, 0x30000, &pa, NULL), 0);
	ck_assert_uint_eq(pa, 0x5000);
	pt_root_free(root);
}
END_TEST

struct visits {
	uintptr_t va[16];
	size_t n;
	size_t stop_after; /* 0: never */
	bool remove_odd;   /* clear every other leaf */
	bool make_ro;      /* drop PT_WRITE from every leaf */
};

static int visit(struct pt_leaf *leaf, void *arg)
{
	struct visits *v = arg;

	ck_assert_uint_lt(v->n, 16);
	v->va[v->n++] = leaf->va;
	if (v->remove_odd && v->n % 2)
		pt_leaf_clear(leaf);
	if (v->make_ro)
		pt_leaf_set(leaf, leaf->pa, leaf->flags & ~PT_WRITE);
	if (v->stop_after && v->n == v->stop_after)
		return -E2BIG;
	return 0;
}

/* Walks the whole lower half of root, showing every leaf to visit(v). */
static int walk_all(const struct pt_format *fmt, hal_paddr_t root,
		    struct visits *v)
{
	return pt_walk(fmt, root, PG, pt_user_limit(fmt), visit, v);
}

/* One walk that clears every other leaf (the first, third...); returns
 * how many leaves it saw. */
static size_t remove_odd_leaves(const struct pt_format *fmt,
				hal_paddr_t root)
{
	struct visits v = { .remove_odd = true };

	ck_assert_int_eq(walk_all(fmt, root, &v), 0);
	return v.n;
}

/* Maps the pages of vas[] (sorted) into a fresh root. */
static hal_paddr_t map_set(const struct pt_format *fmt, const uintptr_t *vas,
			   size_t n)
{
	hal_paddr_t root = pt_root_alloc();

	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(pt_map(fmt, root, vas[i], (i + 1) * PG,
					PT_READ | PT_WRITE | PT_USER),
				 0);
	return root;
}

START_TEST(walk_visits_in_order_within_range)
{
	const struct pt_format *fmt = formats[_i];
	uintptr_t span = top_span(fmt);
	const uintptr_t vas[] = { 0x10000, 0x11000, 0x400000, span + 0x5000,
				  3 * span, pt_user_limit(fmt) - PG };
	size_t n = sizeof(vas) / sizeof(vas[0]);
	struct visits v = { .n = 0 };
	hal_paddr_t root;

	unit_boot_mm();
	root = map_set(fmt, vas, n);
	ck_assert_int_eq(walk_all(fmt, root, &v), 0);
	ck_assert_uint_eq(v.n, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(v.va[i], vas[i]);
	/* A sub-range sees only what lies inside it. */
	v.n = 0;
	ck_assert_int_eq(pt_walk(fmt, root, 0x11000, span + 0x5000, visit, &v),
			 0);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_uint_eq(v.va[0], 0x11000);
	ck_assert_uint_eq(v.va[1], 0x400000);
	/* A callback error stops the walk and is returned. */
	v = (struct visits){ .stop_after = 3 };
	ck_assert_int_eq(walk_all(fmt, root, &v), -E2BIG);
	ck_assert_uint_eq(v.n, 3);
	/* Bad ranges. */
	ck_assert_int_eq(pt_walk(fmt, root, 0x2000, 0x2000, visit, &v),
			 -EINVAL);
	ck_assert_int_eq(pt_walk(fmt, root, 0x3000, 0x2000, visit, &v),
			 -EINVAL);
	ck_assert_int_eq(pt_walk(fmt, root, 0x2001, 0x4000, visit, &v),
			 -EINVAL);
	ck_assert_int_eq(pt_walk(fmt, root, PG, pt_user_limit(fmt) + PG, visit,
				 &v),
			 -EINVAL);
	pt_free_tables(fmt, root, PG, pt_user_limit(fmt));
	pt_root_free(root);
}
END_TEST

START_TEST(walk_updates_and_removes)
{
	const struct pt_format *fmt = formats[_i];
	uintptr_t span = top_span(fmt);
	const uintptr_t vas[] = { 0x10000, 0x11000, 0x600000, 2 * span,
				  2 * span + 0x200000 };
	size_t n = sizeof(vas) / sizeof(vas[0]);
	size_t before = (unit_boot_mm(), frames_free());
	struct visits v = { .make_ro = true };
	hal_paddr_t root = map_set(fmt, vas, n);
	unsigned fl;

	ck_assert_int_eq(walk_all(fmt, root, &v), 0);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(pt_lookup(fmt, root, vas[i], NULL, &fl), 0);
		ck_assert_uint_eq(fl & PT_WRITE, 0);
	}
	ck_assert_uint_eq(remove_odd_leaves(fmt, root), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(pt_lookup(fmt, root, vas[i], NULL, NULL),
				 i % 2 ? 0 : -ENOENT);
	ck_assert_uint_eq(remove_odd_leaves(fmt, root), 2);
	ck_assert_uint_eq(remove_odd_leaves(fmt, root), 1);
	/* All gone, and so are the tables. */
	ck_assert_uint_eq(frames_free(), before - 1);
	ck_assert_int_eq(pt_map(fmt, root, vas[2], PG, PT_READ), 0);
	ck_assert_int_eq(pt_unmap(fmt, root, vas[2], NULL, NULL), 0);
	pt_root_free(root);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(free_tables_spares_entries_outside_the_range)
{
	const struct pt_format *fmt = formats[_i];
	unsigned path = fmt->levels - 1;
	uintptr_t span = top_span(fmt), limit = pt_user_limit(fmt);
	uintptr_t kernel_va = (uintptr_t)0 - limit; /* "the kernel half" */
	size_t before = (unit_boot_mm(), frames_free());
	hal_paddr_t root = pt_root_alloc();
	size_t mapped;

	ck_assert_int_eq(pt_map(fmt, root, 0x10000, PG, PT_READ | PT_USER), 0);
	ck_assert_int_eq(pt_map(fmt, root, span + 0x10000, 2 * PG,
				PT_READ | PT_USER),
			 0);
	ck_assert_int_eq(pt_map(fmt, root, kernel_va, 3 * PG, PT_READ), 0);
	mapped = frames_free();
	ck_assert_uint_eq(mapped, before - 1 - 3 * path);
	/* Only root entry 1's subtree goes. */
	pt_free_tables(fmt, root, span, 2 * span);
	ck_assert_uint_eq(frames_free(), mapped + path);
	ck_assert_int_eq(pt_lookup(fmt, root, span + 0x10000, NULL, NULL),
			 -ENOENT);
	ck_assert_int_eq(pt_lookup(fmt, root, 0x10000, NULL, NULL), 0);
	/* The whole lower half goes; the upper-half entry stays. */
	pt_free_tables(fmt, root, PG, limit);
	ck_assert_uint_eq(frames_free(), mapped + 2 * path);
	ck_assert_int_eq(pt_lookup(fmt, root, 0x10000, NULL, NULL), -ENOENT);
	ck_assert_int_eq(pt_lookup(fmt, root, kernel_va, NULL, NULL), 0);
	ck_assert_int_eq(pt_unmap(fmt, root, kernel_va, NULL, NULL), 0);
	pt_root_free(root);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(map_without_memory_leaves_no_tables)
{
	const struct pt_format *fmt = formats[_i];
	unsigned path = fmt->levels - 1;
	hal_paddr_t root, hoard;

	unit_boot_mm();
	root = pt_root_alloc();
	hoard = hoard_frames();
	/* One table short of a full path. */
	hoard = release_frames(hoard, path - 1);
	ck_assert_uint_eq(frames_free(), path - 1);
	ck_assert_int_eq(pt_map(fmt, root, 0x10000, PG, PT_READ), -ENOMEM);
	ck_assert_uint_eq(frames_free(), path - 1);
	ck_assert_uint_eq(frame_meta(root)->count, 0);
	ck_assert_int_eq(pt_lookup(fmt, root, 0x10000, NULL, NULL), -ENOENT);
	hoard = release_frames(hoard, 1);
	ck_assert_int_eq(pt_map(fmt, root, 0x10000, PG, PT_READ), 0);
	ck_assert_uint_eq(frames_free(), 0);
	/* The next page of the leaf table needs nothing more. */
	ck_assert_int_eq(pt_map(fmt, root, 0x11000, PG, PT_READ), 0);
	release_frames(hoard, (size_t)-1);
	ck_assert_int_eq(pt_unmap(fmt, root, 0x10000, NULL, NULL), 0);
	ck_assert_int_eq(pt_unmap(fmt, root, 0x11000, NULL, NULL), 0);
	pt_root_free(root);
}
END_TEST

static Suite *test_pt_suite(void)
{
	Suite *s = suite_create("pt");
	TCase *enc = tcase_create("encoding");
	TCase *walk = tcase_create("walker");
	int n = (int)(sizeof(formats) / sizeof(formats[0]));

	tcase_add_test(enc, x86_leaf_bits_match_the_sdm);
	tcase_add_test(enc, x86_tables_and_address_bits);
	tcase_add_test(enc, sv39_leaf_bits_match_the_spec);
	tcase_add_test(enc, sv39_tables_and_address_bits);
	tcase_add_test(enc, active_format_is_the_hal_s);
	tcase_add_loop_test(enc, leaf_flags_round_trip, 0, n);
	suite_add_tcase(s, enc);

	tcase_add_loop_test(walk, map_lookup_unmap_at_every_level, 0, n);
	tcase_add_loop_test(walk, tables_are_made_per_level_and_freed, 0, n);
	tcase_add_loop_test(walk, bad_addresses_are_rejected, 0, n);
	tcase_add_loop_test(walk, existing_and_missing_entries, 0, n);
	tcase_add_loop_test(walk, no_access_leaves_stay_mapped, 0, n);
	tcase_add_loop_test(walk, walk_visits_in_order_within_range, 0, n);
	tcase_add_loop_test(walk, walk_updates_and_removes, 0, n);
	tcase_add_loop_test(walk, free_tables_spares_entries_outside_the_range,
			    0, n);
	tcase_add_loop_test(walk, map_without_memory_leaves_no_tables, 0, n);
	suite_add_tcase(s, walk);
	return s;
}
UNIT_SUITE(test_pt_suite);
