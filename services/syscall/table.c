/*
 * The system call table and dispatcher. The architecture's list
 * (<svc/syscall_list.h>: every Linux call, by number) is turned into a
 * table of names indexed by number, each bound to the descriptor its
 * SYSCALL_DEFINE emitted (services/<service>/, services/arch/<arch>/) or
 * to nothing: the descriptors are weak references, so a call nobody
 * defines is a NULL entry, resolved by the linker with no registration
 * step at boot.
 *
 * A number without a handler returns -ENOSYS and is reported once per
 * number at the default log level, by Linux's name:
 *     keel: pid 3 (ls): unimplemented syscall inotify_init1 (294)
 * Numbers no Linux call has are reported once each below
 * SYSCALL_REPORT_MAX, and above it once in all (user code choosing them
 * cannot flood the log). With the boot option `strace`, every answered
 * call is logged too (trace.c).
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/user.h>
#include <svc/arch.h>
#include <svc/proc.h>
#include <svc/service.h>
#include <svc/syscall.h>

#include "syscall_internal.h"

#define SYSCALL_NR(nr, name)                                              \
	extern const struct syscall_desc syscall_desc_##name              \
		__attribute__((weak));
#include <svc/syscall_list.h>
#undef SYSCALL_NR

struct syscall_slot {
	const char *name;                /* Linux's; NULL in a gap */
	const struct syscall_desc *desc; /* NULL when unimplemented */
};

static const struct syscall_slot syscall_table[] = {
#define SYSCALL_NR(nr, name) [nr] = { #name, &syscall_desc_##name },
#include <svc/syscall_list.h>
#undef SYSCALL_NR
};

/* Numbers below this are reported once each; all above share one bit. */
#define SYSCALL_REPORT_MAX 1024
#define REPORT_BITS (SYSCALL_REPORT_MAX + 1)
static uint64_t reported[(REPORT_BITS + 63) / 64];

_Static_assert(ARRAY_SIZE(syscall_table) <= SYSCALL_REPORT_MAX,
	       "every listed call has a report bit of its own");

/* True the first time nr is reported (see above). */
static bool first_report(uint64_t nr)
{
	uint64_t i = MIN(nr, (uint64_t)SYSCALL_REPORT_MAX);
	uint64_t bit = 1ull << (i % 64);

	return !(__atomic_fetch_or(&reported[i / 64], bit, __ATOMIC_RELAXED) &
		 bit);
}

void syscall_reset_reports(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(reported); i++)
		__atomic_store_n(&reported[i], 0, __ATOMIC_RELAXED);
}

const char *syscall_name(uint64_t nr)
{
	return nr < ARRAY_SIZE(syscall_table) ? syscall_table[nr].name : NULL;
}

const struct syscall_desc *syscall_lookup(uint64_t nr)
{
	return nr < ARRAY_SIZE(syscall_table) ? syscall_table[nr].desc : NULL;
}

size_t syscall_table_size(void)
{
	return ARRAY_SIZE(syscall_table);
}

/* The -ENOSYS answer for nr, reported the first time. */
static long unimplemented(struct proc *p, uint64_t nr)
{
	const char *name = syscall_name(nr);

	if (!first_report(nr))
		return -ENOSYS;
	if (name)
		pr_info("keel: pid %d (%s): unimplemented syscall %s (%llu)\n",
			p->pid, p->name, name, (unsigned long long)nr);
	else
		pr_info("keel: pid %d (%s): unknown syscall %llu%s\n", p->pid,
			p->name, (unsigned long long)nr,
			nr >= SYSCALL_REPORT_MAX ? " (from now on, numbers "
						   "this large go unreported)"
						 : "");
	return -ENOSYS;
}

void syscall_dispatch(struct thread *t, struct user_ctx *uctx)
{
	struct proc *p = t->proc;
	static const enum ureg arg_regs[SYSCALL_MAX_ARGS] = {
		UREG_ARG0, UREG_ARG1, UREG_ARG2,
		UREG_ARG3, UREG_ARG4, UREG_ARG5,
	};
	uint64_t nr = uctx_get(uctx, UREG_SYSNR);
	const struct syscall_desc *d = syscall_lookup(nr);
	uint64_t raw[SYSCALL_MAX_ARGS];
	long ret;

	/* All arguments first: RET may be ARG0's register (riscv a0). */
	for (int i = 0; i < SYSCALL_MAX_ARGS; i++)
		raw[i] = uctx_get(uctx, arg_regs[i]);
	if (!d) {
		ret = unimplemented(p, nr);
	} else {
		ret = d->call(t, uctx, raw);
		if (syscall_tracing())
			syscall_trace(t, d, raw, ret);
	}
	if (!p->exiting && !t->exiting)
		uctx_set(uctx, UREG_RET, (uint64_t)ret);
}

/* Says at boot how much of the architecture's ABI is there. */
static int syscall_table_init(void)
{
	unsigned listed = 0, bound = 0;

	for (size_t nr = 0; nr < ARRAY_SIZE(syscall_table); nr++) {
		listed += syscall_table[nr].name != NULL;
		bound += syscall_table[nr].desc != NULL;
	}
	pr_debug("syscall: %u of the %u %s Linux system calls implemented\n",
		 bound, listed, SVC_ARCH_NAME);
	return 0;
}
SERVICE_INIT(syscall, SVC_LEVEL_EARLY, syscall_table_init);
