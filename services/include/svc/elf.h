/*
 * The ELF loader: static executables (ET_EXEC, and static-pie ET_DYN
 * loaded at a fixed base) for this machine (SVC_ELF_MACHINE), in two steps
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
	const uint8_t *file;
	size_t file_size;
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
};

/* The stack region [elf_stack_top() - ELF_STACK_SIZE, elf_stack_top()). */
uintptr_t elf_stack_top(void);

/*
 * Validates file (size bytes, any alignment) as a static executable for
 * this machine and fills *img. Returns 0 or -ENOEXEC; *img is meaningful
 * only on success and points into file.
 */
int elf_check(const void *file, size_t size, struct elf_image *img);

/*
 * Maps the image into vs: file-backed pages eagerly (zero-filled, then
 * the file bytes copied in), whole pages of .bss as demand-zero regions of
 * v; sets the program break to start at img->end. vs must be empty and v
 * bound to it. Returns 0 or -ENOMEM, leaving vs partly filled: throw it
 * away.
 */
int elf_load(const struct elf_image *img, struct vm_space *vs,
	     struct vmar *v);

/* What goes on the initial stack besides the image's own data. */
struct elf_stack_args {
	const char *const *argv; /* NULL-terminated, argv[0] included */
	const char *const *envp; /* NULL-terminated */
	const char *execfn;      /* AT_EXECFN: the path executed */
	uint64_t random_seed;    /* AT_RANDOM's 16 bytes derive from it */
	uint32_t uid, euid, gid, egid; /* AT_UID, AT_EUID, AT_GID, AT_EGID */
	bool secure;             /* AT_SECURE */
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
