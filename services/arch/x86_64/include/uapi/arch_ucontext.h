/*
 * x86-64's signal context: struct sigcontext (the registers a handler
 * finds in its ucontext, 256 bytes; fpstate points at the FXSAVE/XSAVE
 * area the kernel puts on the signal stack) and struct ucontext, as the
 * third argument of an SA_SIGINFO handler has them. Checked against the
 * host's <asm/sigcontext.h> and <asm/ucontext.h> (scripts/check-uapi).
 */
#ifndef UAPI_ARCH_UCONTEXT_H
#define UAPI_ARCH_UCONTEXT_H

#include <stdint.h>
#include <uapi/signal.h>

struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err;
	uint64_t trapno;
	uint64_t oldmask;
	uint64_t cr2;
	uint64_t fpstate; /* a user address, 0 when there is none */
	uint64_t reserved1[8];
};

/* uc_flags */
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

struct linux_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link; /* a user address */
	struct linux_stack uc_stack;
	struct linux_sigcontext uc_mcontext;
	linux_sigset_t uc_sigmask; /* last: may grow */
};

#endif
