/*
 * Internal interfaces of the stub process (stub.c, regs.c, start.S): the
 * Linux signal-frame structures it reads and writes, its raw system calls
 * and the register copies between a signal frame and a context slot.
 * Freestanding: no libc anywhere in the stub.
 */
#ifndef HAL_HOSTED_STUB_STUB_H
#define HAL_HOSTED_STUB_STUB_H

#include "../stub_abi.h"

#include <asm/sigcontext.h>
#include <stddef.h>

struct k_stack {
	void *sp;
	int flags;
	int pad;
	size_t size;
};

struct k_ucontext {
	unsigned long flags;
	struct k_ucontext *link;
	struct k_stack stack; /* the thread's sigaltstack settings */
	struct sigcontext mc;
	uint64_t sigmask;
};

#define STUB_AREA ((void *)STUB_CTX_ADDR)
#define STUB_HDR stub_hdr(STUB_AREA)

long stub_sys6(long nr, long a, long b, long c, long d, long e, long f);
#define stub_sys3(nr, a, b, c)                                          \
	stub_sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* exit_group(code), never returns. */
void stub_exit(int code) __attribute__((noreturn));

/* Confines the process (pid: its own) after its handlers are installed:
 * the stub filter, the mapper thread, the user filter (confine.c). */
void stub_confine(long pid);

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/* The frame's user registers and FP state into r (fs_base: what this
 * thread loaded last). */
void stub_save_regs(struct hal_uctx *r, const struct k_ucontext *uc,
		    uint64_t fs_base);

/* r into the frame, so that sigreturn resumes it; loads r's FS base if
 * it differs from *fs_loaded (and updates it). */
void stub_load_regs(const struct hal_uctx *r, struct k_ucontext *uc,
		    uint64_t *fs_loaded);

/* start.S: clone(flags, a stack, child_tid = ctid) with stub_thread_main
 * (slot) running in the child; the parent gets the tid or -errno. */
long stub_clone(unsigned long flags, void *stack_top, int32_t *ctid,
		unsigned long slot);
void stub_thread_main(unsigned long slot) __attribute__((noreturn));
void stub_restorer(void);

#endif
