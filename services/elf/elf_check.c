/*
 * ELF validation, the "decode" half of the loader: reads the untrusted
 * file only through bounds-checked copies of its headers and decides where
 * every segment goes, so that elf_load() has nothing left to refuse.
 * Everything malformed, unsupported or foreign is -ENOEXEC.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/arch.h>
#include <svc/elf.h>
#include <svc/elf_format.h>

uintptr_t elf_stack_top(void)
{
	return ALIGN_DOWN(user_va_max(), PAGE_SIZE);
}

/* Is [off, off + len) inside a file of size bytes? */
static bool file_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Is eh the header of a 64-bit little-endian executable (ET_EXEC or
 * ET_DYN) for this machine, with a program header table of sane size that
 * lies inside the file of size bytes? */
static bool check_ehdr(const struct elf64_ehdr *eh, size_t size)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (memcmp(eh->e_ident, magic, sizeof(magic)) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_version != EV_CURRENT)
		return false;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return false;
	if (eh->e_machine != SVC_ELF_MACHINE)
		return false;
	if (eh->e_ehsize < sizeof(struct elf64_ehdr))
		return false;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) >
		    ELF_MAX_PHDR_BYTES)
		return false;
	return file_range_ok(eh->e_phoff,
			     (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr),
			     size);
}

/* Copies program header i (the table was bounds-checked by check_ehdr). */
static void read_phdr(const struct elf_image *img, uint64_t phoff, unsigned i,
		      struct elf64_phdr *ph)
{
	memcpy(ph, img->file + phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

static unsigned prot_of(uint32_t p_flags)
{
	unsigned prot = 0;

	if (p_flags & PF_R)
		prot |= VM_READ;
	if (p_flags & PF_W)
		prot |= VM_WRITE | VM_READ; /* no write-only pages anywhere */
	if (p_flags & PF_X)
		prot |= VM_EXEC;
	return prot;
}

/* Checks one PT_LOAD against the file, without relocation. */
static bool check_load(const struct elf64_phdr *ph, uint64_t size)
{
	if (!file_range_ok(ph->p_offset, ph->p_filesz, size))
		return false;
	if (ph->p_filesz > ph->p_memsz)
		return false;
	if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
		return false;
	if (ph->p_align > 1) {
		if (ph->p_align & (ph->p_align - 1))
			return false;
		if ((ph->p_vaddr - ph->p_offset) & (ph->p_align - 1))
			return false;
	}
	return true;
}

/* Checks PT_INTERP as Linux's load_elf_binary (a path of 2 to PATH_MAX
 * bytes inside the file, ending in its NUL; only the first counts) and
 * records it in img. */
static bool check_interp(struct elf_image *img, const struct elf64_phdr *ph)
{
	if (img->has_interp)
		return true;
	if (ph->p_filesz < 2 || ph->p_filesz > ELF_INTERP_MAX ||
	    !file_range_ok(ph->p_offset, ph->p_filesz, img->head_len) ||
	    img->file[ph->p_offset + ph->p_filesz - 1] != '\0')
		return false;
	img->has_interp = true;
	img->interp_off = ph->p_offset;
	img->interp_len = (size_t)ph->p_filesz;
	return true;
}

/* Inserts s into the vaddr-sorted array of n segments. */
static void insert_sorted(struct elf_segment *segs, unsigned n,
			  const struct elf_segment *s)
{
	unsigned i = n;

	while (i > 0 && segs[i - 1].vaddr > s->vaddr) {
		segs[i] = segs[i - 1];
		i--;
	}
	segs[i] = *s;
}

/*
 * Collects the PT_LOAD segments (unrelocated) into img, sorted, and finds
 * PT_PHDR and the largest alignment. Returns false on any bad header.
 */
static bool collect_segments(struct elf_image *img,
			     const struct elf64_ehdr *eh, uint64_t *phdr_vaddr,
			     bool *has_phdr, uint64_t *max_align)
{
	struct elf64_phdr ph;

	img->nsegs = 0;
	*has_phdr = false;
	*max_align = PAGE_SIZE;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		struct elf_segment s;

		read_phdr(img, eh->e_phoff, i, &ph);
		if (ph.p_type == PT_INTERP) {
			if (!check_interp(img, &ph))
				return false;
			continue;
		}
		if (ph.p_type == PT_PHDR) {
			*has_phdr = true;
			*phdr_vaddr = ph.p_vaddr;
			continue;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (!check_load(&ph, img->file_size))
			return false;
		if (img->nsegs == ELF_MAX_SEGMENTS)
			return false;
		if (ph.p_align > *max_align)
			*max_align = ph.p_align;
		s.vaddr = ph.p_vaddr;
		s.memsz = ph.p_memsz;
		s.filesz = ph.p_filesz;
		s.offset = ph.p_offset;
		s.prot = prot_of(ph.p_flags);
		insert_sorted(img->segs, img->nsegs++, &s);
	}
	return img->nsegs > 0;
}

/*
 * Where an ET_DYN image goes: its lowest page lands two thirds up the user
 * range (as Linux's ELF_ET_DYN_BASE), aligned for its segments. Sets
 * img->base and img->lowest; returns false if the alignment is absurd.
 */
static bool choose_base(struct elf_image *img, uint64_t max_align)
{
	if (max_align > user_va_max() / 4)
		return false;
	img->lowest = ALIGN_DOWN(img->segs[0].vaddr, max_align);
	img->base = ALIGN_DOWN(user_va_max() / 3 * 2, max_align);
	return true;
}

/*
 * Relocates a link-time address to img->base + (addr - img->lowest), which
 * must not exceed limit; computed without wrapping. Returns false if the
 * address is below the image or the result above limit.
 */
static bool relocate(const struct elf_image *img, uint64_t addr,
		     uintptr_t limit, uintptr_t *out)
{
	if (addr < img->lowest || img->base > limit ||
	    addr - img->lowest > limit - img->base)
		return false;
	*out = img->base + (addr - img->lowest);
	return true;
}

/*
 * Relocates the segments and checks that each lies in the user range
 * below the stack region and that none overlaps the next.
 */
static bool place_segments(struct elf_image *img)
{
	uintptr_t hi = elf_stack_top() - ELF_STACK_SIZE;

	for (unsigned i = 0; i < img->nsegs; i++) {
		struct elf_segment *s = &img->segs[i];
		uintptr_t start;

		if (!relocate(img, s->vaddr, hi, &start))
			return false;
		if (ALIGN_DOWN(start, PAGE_SIZE) < user_va_min() ||
		    s->memsz > hi - start ||
		    ALIGN_UP(start + s->memsz, PAGE_SIZE) > hi)
			return false;
		s->vaddr = start;
		if (i > 0 && img->segs[i - 1].vaddr + img->segs[i - 1].memsz >
				     start)
			return false;
	}
	img->end = ALIGN_UP(img->segs[img->nsegs - 1].vaddr +
				    img->segs[img->nsegs - 1].memsz,
			    PAGE_SIZE);
	return true;
}

/*
 * The address of the program headers in memory, for AT_PHDR: PT_PHDR if
 * present, else the load segment holding them in the file, else where the
 * first segment's file mapping would put them (as Linux does).
 */
static uintptr_t find_phdr_addr(const struct elf_image *img, uint64_t phoff,
				bool has_phdr, uintptr_t phdr_addr)
{
	uint64_t len = (uint64_t)img->phnum * sizeof(struct elf64_phdr);

	if (has_phdr)
		return phdr_addr;
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];

		if (phoff >= s->offset && phoff - s->offset <= s->filesz &&
		    len <= s->filesz - (phoff - s->offset))
			return s->vaddr + (phoff - s->offset);
	}
	return img->segs[0].vaddr - img->segs[0].offset + phoff;
}

int elf_check_head(const void *head, size_t head_len, uint64_t file_size,
		   struct elf_image *img)
{
	struct elf64_ehdr eh;
	uint64_t phdr_vaddr = 0, max_align;
	uintptr_t phdr_addr = 0;
	bool has_phdr;

	if (!head || head_len < sizeof(eh) || head_len > file_size)
		return -ENOEXEC;
	memcpy(&eh, head, sizeof(eh));
	/* The headers must be in the head, which is in the file. */
	if (!check_ehdr(&eh, head_len))
		return -ENOEXEC;

	img->file = head;
	img->head_len = head_len;
	img->file_size = file_size;
	img->phnum = eh.e_phnum;
	img->base = 0;
	img->lowest = 0;
	img->dyn = eh.e_type == ET_DYN;
	img->has_interp = false;
	if (!collect_segments(img, &eh, &phdr_vaddr, &has_phdr, &max_align))
		return -ENOEXEC;
	if (eh.e_type == ET_DYN && !choose_base(img, max_align))
		return -ENOEXEC;
	if (has_phdr && !relocate(img, phdr_vaddr, user_va_max(), &phdr_addr))
		return -ENOEXEC;
	if (!relocate(img, eh.e_entry, user_va_max(), &img->entry) ||
	    img->entry < user_va_min() || img->entry >= user_va_max())
		return -ENOEXEC;
	if (!place_segments(img))
		return -ENOEXEC;
	img->phdr_addr = find_phdr_addr(img, eh.e_phoff, has_phdr, phdr_addr);
	img->align = max_align;
	return 0;
}

int elf_check(const void *file, size_t size, struct elf_image *img)
{
	return elf_check_head(file, size, size, img);
}

int elf_rebase(struct elf_image *img, uintptr_t base)
{
	uintptr_t hi = elf_stack_top() - ELF_STACK_SIZE;
	uintptr_t span = elf_span(img), delta;

	if (!img->dyn || !IS_ALIGNED(base, img->align))
		return -EINVAL;
	if (base < user_va_min() || base > hi || span > hi - base)
		return -ENOMEM;
	/* Everything moves by the same amount (modulo 2^64: a move down is
	 * a wrap-around addition, exact for addresses in the image). */
	delta = base - img->base;
	for (unsigned i = 0; i < img->nsegs; i++)
		img->segs[i].vaddr += delta;
	img->entry += delta;
	img->phdr_addr += delta;
	img->end += delta;
	img->base = base;
	return 0;
}
