/*
 * User mode: user_run() enters the current task's user context through
 * hal_user_run and turns what brings it back into a user event. Page
 * faults the memory code can resolve and interrupts are handled here
 * (the task yields when its slice is over); everything else goes back to
 * the services. Also the named-register accessors of <keel/user.h>.
 */
#include <hal/hal.h>
#include <keel/log.h>
#include <keel/user.h>

#include "mm/mm.h"
#include "sched/sched.h"
#include "time/time.h"

_Static_assert(USER_ACCESS_READ == HAL_ACCESS_READ &&
		       USER_ACCESS_WRITE == HAL_ACCESS_WRITE &&
		       USER_ACCESS_EXEC == HAL_ACCESS_EXEC,
	       "user and HAL access bits agree");

static enum user_exception user_exception_of(enum hal_exception e)
{
	switch (e) {
	case HAL_EXC_ILLEGAL:
		return USER_EXC_ILLEGAL;
	case HAL_EXC_DIVIDE:
		return USER_EXC_DIVIDE;
	case HAL_EXC_BREAKPOINT:
		return USER_EXC_BREAKPOINT;
	case HAL_EXC_ALIGN:
		return USER_EXC_ALIGN;
	case HAL_EXC_PROTECTION:
		return USER_EXC_PROTECTION;
	case HAL_EXC_FPU:
		return USER_EXC_FPU;
	default:
		return USER_EXC_NONE;
	}
}

/* Runs user code once; returns the trap with in_user cleared. */
static enum hal_trap enter_user(struct task *cur, struct hal_trap_info *hi)
{
	struct cpu *cpu;
	enum hal_trap trap;

	if (task_should_yield())
		schedule();
	cpu = this_cpu(); /* after schedule(): tasks may change CPUs */
	__atomic_store_n(&cpu->in_user, true, __ATOMIC_RELAXED);
	cputime_user_enter(&cur->cputime); /* user time runs from here */
	time_reprogram(); /* the slice and user-time timers now matter */
	trap = hal_user_run(&cur->uctx.hw, vm_space_hal(cur->vm), hi);
	cputime_user_exit(&cur->cputime);
	__atomic_store_n(&cpu->in_user, false, __ATOMIC_RELAXED);
	return trap;
}

/*
 * Runs the current task in user mode until an event the services must
 * see. The task must have an address space (task_set_vm).
 */
enum user_event user_run(struct user_event_info *info)
{
	struct task *cur = task_current();

	kassert(cur->vm);
	for (;;) {
		struct hal_trap_info hi = { 0, 0, HAL_EXC_NONE };
		enum hal_trap trap = enter_user(cur, &hi);

		*info = (struct user_event_info){ hi.addr, hi.access,
						  USER_EXC_NONE, 0 };
		switch (trap) {
		case HAL_TRAP_SYSCALL:
			return USER_EVENT_SYSCALL;
		case HAL_TRAP_PAGE_FAULT:
			info->error =
				vm_handle_fault(cur->vm, hi.addr, hi.access);
			if (info->error == 0)
				continue;
			return USER_EVENT_PAGE_FAULT;
		case HAL_TRAP_INTERRUPT:
			if (task_should_yield())
				schedule();
			return USER_EVENT_INTERRUPT;
		case HAL_TRAP_EXCEPTION:
			info->exception = user_exception_of(hi.exception);
			return USER_EVENT_EXCEPTION;
		}
		panic("hal_user_run returned unknown trap %d", (int)trap);
	}
}

struct user_ctx *task_user_ctx(struct task *t)
{
	return &t->uctx;
}

static const enum hal_ureg hal_reg_of[] = {
	[UREG_IP] = HAL_UREG_IP,       [UREG_SP] = HAL_UREG_SP,
	[UREG_SYSNR] = HAL_UREG_SYSNR, [UREG_ARG0] = HAL_UREG_ARG0,
	[UREG_ARG1] = HAL_UREG_ARG1,   [UREG_ARG2] = HAL_UREG_ARG2,
	[UREG_ARG3] = HAL_UREG_ARG3,   [UREG_ARG4] = HAL_UREG_ARG4,
	[UREG_ARG5] = HAL_UREG_ARG5,   [UREG_RET] = HAL_UREG_RET,
	[UREG_TLS] = HAL_UREG_TLS,
};

/* A register name from the services; a bad one is a kernel bug. */
static enum hal_ureg hal_reg(enum ureg reg)
{
	kassert((unsigned)reg < ARRAY_SIZE(hal_reg_of));
	return hal_reg_of[reg];
}

void uctx_init(struct user_ctx *ctx, uintptr_t ip, uintptr_t sp)
{
	hal_uctx_init(&ctx->hw, ip, sp);
}

uint64_t uctx_get(const struct user_ctx *ctx, enum ureg reg)
{
	return hal_uctx_get(&ctx->hw, hal_reg(reg));
}

void uctx_set(struct user_ctx *ctx, enum ureg reg, uint64_t value)
{
	hal_uctx_set(&ctx->hw, hal_reg(reg), value);
}
