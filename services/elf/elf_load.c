/*
 * ELF mapping, the "invoke" half of the loader: builds the address space
 * elf_check() planned. Pages holding file bytes are mapped zero-filled and
 * the bytes copied in with vm_write (so the tail of the last file page is
 * already zero); whole pages of .bss become demand-zero regions and cost
 * nothing until touched.
 *
 * Two segments may share a page (the end of one and the start of the
 * next, when a linker packs them): such a page is mapped once, eagerly,
 * with the union of the segments' protections.
 */
#include <keel/errno.h>
#include <keel/vm.h>
#include <svc/elf.h>
#include <svc/vmar.h>

/* A shared boundary page waiting to be mapped. */
struct shared_page {
	bool valid;
	uintptr_t va;
	unsigned prot;
};

/* Maps [start, end) now and records it as image. Returns 0 or -errno. */
static int map_now(struct vm_space *vs, struct vmar *v, uintptr_t start,
		   uintptr_t end, unsigned prot)
{
	int err = vm_map_zero(vs, start, end - start, prot);

	if (err)
		return err;
	return vmar_add(v, start, end, prot, VMAR_IMAGE);
}

/* Maps the pending shared page, if there is one, with the protections
 * collected for it. Returns 0 or -errno. */
static int flush_shared(struct vm_space *vs, struct vmar *v,
			struct shared_page *sp)
{
	if (!sp->valid)
		return 0;
	sp->valid = false;
	return map_now(vs, v, sp->va, sp->va + PAGE_SIZE, sp->prot);
}

/*
 * Maps segment i of img except the pages it shares with its neighbours,
 * which go through *shared. Returns 0 or -errno.
 */
static int map_segment(const struct elf_image *img, unsigned i,
		       struct vm_space *vs, struct vmar *v,
		       struct shared_page *shared)
{
	const struct elf_segment *s = &img->segs[i];
	uintptr_t lo = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	uintptr_t hi = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	uintptr_t file_end = ALIGN_UP(s->vaddr + s->filesz, PAGE_SIZE);
	bool share_next = i + 1 < img->nsegs &&
			  ALIGN_DOWN(img->segs[i + 1].vaddr, PAGE_SIZE) < hi;
	int err;

	if (shared->valid && shared->va == lo) {
		shared->prot |= s->prot; /* first page: shared with previous */
		lo += PAGE_SIZE;
	}
	if (share_next)
		hi -= PAGE_SIZE;
	if (lo < hi && lo < file_end) {
		err = map_now(vs, v, lo, MIN(file_end, hi), s->prot);
		if (err)
			return err;
	}
	if (lo < hi && MAX(lo, file_end) < hi) {
		err = vmar_add(v, MAX(lo, file_end), hi, s->prot, VMAR_ANON);
		if (err)
			return err;
	}
	if (!share_next)
		return flush_shared(vs, v, shared);
	if (!shared->valid || shared->va != hi) {
		err = flush_shared(vs, v, shared);
		if (err)
			return err;
		shared->valid = true;
		shared->va = hi;
		shared->prot = s->prot; /* the next segment adds its own */
	}
	return 0;
}

/* Maps every segment of img and copies its file bytes in. */
static int map_image(const struct elf_image *img, struct vm_space *vs,
		     struct vmar *v)
{
	struct shared_page shared = { false, 0, 0 };
	int err;

	for (unsigned i = 0; i < img->nsegs; i++) {
		err = map_segment(img, i, vs, v, &shared);
		if (err)
			return err;
	}
	err = flush_shared(vs, v, &shared);
	if (err)
		return err;
	/* Every page holding file bytes is mapped now. */
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];

		if (s->filesz) {
			err = vm_write(vs, s->vaddr, img->file + s->offset,
				       s->filesz);
			if (err)
				return err;
		}
	}
	return 0;
}

int elf_load(const struct elf_image *img, struct vm_space *vs,
	     struct vmar *v)
{
	int err = map_image(img, vs, v);

	return err ? err : vmar_brk_init(v, img->end);
}

int elf_load_interp(const struct elf_image *img, struct vm_space *vs,
		    struct vmar *v)
{
	return map_image(img, vs, v);
}
