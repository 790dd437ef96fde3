/*
 * Mapping tmpfs files (see tmpfs_data.h): the reference-counted data of a
 * file and the pager that serves its pages to memory mappings, one
 * memory object per file while any mapping lives. The pages
 * a mapping gets are the file's page handles themselves: a MAP_SHARED
 * mapping writes into the file, a private one maps them copy-on-write.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/page.h>
#include <keel/vm_object.h>

#include "tmpfs_data.h"

struct tmpfs_data *tmpfs_data_new(void)
{
	struct tmpfs_data *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	spin_init(&d->lock, "tmpfs-data");
	d->refs = 1;
	return d;
}

void tmpfs_data_get(struct tmpfs_data *d)
{
	__atomic_fetch_add(&d->refs, 1, __ATOMIC_RELAXED);
}

void tmpfs_data_put(struct tmpfs_data *d)
{
	if (__atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL))
		return;
	tmpfs_pages_cut(&d->pages, 0);
	kfree(d);
}

struct vm_page *tmpfs_data_find(struct tmpfs_data *d, uint64_t idx)
{
	struct vm_page *pg;

	spin_lock(&d->lock);
	pg = tmpfs_page_find(&d->pages, idx);
	spin_unlock(&d->lock);
	return pg;
}

struct vm_page *tmpfs_data_make(struct tmpfs_data *d, uint64_t idx)
{
	struct vm_page *pg;

	spin_lock(&d->lock);
	pg = tmpfs_page_make(&d->pages, idx);
	spin_unlock(&d->lock);
	return pg;
}

/* The pager: page idx of the file, made if it was a hole (so that a later
 * write() reaches a private mapping that has not copied it yet, as on
 * Linux), -ENXIO when it lies wholly past the end of the file. */
static int tmpfs_get_page(struct vm_object *obj, uint64_t idx,
			  unsigned access, struct vm_page **out)
{
	struct tmpfs_data *d = vm_object_priv(obj);
	struct vm_page *pg = NULL;
	int err = 0;

	(void)access;
	spin_lock(&d->lock);
	if (idx >= (d->size + PAGE_SIZE - 1) / PAGE_SIZE)
		err = -ENXIO;
	else
		pg = tmpfs_page_make(&d->pages, idx);
	if (pg)
		vm_page_get(pg);
	else if (!err)
		err = -ENOMEM;
	spin_unlock(&d->lock);
	*out = pg;
	return err;
}

/* The object's last mapping is gone: the file has none now (unless a
 * newer one was made meanwhile, which stays). */
static void tmpfs_release_object(struct vm_object *obj)
{
	struct tmpfs_data *d = vm_object_priv(obj);

	spin_lock(&d->lock);
	if (d->obj == obj)
		d->obj = NULL;
	spin_unlock(&d->lock);
	tmpfs_data_put(d);
}

static const struct vm_pager_ops tmpfs_pager_ops = {
	.get_page = tmpfs_get_page,
	.release = tmpfs_release_object,
};

struct vm_object *tmpfs_data_object(struct tmpfs_data *d)
{
	return d->obj && vm_object_tryget(d->obj) ? d->obj : NULL;
}

int tmpfs_data_mmap(struct tmpfs_data *d, struct vm_object **out)
{
	struct vm_object *obj, *fresh;

	spin_lock(&d->lock);
	obj = tmpfs_data_object(d);
	spin_unlock(&d->lock);
	if (obj) {
		*out = obj;
		return 0;
	}
	/* Made outside the spinlock; a racing mmap's object wins. */
	fresh = vm_object_create(&tmpfs_pager_ops, d);
	if (!fresh)
		return -ENOMEM;
	tmpfs_data_get(d);
	spin_lock(&d->lock);
	obj = tmpfs_data_object(d);
	if (!obj) {
		d->obj = obj = fresh;
		fresh = NULL;
	}
	spin_unlock(&d->lock);
	if (fresh)
		vm_object_put(fresh); /* not d->obj: its release only puts d */
	*out = obj;
	return 0;
}
