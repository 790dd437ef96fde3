/*
 * riscv64's part of the signal ABI (included by <uapi/signal.h>): the
 * kernel's struct sigaction as rt_sigaction(2) reads it (asm-generic's,
 * without sa_restorer: the kernel's vDSO returns from handlers) and the
 * alternate stack sizes. Checked against the riscv64 cross headers'
 * <asm/signal.h> (scripts/check-uapi).
 */
#ifndef UAPI_ARCH_SIGNAL_H
#define UAPI_ARCH_SIGNAL_H

#include <stdint.h>

/* The sa_flags this architecture adds to the generic ones (Keel's). */
#define UAPI_SA_ARCH_FLAGS 0

#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

struct linux_sigaction {
	uint64_t sa_handler; /* SIG_DFL, SIG_IGN or a user address */
	uint64_t sa_flags;
	linux_sigset_t sa_mask;
};

#endif
