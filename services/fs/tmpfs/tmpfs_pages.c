/*
 * The page index of a tmpfs file (see tmpfs_pages.h): a sorted array,
 * binary searched. Files here are small; the array grows by doubling.
 */
#include <keel/heap.h>
#include <keel/string.h>

#include "tmpfs_pages.h"

/* The position of the first entry with index >= idx. */
static size_t lower_bound(const struct tmpfs_pages *p, uint64_t idx)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->v[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vm_page *tmpfs_page_find(const struct tmpfs_pages *p, uint64_t idx)
{
	size_t at = lower_bound(p, idx);

	return at < p->n && p->v[at].idx == idx ? p->v[at].page : NULL;
}

static bool grow(struct tmpfs_pages *p)
{
	size_t cap = p->cap ? 2 * p->cap : 4;
	struct tmpfs_page *v = kcalloc(cap, sizeof(*v));

	if (!v)
		return false;
	if (p->n)
		memcpy(v, p->v, p->n * sizeof(*v));
	kfree(p->v);
	p->v = v;
	p->cap = cap;
	return true;
}

struct vm_page *tmpfs_page_make(struct tmpfs_pages *p, uint64_t idx)
{
	size_t at = lower_bound(p, idx);
	struct vm_page *pg;

	if (at < p->n && p->v[at].idx == idx)
		return p->v[at].page;
	if (p->n == p->cap && !grow(p))
		return NULL;
	pg = vm_page_alloc();
	if (!pg)
		return NULL;
	memmove(&p->v[at + 1], &p->v[at], (p->n - at) * sizeof(p->v[0]));
	p->v[at] = (struct tmpfs_page){ idx, pg };
	p->n++;
	return pg;
}

void tmpfs_pages_cut(struct tmpfs_pages *p, uint64_t first)
{
	size_t at = lower_bound(p, first);

	for (size_t k = at; k < p->n; k++)
		vm_page_put(p->v[k].page);
	p->n = at;
	if (!p->n) {
		kfree(p->v);
		p->v = NULL;
		p->cap = 0;
	}
}

uint64_t tmpfs_pages_next(const struct tmpfs_pages *p, uint64_t idx,
			  bool data)
{
	size_t at = lower_bound(p, idx);

	if (data)
		return at < p->n ? p->v[at].idx : UINT64_MAX;
	/* The first hole: the first gap in the run of present pages. */
	while (at < p->n && p->v[at].idx == idx) {
		at++;
		idx++;
	}
	return idx;
}

void tmpfs_pages_punch(struct tmpfs_pages *p, uint64_t first, uint64_t end)
{
	size_t from = lower_bound(p, first), to = lower_bound(p, end);

	if (from >= to)
		return;
	for (size_t k = from; k < to; k++)
		vm_page_put(p->v[k].page);
	memmove(&p->v[from], &p->v[to], (p->n - to) * sizeof(p->v[0]));
	p->n -= to - from;
}
