/*
 * The vDSO: a small shared object of the core's (core/vdso/user/) that
 * answers clock_gettime, gettimeofday, time, clock_getres and getcpu in
 * user mode, and on riscv64 holds the signal return (__vdso_rt_sigreturn).
 * It comes as one span of pages the exec loader reserves in a new
 * address space: the vvar page (the clock data the core keeps current,
 * read-only to the process) followed by the vDSO's text, whose first
 * byte is its ELF header (what AT_SYSINFO_EHDR points at):
 *
 *     base: [vvar]  base + vdso_text_offset(): [vdso] ... base + vdso_size()
 *
 * The pages are the same physical pages in every process, mapped
 * private: a write (after mprotect) gets the process its own copy; fork
 * keeps them; munmap and mremap are the process's business. They come on
 * first touch (an object mapping, <keel/vm_object.h>), as Linux's.
 */
#ifndef KEEL_VDSO_H
#define KEEL_VDSO_H

#include <keel/types.h>

struct vm_space;

/* Bytes of the whole span (vvar and text), page aligned. */
size_t vdso_size(void);

/* Where the text (the ELF header) starts inside the span. */
size_t vdso_text_offset(void);

/*
 * Maps the span at base (page aligned) in vs: vvar read-only, text read
 * and execute. 0; -EINVAL (unaligned or outside the user range), -EEXIST
 * (something is mapped there), -ENOMEM; on failure nothing is mapped.
 */
int vdso_map(struct vm_space *vs, uintptr_t base);

/* The offset of the vDSO's function name from its ELF header in *off;
 * -ENOENT if the vDSO has no such symbol. */
int vdso_symbol_offset(const char *name, uintptr_t *off);

#endif
