/*
 * libFuzzer harness of the ELF loader (services/elf/), the parser of every
 * program file the kernel executes: elf_check on the input as a file of
 * exactly its size, and for each file it accepts the rest of what execve
 * does with it, elf_load and elf_setup_stack into a fresh address space
 * of the core (the hosted mm, as the unit tests set it up).
 *
 * Beyond "no crash, no read out of bounds" it checks the loader's
 * promises: an accepted image's segments lie inside the file and the user
 * range below the stack region, sorted and disjoint; after loading, every
 * file byte reads back at its address, the rest of a file page is zero,
 * protections include the segment's; loading fails only for lack of
 * memory; and tearing the space down gives back every frame.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/elf.h>
#include <svc/vmar.h>

/* What elf_check promises about an image it accepted from size bytes. */
static void check_image(const struct elf_image *img, size_t size)
{
	uintptr_t hi = elf_stack_top() - ELF_STACK_SIZE;

	FUZZ_CHECK(img->nsegs >= 1 && img->nsegs <= ELF_MAX_SEGMENTS);
	FUZZ_CHECK(img->entry >= user_va_min() && img->entry < user_va_max());
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];

		FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset);
		FUZZ_CHECK(s->filesz <= s->memsz && s->memsz > 0);
		FUZZ_CHECK(ALIGN_DOWN(s->vaddr, PAGE_SIZE) >= user_va_min());
		FUZZ_CHECK(s->vaddr < hi && s->memsz <= hi - s->vaddr);
		if (i > 0)
			FUZZ_CHECK(img->segs[i - 1].vaddr +
					   img->segs[i - 1].memsz <=
				   s->vaddr);
	}
	FUZZ_CHECK(img->end % PAGE_SIZE == 0 && img->end <= hi);
	FUZZ_CHECK(img->end >= img->segs[img->nsegs - 1].vaddr +
				       img->segs[img->nsegs - 1].memsz);
}

/* Reads [va, va + len) of vs into a fresh buffer (free() it). */
static uint8_t *read_back(struct vm_space *vs, uintptr_t va, size_t len)
{
	uint8_t *buf = malloc(len ? len : 1);

	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(vm_read(vs, va, buf, len) == 0);
	return buf;
}

/* The loaded image holds the file's bytes, zeros after them up to the
 * end of their last page (or of the segment), and the protections. */
static void check_loaded(const struct elf_image *img, struct vm_space *vs)
{
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		uintptr_t file_end = s->vaddr + s->filesz;
		uintptr_t zero_end = ALIGN_UP(file_end, PAGE_SIZE);
		uint8_t *buf;
		unsigned prot;

		if (zero_end > s->vaddr + s->memsz)
			zero_end = s->vaddr + s->memsz;
		buf = read_back(vs, s->vaddr, s->filesz);
		FUZZ_CHECK(memcmp(buf, img->file + s->offset, s->filesz) == 0);
		free(buf);
		buf = read_back(vs, file_end, zero_end - file_end);
		for (size_t j = 0; j < zero_end - file_end; j++)
			FUZZ_CHECK(buf[j] == 0);
		free(buf);
		for (uintptr_t va = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		     va < file_end; va += PAGE_SIZE) {
			FUZZ_CHECK(vm_query(vs, va, &prot) == 0);
			FUZZ_CHECK((prot & s->prot) == s->prot);
		}
	}
}

/* elf_load and elf_setup_stack as execve calls them; checks the result
 * and that the initial stack pointer is inside the stack region. */
static void load(const struct elf_image *img, struct vm_space *vs,
		 struct vmar *v)
{
	static const char *const argv[] = { "/fuzz", "arg", NULL };
	static const char *const envp[] = { "HOME=/", NULL };
	const struct elf_stack_args args = { .argv = argv, .envp = envp,
					     .execfn = "/fuzz",
					     .random_seed = 42 };
	uintptr_t sp = 0;
	int err = elf_load(img, NULL, vs, v, false);

	FUZZ_CHECK(err == 0 || err == -ENOMEM);
	if (err)
		return;
	check_loaded(img, vs);
	err = elf_setup_stack(img, vs, v, &args, &sp);
	FUZZ_CHECK(err == 0 || err == -ENOMEM);
	if (!err)
		FUZZ_CHECK(sp % 16 == 0 && sp < elf_stack_top() &&
			   sp >= elf_stack_top() - ELF_STACK_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	struct vm_space *vs;
	struct vmar v;
	size_t frames_before;

	fuzz_boot_mm();
	if (elf_check(data, size, &img) != 0)
		return 0;
	FUZZ_CHECK(img.file == data && img.file_size == size);
	check_image(&img, size);

	frames_before = frames_free();
	vs = vm_space_create();
	FUZZ_CHECK(vs != NULL);
	vmar_init(&v, vs);
	load(&img, vs, &v);
	vmar_destroy(&v);
	vm_space_put(vs);
	FUZZ_CHECK(frames_free() == frames_before);
	return 0;
}
