/*
 * Process creation flags of clone(2) and clone3(2) (struct clone_args,
 * its size per version) and the scheduling policies of sched(7).
 * Checked against the toolchain's <linux/sched.h> (scripts/check-uapi).
 */
#ifndef UAPI_SCHED_H
#define UAPI_SCHED_H

#include <stdint.h>

/* The low byte of clone(2)'s flags: the signal sent to the parent when
 * the child exits. */
#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000u
/* clone3(2) only: above the 32 bits of clone(2)'s flags. */
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#define CLONE_INTO_CGROUP 0x200000000ull
/* Shares CLONE_DETACHED's bit (clone3 and unshare only). */
#define CLONE_NEWTIME 0x00000080

/* clone3(2)'s argument; user pointers are 64-bit numbers. */
struct linux_clone_args {
	uint64_t flags;
	uint64_t pidfd;       /* int *, CLONE_PIDFD */
	uint64_t child_tid;   /* pid_t *, CLONE_CHILD_SETTID/CLEARTID */
	uint64_t parent_tid;  /* pid_t *, CLONE_PARENT_SETTID */
	uint64_t exit_signal;
	uint64_t stack;       /* lowest byte of the child's stack */
	uint64_t stack_size;
	uint64_t tls;         /* CLONE_SETTLS */
	uint64_t set_tid;     /* pid_t[set_tid_size] */
	uint64_t set_tid_size;
	uint64_t cgroup;      /* CLONE_INTO_CGROUP */
};

/* The sizes clone3(2) accepts, one per version of the struct. */
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_SIZE_VER1 80
#define CLONE_ARGS_SIZE_VER2 88

#define SCHED_NORMAL 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000

#endif
