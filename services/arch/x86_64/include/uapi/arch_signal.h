/*
 * x86-64's part of the signal ABI (included by <uapi/signal.h>): the
 * kernel's struct sigaction as rt_sigaction(2) reads it, with the
 * sa_restorer x86-64 requires (libc's __restore_rt, which makes the
 * rt_sigreturn call), and the alternate stack sizes. Checked against the
 * host's <asm/signal.h> (scripts/check-uapi).
 */
#ifndef UAPI_ARCH_SIGNAL_H
#define UAPI_ARCH_SIGNAL_H

#include <stdint.h>

#define SA_RESTORER 0x04000000

/* The sa_flags this architecture adds to the generic ones (Keel's). */
#define UAPI_SA_ARCH_FLAGS SA_RESTORER

#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

/* User addresses are 64-bit numbers; the mask is last (extensible). */
struct linux_sigaction {
	uint64_t sa_handler; /* SIG_DFL, SIG_IGN or a user address */
	uint64_t sa_flags;
	uint64_t sa_restorer;
	linux_sigset_t sa_mask;
};

#endif
