/*
 * Internal interfaces shared by the bare-metal backends (x86_64, riscv64):
 * the C runtime's memory functions, a tiny console formatter for the HAL's
 * own diagnostics (register dumps, backtraces) and the kernel symbol table.
 * Arch-neutral: nothing here knows the machine it runs on.
 *
 * Symbol table contract (see scripts/gen-ksyms): each backend's linker
 * script places the section .ksyms LAST in the image, between the symbols
 * __ksyms_start and __ksyms_end, so that replacing the empty pass-1 table
 * with the real one in pass 2 moves no other symbol.
 */
#ifndef HAL_BAREMETAL_BM_H
#define HAL_BAREMETAL_BM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/*
 * printf to the console through hal_console_write, for the HAL only:
 * %s %c %d %u %x %p with the l/ll/z modifiers, a width and '0' padding.
 * Output is built in a small stack buffer and written in one call, so a
 * line from an interrupt handler does not interleave mid-word.
 */
void bm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bm_vprintf(const char *fmt, va_list ap);

/*
 * The symbol containing addr: its name, and the offset of addr into it.
 * Returns NULL when addr is outside the kernel's text or the table is
 * empty (pass 1 of the link).
 */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

/*
 * Prints one backtrace line "  #depth 0xpc name+0xoff" (the format of the
 * hosted backend, which the runner recognises as a kernel line); the _note
 * variant appends note (e.g. " (stale?)").
 */
void bm_print_frame(unsigned depth, uintptr_t pc);
void bm_print_frame_note(unsigned depth, uintptr_t pc, const char *note);

/*
 * Kernel stacks with guard pages (common/kstack.c implements
 * hal_kstack_map/unmap over the architecture's page tables). The area is
 * BM_KSTACK_SLOTS slots of BM_KSTACK_SLOT bytes from bm_kstack_base; the
 * architecture defines bm_kstack_base, builds every table of the area at
 * boot and provides:
 *   bm_kstack_pte(va)    the leaf entry that maps va (an area address)
 *   bm_kstack_leaf(pa)   a present, read/write, never-executable kernel
 *                        4 KiB entry for pa
 *   bm_kstack_flush(va, len)  drops cleared entries from every CPU's TLB
 */
#define BM_KSTACK_SLOTS 1024 /* 32 MiB of address space */
#define BM_KSTACK_SLOT (32u * 1024u) /* HAL_KSTACK_GUARD + HAL_KSTACK_SIZE */
extern const uintptr_t bm_kstack_base;
uint64_t *bm_kstack_pte(uintptr_t va);
uint64_t bm_kstack_leaf(uint64_t pa);
void bm_kstack_flush(uintptr_t va, size_t len);
/* Whether va lies in the stack area (mapped or not), and whether all of
 * [va, va + len) lies inside one mapped stack (for backtraces). */
bool bm_kstack_in_area(uintptr_t va);
bool bm_kstack_contains(uintptr_t va, size_t len);

#endif
