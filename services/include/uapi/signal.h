/*
 * Linux signals as the system call ABI has them (the kernel's view, not
 * libc's): numbers, sigaction flags, sigprocmask's how, the sigaltstack
 * structure, and the kernel sigset (one bit per signal, 64 signals). The
 * arch part (<uapi/arch_signal.h>: struct linux_sigaction, SA_RESTORER,
 * stack sizes) comes from services/arch/<arch>/include/uapi/.
 *
 * Written from signal(7), sigaction(2), sigaltstack(2) and the kernel's
 * asm-generic/signal*.h; checked against the toolchain's headers at build
 * time (scripts/check-uapi). Macros named UAPI_* are Keel's own helpers.
 */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

#include <stdint.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGUNUSED 31
#define SIGRTMIN 32
/* The last of UAPI_NSIG signals. Not compared with the headers: x86-64's
 * writes it with a kernel-only macro. */
#define SIGRTMAX 64

/* The number of signals and of 64-bit words in a kernel sigset. */
#define UAPI_NSIG 64
#define UAPI_NSIG_WORDS 1

/* sigaction sa_flags (those every architecture shares). */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_UNSUPPORTED 0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000u
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

/* The two special handlers (not compared with the headers, where they are
 * function pointers). */
#define SIG_DFL 0
#define SIG_IGN 1

/* sigprocmask(2) how. */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack(2) ss_flags. */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)

/* A kernel signal set: bit (sig - 1) for signal sig. */
typedef uint64_t linux_sigset_t;

/* stack_t, as sigaltstack(2) and the ucontext have it. */
struct linux_stack {
	uint64_t ss_sp; /* a user address */
	int32_t ss_flags;
	uint32_t __pad;
	uint64_t ss_size;
};

#include <uapi/arch_signal.h>

#endif
