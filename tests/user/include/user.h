/*
 * The tiny libc-less runtime of the user test programs (tests/user/):
 * system call wrappers (per architecture, in tests/user/arch/), a
 * few string functions and a small printf. The same C source runs natively
 * on Linux (the oracle) and on Keel, so nothing here may depend on which.
 */
#ifndef USER_H
#define USER_H

#include <stddef.h>
#include <stdint.h>

/* Errno values the tests look at (Linux asm-generic numbering). */
#define ENOENT 2
#define EBADF 9
#define EACCES 13
#define EFAULT 14
#define ENOMEM 12
#define EPERM 1
#define ESRCH 3
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define EMFILE 24
#define ENFILE 23
#define EAGAIN 11
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define ENXIO 6
#define EPERM 1

/* The name of a result: "ENOENT" for -2, the number for others >= 0
 * (lib/errname.c, a static buffer: one use per printf argument list). */
const char *errname(long ret);

/* Scratch directory of a file system test (lib/testdir.c): makes and
 * enters /tmp/keel-<name>-<pid> (exits 2 if it cannot); leave goes back
 * to / and removes it, returning rmdir's result. */
const char *testdir_enter(const char *name);
long testdir_leave(void);
/* Prints "label: <result or errno name>". */
void show(const char *label, long ret);

/* ---- File system ABI (generic values, both architectures). */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define O_PATH 010000000
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH 0x1000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_IFLNK 0120000
#define S_IFCHR 0020000
#define TCGETS 0x5401

/* The kernel's struct stat (asm/stat.h), which differs per architecture
 * (user programs may look at the architecture; Keel's services may not). */
#if defined(__x86_64__)
struct kstat {
	unsigned long st_dev, st_ino, st_nlink;
	unsigned int st_mode, st_uid, st_gid, __pad0;
	unsigned long st_rdev;
	long st_size, st_blksize, st_blocks;
	unsigned long st_atime, st_atime_nsec, st_mtime, st_mtime_nsec,
		st_ctime, st_ctime_nsec;
	long __unused[3];
};
#else
struct kstat {
	unsigned long st_dev, st_ino;
	unsigned int st_mode, st_nlink, st_uid, st_gid;
	unsigned long st_rdev, __pad1;
	long st_size;
	int st_blksize, __pad2;
	long st_blocks;
	long st_atime;
	unsigned long st_atime_nsec;
	long st_mtime;
	unsigned long st_mtime_nsec;
	long st_ctime;
	unsigned long st_ctime_nsec;
	unsigned int __unused4, __unused5;
};
#endif

struct iovec_u {
	const void *base;
	size_t len;
};

long sys_read(int fd, void *buf, size_t len);
long sys_close(int fd);
long sys_openat(int dirfd, const char *path, int flags, int mode);
long sys_lseek(int fd, long off, int whence);
long sys_fstat(int fd, struct kstat *st);
long sys_newfstatat(int dirfd, const char *path, struct kstat *st, int flags);
long sys_mkdirat(int dirfd, const char *path, int mode);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_getdents64(int fd, void *buf, size_t len);
long sys_renameat2(int olddirfd, const char *oldpath, int newdirfd,
		   const char *newpath, unsigned flags);
long sys_linkat(int olddirfd, const char *oldpath, int newdirfd,
		const char *newpath, int flags);
long sys_symlinkat(const char *target, int newdirfd, const char *linkpath);
long sys_readlinkat(int dirfd, const char *path, char *buf, size_t len);
long sys_dup(int fd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_fcntl(int fd, int cmd, long arg);
long sys_ioctl(int fd, unsigned long cmd, unsigned long arg);
long sys_getcwd(char *buf, size_t size);
long sys_chdir(const char *path);
long sys_fchdir(int fd);
long sys_ftruncate(int fd, long len);
long sys_truncate(const char *path, long len);
long sys_pread64(int fd, void *buf, size_t len, long off);
long sys_pwrite64(int fd, const void *buf, size_t len, long off);
long sys_readv(int fd, const struct iovec_u *iov, int cnt);
long sys_writev(int fd, const struct iovec_u *iov, int cnt);
long sys_umask(int mask);

/* ---- System calls (arch/<arch>/syscall.S): raw Linux semantics, errors
 * come back as a negative errno. */
long sys_write(int fd, const void *buf, size_t len);
long sys_brk(unsigned long addr);
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);
long sys_getpid(void);
long sys_sched_yield(void);
long sys_set_tid_address(int *tidptr);
__attribute__((noreturn)) void sys_exit(int status);
__attribute__((noreturn)) void sys_exit_group(int status);
/* A system call by this architecture's number (for -ENOSYS tests). */
long sys_call0(long nr);
/* Any system call with six arguments (the fuzzer, tests/fuzz/sysfuzz/). */
long sys_call6(long nr, long a0, long a1, long a2, long a3, long a4,
	       long a5);

/* ---- Architecture helpers (arch/<arch>/syscall.S) */
/* Makes p the thread pointer (x86-64: FS base via arch_prctl; riscv: tp).
 * Returns 0 or -errno. */
long tls_set(void *p);
/* The word at offset 0 of the thread pointer (%fs:0 / 0(tp)). */
unsigned long tls_load0(void);
/* A thread (or process) by clone(flags) on the stack ending at
 * stack_top, running fn(arg) and exiting when it returns. The new tid, or
 * -errno. */
long thread_spawn(unsigned long flags, void *stack_top, void (*fn)(void *),
		  void *arg);
/* Executes an illegal instruction. */
void arch_illegal_instruction(void);
/* A system call number no Linux architecture uses. */
#define SYS_NUMBER_UNUSED 1999

/* ---- Signals (arch/<arch>/signal.S, lib/signal.c): the kernel's
 * interface, no libc. */
#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGTERM 15
#define SIGCHLD 17
#define SIGSTOP 19
#define SA_SIGINFO 0x4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000u
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TKILL (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define SIGBIT(sig) (1ul << ((sig) - 1))

/* The start of siginfo_t (the fields the tests read). */
struct usiginfo {
	int si_signo, si_errno, si_code, pad;
	union {
		struct { int pid; unsigned uid; long value; } kill;
		struct { unsigned long addr; } fault;
		char bytes[112];
	} u;
};

struct ustack {
	void *ss_sp;
	int ss_flags;
	unsigned long ss_size;
};

typedef void (*usighandler)(int sig, struct usiginfo *info, void *uc);

long sys_rt_sigaction(int sig, const void *act, void *oact, size_t size);
long sys_rt_sigprocmask(int how, const unsigned long *set,
			unsigned long *oset, size_t size);
long sys_rt_sigpending(unsigned long *set, size_t size);
long sys_rt_sigqueueinfo(int pid, int sig, const struct usiginfo *info);
long sys_sigaltstack(const struct ustack *ss, struct ustack *old);
long sys_kill(int pid, int sig);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
/* Installs handler (or 0 SIG_DFL, 1 SIG_IGN) for sig with flags and
 * mask, the restorer added where the ABI needs one; returns 0 or -errno.
 * *old_handler, when not NULL, gets the previous handler. */
long sig_install(int sig, usighandler handler, unsigned long flags,
		 unsigned long mask, unsigned long *old_handler);
/* The blocked mask now. */
unsigned long sig_blocked(void);
/* The saved pc in a handler's ucontext (rip / sc_regs.pc). */
unsigned long *uc_pc(void *uc);
/* riscv64: the first of the words after the F/D state in a handler's
 * ucontext, which must be zero (no extension context); NULL on x86-64. */
unsigned int *uc_fp_tail(void *uc);
/* rt_sigreturn with the stack pointer at sp. */
__attribute__((noreturn)) void sigreturn_at(unsigned long sp);
/* Faulting instructions, each with a label after it to resume at. */
unsigned long fault_load(unsigned long addr);
void fault_store(unsigned long addr);
void fault_illegal(void);
void fault_breakpoint(void);
extern char fault_load_resume[], fault_store_resume[];
extern char fault_illegal_resume[], fault_breakpoint_resume[];
/* The si_code Linux gives SIGILL for fault_illegal and SIGTRAP for
 * fault_breakpoint here, and whether si_addr of the breakpoint is its
 * address (riscv64) or 0 (x86-64). */
extern const int arch_ill_code, arch_trap_code, arch_trap_addr;
/* 1 when every FP register still holds what it had before send() ran
 * (a signal handler that clobbers them). */
long fpu_survives(long (*send)(void));
void fpu_clobber(void);

/* ---- String functions (lib/string.c). The compiler may call the mem*
 * ones on its own, so they must exist. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
/* Decimal (optionally negative) number; def if s is NULL or not a number. */
long parse_long(const char *s, long def);

/* ---- Output (lib/print.c), to fd 1, line buffered per call. */
/* %d %i %u %x %s %c %p %% with the l modifier; returns bytes written. */
int uprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void uputs(const char *s); /* s and a newline */
/* uprintf to fd instead of 1. */
int udprintf(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- Program entry (lib/crt.c calls it, then exits with its result). */
int main(int argc, char **argv);

#endif
