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
#define EBADF 9
#define EFAULT 14
#define ENOMEM 12
#define EINVAL 22
#define ENOSYS 38

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

/* ---- Architecture helpers (arch/<arch>/syscall.S) */
/* Makes p the thread pointer (x86-64: FS base via arch_prctl; riscv: tp).
 * Returns 0 or -errno. */
long tls_set(void *p);
/* The word at offset 0 of the thread pointer (%fs:0 / 0(tp)). */
unsigned long tls_load0(void);
/* Executes an illegal instruction. */
void arch_illegal_instruction(void);
/* A system call number no Linux architecture uses. */
#define SYS_NUMBER_UNUSED 1999

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

/* ---- Program entry (lib/crt.c calls it, then exits with its result). */
int main(int argc, char **argv);

#endif
