/*
 * ELF mapping, the "invoke" half of the loader: builds the address space
 * elf_check() planned. Pages holding nothing but file bytes are mapped
 * from the file's memory object, private (copy-on-write), so programs and
 * libraries share the page cache's pages until they write; the others
 * holding file bytes (a segment's partial last page, or all of them when
 * the file cannot be mapped) are mapped zero-filled and the bytes copied
 * in with vm_write (so the tail of the last file page is zero); whole
 * pages of .bss become demand-zero regions and cost nothing until
 * touched.
 *
 * Two segments may share a page (the end of one and the start of the
 * next, when a linker packs them): such a page is mapped once, eagerly,
 * with the union of the segments' protections.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/vm.h>
#include <keel/vm_object.h>
#include <svc/elf.h>
#include <svc/vmar.h>

/* The pages [lo, hi) of a segment mapped from the file's object (lo ==
 * hi: none); their bytes are not copied. */
struct object_range {
	uintptr_t lo, hi;
};

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
 * Maps [lo, hi), the pages of segment s that hold file bytes (less those
 * it shares with its neighbours): whole pages of file bytes from
 * src->obj when it has one and the segment's address and offset agree
 * modulo the page size, the rest eagerly. Records the object part in *or.
 */
static int map_file_pages(const struct elf_segment *s,
			  const struct elf_source *src, uintptr_t lo,
			  uintptr_t hi, struct vm_space *vs, struct vmar *v,
			  struct object_range *or)
{
	uintptr_t full = ALIGN_DOWN(s->vaddr + s->filesz, PAGE_SIZE);
	int err;

	or->lo = or->hi = lo;
	if (src && src->obj && (s->vaddr - s->offset) % PAGE_SIZE == 0 &&
	    lo < MIN(full, hi)) {
		or->hi = MIN(full, hi);
		err = vm_map_object(vs, lo, or->hi - lo, src->obj,
				    s->offset - (s->vaddr - lo), s->prot, 0);
		if (!err)
			err = vmar_add(v, lo, or->hi, s->prot, VMAR_IMAGE);
		if (err)
			return err;
	}
	return or->hi < hi ? map_now(vs, v, or->hi, hi, s->prot) : 0;
}

/*
 * Maps segment i of img except the pages it shares with its neighbours,
 * which go through *shared. Returns 0 or -errno.
 */
static int map_segment(const struct elf_image *img, unsigned i,
		       const struct elf_source *src, struct vm_space *vs,
		       struct vmar *v, struct shared_page *shared,
		       struct object_range *or)
{
	const struct elf_segment *s = &img->segs[i];
	uintptr_t lo = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	uintptr_t hi = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	uintptr_t file_end = ALIGN_UP(s->vaddr + s->filesz, PAGE_SIZE);
	bool share_next = i + 1 < img->nsegs &&
			  ALIGN_DOWN(img->segs[i + 1].vaddr, PAGE_SIZE) < hi;
	int err;

	or->lo = or->hi = 0;
	if (shared->valid && shared->va == lo) {
		shared->prot |= s->prot; /* first page: shared with previous */
		lo += PAGE_SIZE;
	}
	if (share_next)
		hi -= PAGE_SIZE;
	if (lo < hi && lo < file_end) {
		err = map_file_pages(s, src, lo, MIN(file_end, hi), vs, v, or);
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

/* Copies the file bytes [off, off+len) to va of vs through src (a page
 * at a time), or straight from img->file when src is NULL. */
static int copy_bytes(const struct elf_image *img,
		      const struct elf_source *src, struct vm_space *vs,
		      uintptr_t va, uint64_t off, size_t len)
{
	char *bounce;
	int err = 0;

	if (!src)
		return vm_write(vs, va, img->file + off, len);
	bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	for (size_t done = 0; done < len && !err;) {
		size_t n = MIN(len - done, PAGE_SIZE);

		err = src->read(src->ctx, off + done, bounce, n);
		if (!err)
			err = vm_write(vs, va + done, bounce, n);
		done += n;
	}
	kfree(bounce);
	return err;
}

/* Copies segment s's file bytes except those of the pages mapped from the
 * object (*or). */
static int copy_segment(const struct elf_image *img,
			const struct elf_source *src, struct vm_space *vs,
			const struct elf_segment *s,
			const struct object_range *or)
{
	uintptr_t start = s->vaddr, end = s->vaddr + s->filesz;
	uintptr_t gap_lo = MAX(start, or->lo), gap_hi = MIN(end, or->hi);
	int err = 0;

	if (gap_lo >= gap_hi) /* nothing from the object in the segment */
		gap_lo = gap_hi = end;
	if (start < gap_lo)
		err = copy_bytes(img, src, vs, start, s->offset, gap_lo - start);
	if (!err && gap_hi < end)
		err = copy_bytes(img, src, vs, gap_hi,
				 s->offset + (gap_hi - start), end - gap_hi);
	return err;
}

int elf_load(const struct elf_image *img, const struct elf_source *src,
	     struct vm_space *vs, struct vmar *v, bool interp)
{
	struct shared_page shared = { false, 0, 0 };
	struct object_range or[ELF_MAX_SEGMENTS];
	int err;

	for (unsigned i = 0; i < img->nsegs; i++) {
		err = map_segment(img, i, src, vs, v, &shared, &or[i]);
		if (err)
			return err;
	}
	err = flush_shared(vs, v, &shared);
	if (err)
		return err;
	/* Every page holding file bytes is mapped now. */
	for (unsigned i = 0; i < img->nsegs; i++) {
		if (img->segs[i].filesz) {
			err = copy_segment(img, src, vs, &img->segs[i], &or[i]);
			if (err)
				return err;
		}
	}
	return interp ? 0 : vmar_brk_init(v, img->end);
}
