/*
 * The general registers of an x86-64 user context, laid out as Linux's
 * struct user_regs_struct (<sys/user.h>: what PTRACE_GETREGS copies and
 * what a signal frame's sigcontext is built from). The build selects this
 * directory for x86-64 targets (hosted and bare-metal x86_64); services
 * include <keel/user.h>.
 *
 * What uctx_set_regs accepts: eflags with IF set and no privileged or
 * reserved bit (IOPL, NT, VM, VIF, VIP); cs and ss as uctx_get_regs
 * reports them; ds, es, fs and gs 0; rip, fs_base and gs_base below
 * 0x800000000000. orig_rax is the system call number the context stopped
 * at, or -1 (uctx_syscall_restart uses it).
 */
#ifndef KEEL_ARCH_USER_REGS_H
#define KEEL_ARCH_USER_REGS_H

#include <stdint.h>

struct user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax;
	uint64_t rip, cs, eflags, rsp, ss;
	uint64_t fs_base, gs_base, ds, es, fs, gs;
};

_Static_assert(sizeof(struct user_regs) == 27 * 8,
	       "struct user_regs_struct is 27 words");

#endif
