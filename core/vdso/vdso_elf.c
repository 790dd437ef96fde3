/*
 * Symbol lookup in the vDSO image, so that the core learns where
 * __vdso_rt_sigreturn is (and a ktest where everything is) from the
 * image itself instead of a generated table. The image is ours, but it
 * is still read with every offset checked: a malformed one is -ENOEXEC,
 * never a wild read. It is laid out as core/vdso/user/vdso.lds makes it:
 * linked at 0, one PT_LOAD from file offset 0, so addresses are offsets.
 */
#include <keel/errno.h>
#include <keel/string.h>

#include "vdso/vdso_internal.h"

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_STRSZ 10
#define STT_FUNC 2

struct vdso_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct vdso_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct vdso_dyn {
	int64_t tag;
	uint64_t val;
};

struct vdso_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

/* Is [off, off + n * size) inside the image? */
static bool in_image(size_t len, uint64_t off, uint64_t n, uint64_t size)
{
	return off <= len && (size == 0 || n <= (len - off) / size);
}

/* Where the dynamic table is in *dyn / *ndyn; -ENOEXEC without one. */
static int find_dynamic(const uint8_t *img, size_t len, uint64_t *dyn,
			uint64_t *ndyn)
{
	struct vdso_ehdr eh;

	if (len < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF\2\1", 6) != 0 || eh.type != 3 ||
	    eh.phentsize != sizeof(struct vdso_phdr) ||
	    !in_image(len, eh.phoff, eh.phnum, sizeof(struct vdso_phdr)))
		return -ENOEXEC;
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct vdso_phdr ph;

		memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_LOAD && ph.offset != ph.vaddr)
			return -ENOEXEC;
		if (ph.type == PT_DYNAMIC &&
		    in_image(len, ph.offset, 1, ph.filesz)) {
			*dyn = ph.offset;
			*ndyn = ph.filesz / sizeof(struct vdso_dyn);
			return 0;
		}
	}
	return -ENOEXEC;
}

/* The symbol table's place and size from the dynamic table. */
struct dyn_tables {
	uint64_t hash, symtab, strtab, strsz;
};

static int read_dynamic(const uint8_t *img, size_t len, struct dyn_tables *t)
{
	uint64_t dyn, ndyn;
	int err = find_dynamic(img, len, &dyn, &ndyn);

	if (err)
		return err;
	memset(t, 0, sizeof(*t));
	for (uint64_t i = 0; i < ndyn; i++) {
		struct vdso_dyn d;

		memcpy(&d, img + dyn + i * sizeof(d), sizeof(d));
		if (d.tag == DT_NULL)
			break;
		if (d.tag == DT_HASH)
			t->hash = d.val;
		else if (d.tag == DT_SYMTAB)
			t->symtab = d.val;
		else if (d.tag == DT_STRTAB)
			t->strtab = d.val;
		else if (d.tag == DT_STRSZ)
			t->strsz = d.val;
	}
	if (!t->hash || !t->symtab || !t->strtab ||
	    !in_image(len, t->hash, 2, sizeof(uint32_t)) ||
	    !in_image(len, t->strtab, 1, t->strsz))
		return -ENOEXEC;
	return 0;
}

int vdso_elf_lookup(const uint8_t *image, size_t len, const char *name,
		    uintptr_t *off)
{
	struct dyn_tables t;
	uint32_t nsyms;
	size_t want = kstrlen(name) + 1;
	int err = read_dynamic(image, len, &t);

	if (err)
		return err;
	memcpy(&nsyms, image + t.hash + sizeof(uint32_t), sizeof(nsyms));
	if (!in_image(len, t.symtab, nsyms, sizeof(struct vdso_sym)))
		return -ENOEXEC;
	for (uint32_t i = 1; i < nsyms; i++) {
		struct vdso_sym s;

		memcpy(&s, image + t.symtab + i * sizeof(s), sizeof(s));
		if ((s.info & 0xf) != STT_FUNC || s.name >= t.strsz ||
		    t.strsz - s.name < want ||
		    memcmp(image + t.strtab + s.name, name, want) != 0)
			continue;
		if (s.value >= len)
			return -ENOEXEC;
		*off = s.value;
		return 0;
	}
	return -ENOENT;
}
