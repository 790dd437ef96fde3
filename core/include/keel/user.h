/*
 * User mode. A task with an address space runs user code with user_run(),
 * which returns on every event the services must act on. Page faults the
 * core can resolve itself (copy-on-write, and the address space's fault
 * handler, see <keel/vm.h>) never come back; interrupts are dispatched and
 * the task is preempted inside user_run when its slice is over.
 *
 * The user context is the task's saved user register file; services read
 * and change it only through the accessors below.
 */
#ifndef KEEL_USER_H
#define KEEL_USER_H

#include <keel/types.h>

struct task;
struct user_ctx; /* opaque: the HAL's register file */

enum user_event {
	USER_EVENT_SYSCALL,    /* read with user_syscall_*, answer with RET */
	USER_EVENT_PAGE_FAULT, /* unresolved: info.addr, info.access */
	USER_EVENT_EXCEPTION,  /* info.exception, info.addr */
	USER_EVENT_INTERRUPT,  /* returned so services can check signals */
};

#define USER_ACCESS_READ 1u
#define USER_ACCESS_WRITE 2u
#define USER_ACCESS_EXEC 4u

enum user_exception {
	USER_EXC_NONE,
	USER_EXC_ILLEGAL,
	USER_EXC_DIVIDE,
	USER_EXC_BREAKPOINT,
	USER_EXC_ALIGN,
	USER_EXC_PROTECTION,
	USER_EXC_FPU,
};

struct user_event_info {
	uintptr_t addr;
	unsigned access;
	enum user_exception exception;
	/* USER_EVENT_PAGE_FAULT: why it stays unresolved. -EFAULT: nothing
	 * is mapped there or the access is not allowed (SIGSEGV); -ENOMEM;
	 * else the error an object's pager returned (SIGBUS). */
	int error;
};

/* Runs the current task in user mode until the next event. */
enum user_event user_run(struct user_event_info *info);

/* The user context of t (must have one: task_set_vm gives it). */
struct user_ctx *task_user_ctx(struct task *t);

enum ureg {
	UREG_IP,
	UREG_SP,
	UREG_SYSNR,
	UREG_ARG0,
	UREG_ARG1,
	UREG_ARG2,
	UREG_ARG3,
	UREG_ARG4,
	UREG_ARG5,
	UREG_RET,
	UREG_TLS,
};

/* Resets ctx to start at ip with stack sp, all else zero. */
void uctx_init(struct user_ctx *ctx, uintptr_t ip, uintptr_t sp);
uint64_t uctx_get(const struct user_ctx *ctx, enum ureg reg);
void uctx_set(struct user_ctx *ctx, enum ureg reg, uint64_t value);

/* Lowest and one past the highest address user mappings may use. */
uintptr_t user_va_min(void);
uintptr_t user_va_max(void);

#endif
