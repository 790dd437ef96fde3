/*
 * The ELF loader: executables (ET_EXEC, and ET_DYN at a base exec
 * chooses) for this machine (SVC_ELF_MACHINE), with the PT_INTERP their
 * dynamic linker is named by, and the dynamic linker itself, in two steps
 * after seL4's decode/invoke split: elf_check() validates every field
 * against the file and the user address range and computes where
 * everything goes, touching nothing; elf_load() and elf_setup_stack() then
 * build the address space and can only fail for lack of memory.
 */
#ifndef SVC_ELF_H
#define SVC_ELF_H

#include <keel/types.h>

struct vm_space;
struct vmar;

#define ELF_MAX_SEGMENTS 16   /* PT_LOAD entries accepted */
#define ELF_MAX_PHDR_BYTES 65536
#define ELF_INTERP_MAX 4096 /* PT_INTERP's path, NUL included (PATH_MAX) */
#define ELF_STACK_SIZE (8ul << 20)
#define ELF_ARGS_MAX (6ul << 20) /* argv + envp strings (-E2BIG): exec
				  * checks Linux's tighter limits first */
#define ELF_ARGC_MAX 786432 /* argv or envp entries: ELF_ARGS_MAX / 8 */

/* A loadable segment, at its final address. */
struct elf_segment {
	uintptr_t vaddr;
	size_t memsz;
	size_t filesz;
	size_t offset; /* in the file */
	unsigned prot; /* VM_* */
};

/* What elf_check found: everything elf_load needs. */
struct elf_image {
	const uint8_t *file; /* the head of the file, head_len bytes */
	size_t head_len;
	uint64_t file_size;
	/* Relocation: a link-time address a goes to base + (a - lowest);
	 * both 0 for ET_EXEC. */
	uintptr_t base;
	uintptr_t lowest;
	uintptr_t entry;     /* relocated */
	uintptr_t phdr_addr; /* where the program headers are in memory */
	unsigned phnum;
	unsigned nsegs;
	struct elf_segment segs[ELF_MAX_SEGMENTS]; /* sorted by vaddr */
	uintptr_t end;       /* page-aligned end of the highest segment */
	bool dyn;            /* ET_DYN: elf_rebase may move it */
	uintptr_t align;     /* the largest segment alignment (>= a page) */
	/* PT_INTERP: the dynamic linker's path, interp_len bytes at
	 * interp_off of the file, NUL included (checked). */
	bool has_interp;
	uint64_t interp_off;
	size_t interp_len;
};

/* The stack region [elf_stack_top() - ELF_STACK_SIZE, elf_stack_top()). */
uintptr_t elf_stack_top(void);

/*
 * Validates file (size bytes, any alignment) as an executable for this
 * machine and fills *img. Returns 0 or -ENOEXEC; *img is meaningful only
 * on success and points into file.
 */
int elf_check(const void *file, size_t size, struct elf_image *img);

/* How many bytes of a file elf_check_head wants to see. */
#define ELF_HEAD_MAX 16384ul

/*
 * elf_check on the first head_len bytes of a file of file_size bytes
 * (head_len <= file_size): the ELF header, program header table and
 * PT_INTERP path must lie in the head (-ENOEXEC otherwise, where Linux
 * would read them from further on), the segments in the file.
 */
int elf_check_head(const void *head, size_t head_len, uint64_t file_size,
		   struct elf_image *img);

/*
 * Moves an ET_DYN image that elf_check placed so that its lowest page
 * goes to base (aligned to img->align): segments, entry, AT_PHDR and end
 * follow. -EINVAL for an ET_EXEC image or an unaligned base, -ENOMEM when
 * the image would not fit below the stack region. On failure img is
 * unchanged.
 */
int elf_rebase(struct elf_image *img, uintptr_t base);

/* The bytes from the lowest page of img to its end. */
static inline uintptr_t elf_span(const struct elf_image *img)
{
	return img->end - img->base;
}

/* Where elf_load finds the file's bytes beyond the head. */
struct elf_source {
	/* The file's pages (file_ops.mmap): whole pages of file bytes are
	 * mapped from it copy-on-write. NULL: everything is copied. */
	struct vm_object *obj;
	/* Copies len bytes at file offset off into buf: 0 or -errno (a
	 * short read is -EIO). */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
};

/*
 * Maps the image into vs: pages holding only file bytes from src->obj
 * (private, copy-on-write: the libraries' and programs' pages are the
 * page cache's until written), the others (a segment's partial last page,
 * a page two segments share) zero-filled with the file bytes copied in,
 * whole pages of .bss as demand-zero regions of v; sets the program break
 * to start at img->end unless interp (a dynamic linker's image). src NULL:
 * img->file holds the whole file. vs must be empty of this image's range
 * and v bound to it. Returns 0, -ENOMEM or src's read error, leaving vs
 * partly filled: throw it away.
 */
int elf_load(const struct elf_image *img, const struct elf_source *src,
	     struct vm_space *vs, struct vmar *v, bool interp);

/* What goes on the initial stack besides the image's own data. */
struct elf_stack_args {
	const char *const *argv; /* NULL-terminated, argv[0] included */
	const char *const *envp; /* NULL-terminated */
	const char *execfn;      /* AT_EXECFN: the path executed */
	uint64_t random_seed;    /* AT_RANDOM's 16 bytes derive from it */
	uint32_t uid, euid, gid, egid; /* AT_UID, AT_EUID, AT_GID, AT_EGID */
	bool secure;             /* AT_SECURE */
	uintptr_t interp_base;   /* AT_BASE: the dynamic linker's, or 0 */
	uintptr_t sysinfo_ehdr;  /* AT_SYSINFO_EHDR: the vDSO, or 0 */
};

/*
 * Declares the stack region in v, maps its top pages and writes the
 * System V initial stack: argc, argv[], NULL, envp[], NULL, auxv pairs
 * ending with AT_NULL, then the strings and AT_RANDOM's bytes above.
 * *sp gets the 16-byte aligned address of argc. Returns 0, -E2BIG when the
 * arguments exceed ELF_ARGS_MAX / ELF_ARGC_MAX, -ENOMEM.
 */
int elf_setup_stack(const struct elf_image *img, struct vm_space *vs,
		    struct vmar *v, const struct elf_stack_args *args,
		    uintptr_t *sp);

#endif
