/*
 * siginfo_t as the kernel writes it for user code (128 bytes; the
 * asm-generic layout both x86-64 and riscv64 use on 64 bits), and the
 * si_code values of signal(7) and sigaction(2). Field names are Linux's
 * user-visible ones (si_pid, si_addr...), each union member spelled out.
 * Checked against the toolchain's <asm/siginfo.h> (scripts/check-uapi).
 */
#ifndef UAPI_SIGINFO_H
#define UAPI_SIGINFO_H

#include <stdint.h>

#define UAPI_SI_MAX_SIZE 128
/* The three ints and the padding before the union (64-bit ABIs). */
#define UAPI_SI_PREAMBLE_SIZE 16

union linux_sigval {
	int32_t sival_int;
	uint64_t sival_ptr; /* a user address */
};

struct linux_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t __pad0;
	union {
		struct { /* kill(2), tkill(2) */
			int32_t si_pid;
			uint32_t si_uid;
		} kill;
		struct { /* POSIX timers */
			int32_t si_tid;
			int32_t si_overrun;
			union linux_sigval si_value;
			int32_t si_sys_private;
		} timer;
		struct { /* sigqueue(3), POSIX message queues */
			int32_t si_pid;
			uint32_t si_uid;
			union linux_sigval si_value;
		} rt;
		struct { /* SIGCHLD */
			int32_t si_pid;
			uint32_t si_uid;
			int32_t si_status;
			int64_t si_utime; /* clock ticks */
			int64_t si_stime;
		} sigchld;
		struct { /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			uint64_t si_addr; /* a user address */
			union {
				int16_t si_addr_lsb; /* BUS_MCEERR_* */
				struct { /* SEGV_BNDERR */
					uint8_t __pad[8];
					uint64_t si_lower;
					uint64_t si_upper;
				} addr_bnd;
				struct { /* SEGV_PKUERR */
					uint8_t __pad[8];
					uint32_t si_pkey;
				} addr_pkey;
				struct { /* TRAP_PERF */
					uint64_t si_data;
					uint32_t si_type;
					uint32_t si_flags;
				} perf;
			};
		} sigfault;
		struct { /* SIGPOLL */
			int64_t si_band;
			int32_t si_fd;
		} sigpoll;
		struct { /* SIGSYS from seccomp */
			uint64_t si_call_addr; /* a user address */
			int32_t si_syscall;
			uint32_t si_arch;
		} sigsys;
		uint8_t __pad[UAPI_SI_MAX_SIZE - UAPI_SI_PREAMBLE_SIZE];
	} fields;
};

_Static_assert(sizeof(struct linux_siginfo) == UAPI_SI_MAX_SIZE,
	       "siginfo_t is 128 bytes");

/* timer_create(2)'s struct sigevent (64 bytes; the thread id of
 * SIGEV_THREAD_ID in the union; SIGEV_THREAD's function and attributes
 * are the libc's business). */
#define UAPI_SIGEV_MAX_SIZE 64
#define UAPI_SIGEV_PREAMBLE_SIZE 16

struct linux_sigevent {
	union linux_sigval sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	union {
		int32_t sigev_notify_thread_id;
		uint8_t __pad[UAPI_SIGEV_MAX_SIZE - UAPI_SIGEV_PREAMBLE_SIZE];
	} un;
};

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

/* si_code: who sent the signal (any signal). */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO (-5)
#define SI_TKILL (-6)
#define SI_DETHREAD (-7)
#define SI_ASYNCNL (-60)

/* si_code for SIGILL. */
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define ILL_ILLADR 3
#define ILL_ILLTRP 4
#define ILL_PRVOPC 5
#define ILL_PRVREG 6
#define ILL_COPROC 7
#define ILL_BADSTK 8

/* si_code for SIGFPE. */
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define FPE_FLTSUB 8

/* si_code for SIGSEGV. */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define SEGV_BNDERR 3
#define SEGV_PKUERR 4

/* si_code for SIGBUS. */
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define BUS_OBJERR 3
#define BUS_MCEERR_AR 4
#define BUS_MCEERR_AO 5

/* si_code for SIGTRAP. */
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define TRAP_BRANCH 3
#define TRAP_HWBKPT 4

/* si_code for SIGCHLD. */
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* si_code for SIGPOLL. */
#define POLL_IN 1
#define POLL_OUT 2
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6

/* si_code for SIGSYS. */
#define SYS_SECCOMP 1

#endif
