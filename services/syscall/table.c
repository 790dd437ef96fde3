/*
 * The system call table and dispatcher. The architecture's header lists
 * which numbers Keel implements (SVC_SYSCALLS in <svc/arch.h>); this file
 * turns that list into a table indexed by number. Unknown numbers return
 * -ENOSYS and are logged once each, at debug level.
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/user.h>
#include <svc/arch.h>
#include <svc/proc.h>
#include <svc/syscall.h>

#include "sys.h"

struct syscall_desc {
	syscall_fn fn;
	const char *name;
};

#define SYSCALL_ENTRY(nr, name) [nr] = { sys_##name, #name },
static const struct syscall_desc syscall_table[] = {
	SVC_SYSCALLS(SYSCALL_ENTRY)
};

/* Numbers below this are logged only the first time they are unknown. */
#define SYSCALL_LOG_ONCE_MAX 1024
static uint64_t unknown_seen[SYSCALL_LOG_ONCE_MAX / 64];

/* True the first time nr is reported (always, for huge numbers). */
static bool first_report(uint64_t nr)
{
	uint64_t bit;

	if (nr >= SYSCALL_LOG_ONCE_MAX)
		return true;
	bit = 1ull << (nr % 64);
	return !(__atomic_fetch_or(&unknown_seen[nr / 64], bit,
				   __ATOMIC_RELAXED) & bit);
}

/* The table entry for nr, or NULL if Keel does not implement it. */
static const struct syscall_desc *lookup(uint64_t nr)
{
	if (nr >= ARRAY_SIZE(syscall_table) || !syscall_table[nr].fn)
		return NULL;
	return &syscall_table[nr];
}

void syscall_dispatch(struct proc *p, struct user_ctx *ctx)
{
	static const enum ureg arg_regs[SYSCALL_ARGS] = {
		UREG_ARG0, UREG_ARG1, UREG_ARG2,
		UREG_ARG3, UREG_ARG4, UREG_ARG5,
	};
	uint64_t nr = uctx_get(ctx, UREG_SYSNR);
	const struct syscall_desc *d = lookup(nr);
	uint64_t args[SYSCALL_ARGS];
	long ret;

	/* All arguments first: RET may be ARG0's register (riscv a0). */
	for (int i = 0; i < SYSCALL_ARGS; i++)
		args[i] = uctx_get(ctx, arg_regs[i]);
	if (d) {
		ret = d->fn(p, ctx, args);
	} else {
		if (first_report(nr))
			pr_debug("pid %d (%s): unknown system call %llu\n",
				 p->pid, p->name, (unsigned long long)nr);
		ret = -ENOSYS;
	}
	if (!p->exiting)
		uctx_set(ctx, UREG_RET, (uint64_t)ret);
}
