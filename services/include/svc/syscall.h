/*
 * System calls, declared once and typed. A handler lives with its service
 * and is written
 *
 *     SYSCALL_DEFINE3(write, int, fd, uptr_t, buf, size_t, count)
 *     {
 *             return console_write_user(buf, count);
 *     }
 *
 * The macro converts each raw argument register to its declared type
 * through one helper per kind (sysarg_*(): an int keeps the low 32 bits,
 * as in Linux; uptr_t is made only there), so handlers never see raw
 * registers; any other type (a pointer, a struct) does not compile. The
 * body also sees `thread` (struct thread *, the calling thread), `proc`
 * (struct proc *, its process) and `uctx` (struct user_ctx *, its saved
 * registers, for the calls that change them) and returns the result or a
 * negative errno.
 *
 * Each SYSCALL_DEFINEn(name, ...) emits the descriptor syscall_desc_<name>
 * (name, argument types, names and kinds, for tracing and docs). The name
 * must be in the architecture's list (<svc/syscall_list.h>, checked against
 * Linux at build time), or the file does not compile; the table
 * (services/syscall/table.c) binds each listed number to its descriptor.
 * Calls that only one architecture has live in services/arch/<arch>/.
 */
#ifndef SVC_SYSCALL_H
#define SVC_SYSCALL_H

#include <keel/types.h>

struct proc;
struct thread;
struct user_ctx;

#define SYSCALL_MAX_ARGS 6

/* SYSNR_<name>: the architecture's number of each Linux system call. */
enum syscall_nr {
#define SYSCALL_NR(nr, name) SYSNR_##name = (nr),
#include <svc/syscall_list.h>
#undef SYSCALL_NR
};

/* How an argument is converted from its register (and shown in traces). */
enum sysarg_kind {
	SYSARG_INT,    /* int: the low 32 bits, sign-extended */
	SYSARG_UINT,   /* unsigned int: the low 32 bits */
	SYSARG_LONG,   /* long, long long: the whole register, signed */
	SYSARG_ULONG,  /* unsigned long (size_t, uint64_t...): the register */
	SYSARG_UPTR,   /* uptr_t: a user address, for the uaccess API only */
};

struct sysarg_desc {
	const char *type; /* as written in the SYSCALL_DEFINE */
	const char *name;
	enum sysarg_kind kind;
};

/* One system call as its SYSCALL_DEFINE declared it. */
struct syscall_desc {
	const char *name;
	/* The handler on the raw argument registers (raw[0..5]). */
	long (*call)(struct thread *thread, struct user_ctx *uctx,
		     const uint64_t *raw);
	unsigned nargs;
	struct sysarg_desc args[SYSCALL_MAX_ARGS];
};

/*
 * Handles the system call saved in uctx for thread t: reads the number and
 * all arguments first (on riscv ARG0 and RET share a0), runs the handler
 * and stores its result in RET, unless the call made the thread exit. A
 * number with no handler returns -ENOSYS and is reported once per number
 * (see table.c).
 */
void syscall_dispatch(struct thread *t, struct user_ctx *uctx);

/* The descriptor bound to number nr on this architecture, or NULL. */
const struct syscall_desc *syscall_lookup(uint64_t nr);

/* Linux's name of system call nr on this architecture, or NULL when no
 * Linux call has that number. */
const char *syscall_name(uint64_t nr);

/* The process of a calling thread (services/proc), for the handlers'
 * `proc`. */
struct proc *syscall_proc_of(struct thread *t);

/* ---- The conversion helpers (used by SYSCALL_DEFINEn only) ---------- */

static inline int sysarg_int(uint64_t raw)
{
	return (int)raw;
}

static inline unsigned int sysarg_uint(uint64_t raw)
{
	return (unsigned int)raw;
}

static inline long sysarg_long(uint64_t raw)
{
	return (long)raw;
}

static inline long long sysarg_llong(uint64_t raw)
{
	return (long long)raw;
}

static inline unsigned long sysarg_ulong(uint64_t raw)
{
	return (unsigned long)raw;
}

static inline unsigned long long sysarg_ullong(uint64_t raw)
{
	return (unsigned long long)raw;
}

static inline uptr_t sysarg_uptr(uint64_t raw)
{
	return uptr((uintptr_t)raw);
}

/* The conversion of a raw register to type t: a compile error for any
 * type without a helper above. */
#define __SYSARG_CONV(t, raw)                                             \
	_Generic((t){ 0 },                                                \
		int: sysarg_int,                                          \
		unsigned int: sysarg_uint,                                \
		long: sysarg_long,                                        \
		long long: sysarg_llong,                                  \
		unsigned long: sysarg_ulong,                              \
		unsigned long long: sysarg_ullong,                        \
		uptr_t: sysarg_uptr)(raw)

#define __SYSARG_KIND(t)                                                  \
	_Generic((t){ 0 },                                                \
		int: SYSARG_INT,                                          \
		unsigned int: SYSARG_UINT,                                \
		long: SYSARG_LONG,                                        \
		long long: SYSARG_LONG,                                   \
		unsigned long: SYSARG_ULONG,                              \
		unsigned long long: SYSARG_ULONG,                         \
		uptr_t: SYSARG_UPTR)

/* Applies m(type, name) to each (type, name) pair, separated by commas. */
#define __SC_MAP1(m, t, a) m(t, a)
#define __SC_MAP2(m, t, a, ...) m(t, a), __SC_MAP1(m, __VA_ARGS__)
#define __SC_MAP3(m, t, a, ...) m(t, a), __SC_MAP2(m, __VA_ARGS__)
#define __SC_MAP4(m, t, a, ...) m(t, a), __SC_MAP3(m, __VA_ARGS__)
#define __SC_MAP5(m, t, a, ...) m(t, a), __SC_MAP4(m, __VA_ARGS__)
#define __SC_MAP6(m, t, a, ...) m(t, a), __SC_MAP5(m, __VA_ARGS__)
#define __SC_MAP(n, m, ...) __SC_MAP##n(m, __VA_ARGS__)

#define __SC_DECL(t, a) t a
#define __SC_RAW(t, a) uint64_t a
#define __SC_CONV(t, a) __SYSARG_CONV(t, a)
#define __SC_DESC(t, a) { #t, #a, __SYSARG_KIND(t) }

#define __SC_RAWARGS1 raw[0]
#define __SC_RAWARGS2 __SC_RAWARGS1, raw[1]
#define __SC_RAWARGS3 __SC_RAWARGS2, raw[2]
#define __SC_RAWARGS4 __SC_RAWARGS3, raw[3]
#define __SC_RAWARGS5 __SC_RAWARGS4, raw[4]
#define __SC_RAWARGS6 __SC_RAWARGS5, raw[5]

/* The name must be one of this architecture's system calls. */
#define __SYSCALL_LISTED(name)                                            \
	_Static_assert(SYSNR_##name >= 0, #name " is a system call")

/*
 * The descriptor and handler for a call with n >= 1 arguments, without the
 * list check (unit tests use it for calls of their own). The handler is
 * sys_<name>(thread, proc, uctx, typed args...); __se_sys_<name> converts
 * the raw registers, and syscall_desc_<name>.call unpacks them.
 */
#define __SC_SELF struct thread *thread, struct proc *proc, struct user_ctx *uctx
#define __SYSCALL_DEFINEx(n, name, ...)                                   \
	static long sys_##name(__SC_SELF,                                 \
			       __SC_MAP(n, __SC_DECL, __VA_ARGS__));      \
	static long __se_sys_##name(__SC_SELF,                            \
				    __SC_MAP(n, __SC_RAW, __VA_ARGS__))   \
	{                                                                 \
		return sys_##name(thread, proc, uctx,                     \
				  __SC_MAP(n, __SC_CONV, __VA_ARGS__));   \
	}                                                                 \
	static long __raw_sys_##name(struct thread *thread,               \
				     struct user_ctx *uctx,               \
				     const uint64_t *raw)                 \
	{                                                                 \
		return __se_sys_##name(thread, syscall_proc_of(thread),   \
				       uctx, __SC_RAWARGS##n);            \
	}                                                                 \
	extern const struct syscall_desc syscall_desc_##name;             \
	const struct syscall_desc syscall_desc_##name = {                 \
		#name, __raw_sys_##name, n,                               \
		{ __SC_MAP(n, __SC_DESC, __VA_ARGS__) }                   \
	};                                                                \
	static long sys_##name(__SC_SELF,                                 \
			       __SC_MAP(n, __SC_DECL, __VA_ARGS__))

/* The same for a call without arguments. */
#define __SYSCALL_DEFINE0(name)                                           \
	static long sys_##name(__SC_SELF);                                \
	static long __raw_sys_##name(struct thread *thread,               \
				     struct user_ctx *uctx,               \
				     const uint64_t *raw)                 \
	{                                                                 \
		return sys_##name(thread, syscall_proc_of(thread), uctx); \
	}                                                                 \
	extern const struct syscall_desc syscall_desc_##name;             \
	const struct syscall_desc syscall_desc_##name = {                 \
		#name, __raw_sys_##name, 0, { { NULL, NULL, 0 } }         \
	};                                                                \
	static long sys_##name(__SC_SELF)

#define SYSCALL_DEFINE0(name)                                             \
	__SYSCALL_LISTED(name);                                           \
	__SYSCALL_DEFINE0(name)
#define SYSCALL_DEFINEx(n, name, ...)                                     \
	__SYSCALL_LISTED(name);                                           \
	__SYSCALL_DEFINEx(n, name, __VA_ARGS__)
#define SYSCALL_DEFINE1(name, ...) SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...) SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...) SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...) SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...) SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...) SYSCALL_DEFINEx(6, name, __VA_ARGS__)

#endif
