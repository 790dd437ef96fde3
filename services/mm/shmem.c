/*
 * Shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS): a memory object
 * (<keel/vm_object.h>) whose pager hands out one zero-filled page per
 * index, made on first touch and kept until the object goes, so that
 * every mapping of it — the parent's and its forked children's, which
 * vm_space_fork keeps shared — sees the same page.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/page.h>
#include <keel/sync.h>
#include <keel/vm.h>
#include <keel/vm_object.h>
#include <svc/vmar.h>

struct shmem {
	struct spinlock lock;
	size_t npages;
	struct vm_page **pages; /* [npages], NULL until touched */
};

static int shmem_get_page(struct vm_object *obj, uint64_t idx,
			  unsigned access, struct vm_page **out)
{
	struct shmem *sh = vm_object_priv(obj);
	struct vm_page *fresh = NULL, *pg;

	(void)access;
	if (idx >= sh->npages)
		return -ENXIO;
	spin_lock(&sh->lock);
	pg = sh->pages[idx];
	spin_unlock(&sh->lock);
	if (!pg) {
		/* Allocated outside the lock; a racing fault's page wins. */
		fresh = vm_page_alloc();
		if (!fresh)
			return -ENOMEM;
		spin_lock(&sh->lock);
		if (!sh->pages[idx]) {
			sh->pages[idx] = fresh;
			fresh = NULL;
		}
		pg = sh->pages[idx];
		spin_unlock(&sh->lock);
		if (fresh)
			vm_page_put(fresh);
	}
	vm_page_get(pg);
	*out = pg;
	return 0;
}

static void shmem_release(struct vm_object *obj)
{
	struct shmem *sh = vm_object_priv(obj);

	for (size_t i = 0; i < sh->npages; i++)
		if (sh->pages[i])
			vm_page_put(sh->pages[i]);
	kfree(sh->pages);
	kfree(sh);
}

static const struct vm_pager_ops shmem_ops = {
	.get_page = shmem_get_page,
	.release = shmem_release,
};

struct vm_object *shmem_create(size_t len)
{
	struct shmem *sh = kzalloc(sizeof(*sh));
	struct vm_object *obj;

	if (!sh)
		return NULL;
	spin_init(&sh->lock, "shmem");
	sh->npages = len / PAGE_SIZE;
	sh->pages = kcalloc(sh->npages ? sh->npages : 1, sizeof(*sh->pages));
	obj = sh->pages ? vm_object_create(&shmem_ops, sh) : NULL;
	if (!obj) {
		kfree(sh->pages);
		kfree(sh);
	}
	return obj;
}
