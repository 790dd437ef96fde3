/*
 * How a stub process confines itself, once its handlers are installed
 * and before any user code runs: two seccomp filter layers and the
 * mapper thread between them.
 *
 *   1. The stub filter (every thread): a system call from outside the
 *      stub's text traps (SIGSYS: user code's calls, which the kernel
 *      serves); from inside it, only the calls some stub thread makes
 *      pass, and anything else kills the process.
 *   2. The mapper (stub/mapper.S) is cloned under layer 1 only: it is
 *      the one thread that may map physical memory.
 *   3. The user filter (the main thread, hence every thread it starts
 *      later, which are the ones that run user code): from the stub's
 *      text only the trap path and thread starts, with no call that
 *      maps, unmaps, protects or writes anything, and no signal but
 *      the kick to the stub itself. Calls from elsewhere are left to
 *      layer 1 (the stricter action of the two layers wins).
 *
 * Why two layers: seccomp sees the instruction pointer, not who jumped
 * there, so user code can borrow any `syscall` instruction in the stub's
 * text (or bytes that decode as one) with its own registers. Layer 2 is
 * what such a call meets; the mapper never runs user code, and keeps
 * nothing user code could write (../stub_map.h).
 */
#pragma GCC visibility push(hidden)

#include "stub.h"

#include <asm/prctl.h>
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>

#define K_SIG_SETMASK 2

extern const char __executable_start[], etext[];

long stub_start_mapper(unsigned long clone_flags);

/* One allowed system call number: ALLOW if nr matches, else go on. */
#define ALLOW_NR(nr)                                                    \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),                \
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

#define ARG_LO(n) offsetof(struct seccomp_data, args[n])
#define ARG_HI(n) (offsetof(struct seccomp_data, args[n]) + 4)
#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(action) BPF_STMT(BPF_RET | BPF_K, (action))

/* The first instructions of both layers: wrong arch, or an ip outside
 * [lo, hi] (the stub's text), returns not_stub; then the call's nr is
 * loaded. 11 instructions. */
#define FROM_STUB_TEXT(lo, hi, not_stub)                                \
	LOAD(offsetof(struct seccomp_data, arch)),                      \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0), \
		RET(not_stub),                                          \
		LOAD(offsetof(struct seccomp_data, instruction_pointer) + 4), \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)((lo) >> 32), \
			 1, 0),                                         \
		RET(not_stub),                                          \
		LOAD(offsetof(struct seccomp_data, instruction_pointer)), \
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)(lo), 1, 0), \
		RET(not_stub),                                          \
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)(hi), 0, 1), \
		RET(not_stub), LOAD(offsetof(struct seccomp_data, nr))

/* nr passes only with argument 0 (all 64 bits) equal to val, and kills
 * with any other; a different nr goes on past these 7 instructions. */
#define ALLOW_NR_ARG0(nr, val)                                          \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 6), LOAD(ARG_LO(0)), \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (val), 0, 3),       \
		LOAD(ARG_HI(0)),                                        \
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),           \
		RET(SECCOMP_RET_ALLOW), RET(SECCOMP_RET_KILL_PROCESS)

static void install(struct sock_filter *f, unsigned short n)
{
	struct sock_fprog prog = { n, f };

	if (stub_sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		stub_exit(124);
}

/*
 * Layer 1: traps every system call whose ip is outside the stub's text
 * (the user program's). From the stub's own text only what its threads
 * use passes: futex (the handshakes), rt_sigreturn, arch_prctl (FS base),
 * mmap, munmap, mprotect and pwrite64 on the context fd (the mapper),
 * rt_sigprocmask and seccomp (starting the mapper, then layer 2, which
 * can only take rights away), getpid and tgkill (a thread's first kick),
 * sigaltstack (a new thread's signal stack), clone with
 * exactly STUB_CLONE_FLAGS (a thread, never a process), exit_group;
 * anything else kills the stub, so that code jumping into its text
 * cannot open, exec or connect either.
 */
static void install_stub_filter(uint64_t lo, uint64_t hi)
{
	struct sock_filter f[] = {
		FROM_STUB_TEXT(lo, hi, SECCOMP_RET_TRAP),
		ALLOW_NR(__NR_futex),
		ALLOW_NR(__NR_rt_sigreturn),
		ALLOW_NR(__NR_arch_prctl),
		ALLOW_NR(__NR_mmap),
		ALLOW_NR(__NR_munmap),
		ALLOW_NR(__NR_mprotect),
		ALLOW_NR(__NR_rt_sigprocmask),
		ALLOW_NR(__NR_getpid),
		ALLOW_NR(__NR_tgkill),
		ALLOW_NR(__NR_sigaltstack),
		ALLOW_NR(__NR_exit_group),
		ALLOW_NR(__NR_seccomp),
		ALLOW_NR_ARG0(__NR_pwrite64, STUB_CTX_FD), /* the mapper's */
		ALLOW_NR_ARG0(__NR_clone, STUB_CLONE_FLAGS), /* a thread */
		RET(SECCOMP_RET_KILL_PROCESS),
	};

	if ((lo >> 32) != (hi >> 32))
		stub_exit(125); /* the filter compares one 4 GiB window */
	if (stub_sys3(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0) != 0)
		stub_exit(124);
	install(f, sizeof(f) / sizeof(f[0]));
}

/*
 * Layer 2, for the threads that run user code: from the stub's text only
 * futex WAIT and WAKE (the handshake), rt_sigreturn, arch_prctl
 * ARCH_SET_FS, getpid, tgkill of the stub's own threads with the kick
 * signal, sigaltstack, clone (layer 1 checks its flags) and exit_group;
 * anything else, mmap, munmap, mprotect and pwrite64 first, kills the
 * stub. Wrong arch or another ip: allowed here, layer 1 traps it.
 */
static void install_user_filter(uint64_t lo, uint64_t hi, long pid)
{
	struct sock_filter f[] = {
		FROM_STUB_TEXT(lo, hi, SECCOMP_RET_ALLOW),
		ALLOW_NR(__NR_rt_sigreturn),
		ALLOW_NR(__NR_getpid),
		ALLOW_NR(__NR_sigaltstack),
		ALLOW_NR(__NR_clone),
		ALLOW_NR(__NR_exit_group),
		/* futex: WAIT or WAKE (shared words) */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_futex, 0, 4),
		LOAD(ARG_LO(1)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUTEX_WAIT, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUTEX_WAKE, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		/* arch_prctl: ARCH_SET_FS */
		LOAD(offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_arch_prctl, 0, 3),
		LOAD(ARG_LO(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_SET_FS, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		/* tgkill: (this process, any thread, the kick) */
		LOAD(offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 0, 5),
		LOAD(ARG_LO(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)pid, 0, 3),
		LOAD(ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STUB_SIG_KICK, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		RET(SECCOMP_RET_KILL_PROCESS),
	};

	install(f, sizeof(f) / sizeof(f[0]));
}

/* Maps the mapper's region (read-only) and starts the mapper with every
 * signal blocked; the caller's mask is restored after. */
static void start_mapper(void)
{
	uint64_t all = ~0ull, old;

	if (stub_sys6(__NR_mmap, STUB_MAP_ADDR, STUB_MAP_SIZE, PROT_READ,
		      MAP_SHARED | MAP_FIXED, STUB_CTX_FD,
		      STUB_MAP_OFF) != (long)STUB_MAP_ADDR)
		stub_exit(116);
	if (stub_sys6(__NR_rt_sigprocmask, K_SIG_SETMASK, (long)&all,
		      (long)&old, 8, 0, 0) != 0 ||
	    stub_start_mapper(STUB_CLONE_FLAGS) <= 0 ||
	    stub_sys6(__NR_rt_sigprocmask, K_SIG_SETMASK, (long)&old, 0, 8, 0,
		      0) != 0)
		stub_exit(115);
}

void stub_confine(long pid)
{
	uint64_t lo = (uint64_t)__executable_start, hi = (uint64_t)etext;

	install_stub_filter(lo, hi);
	start_mapper();
	install_user_filter(lo, hi, pid);
}
