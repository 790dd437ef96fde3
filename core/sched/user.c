/*
 * User mode: user_run() enters the current task's user context through
 * hal_user_run and turns what brings it back into a user event. Page
 * faults the memory code can resolve and interrupts are handled here
 * (the task yields when its slice is over); everything else, and a
 * pending notification, goes back to the services. Also the
 * register-file accessors of <keel/user.h>, all over the HAL's (named
 * registers, the whole set, the FPU blob, syscall restart, copying).
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <keel/user.h>

#include <stddef.h>

#include "mm/mm.h"
#include "sched/sched.h"
#include "time/time.h"

_Static_assert(USER_ACCESS_READ == HAL_ACCESS_READ &&
		       USER_ACCESS_WRITE == HAL_ACCESS_WRITE &&
		       USER_ACCESS_EXEC == HAL_ACCESS_EXEC,
	       "user and HAL access bits agree");
_Static_assert(USER_SI_KERNEL == HAL_SI_KERNEL &&
		       USER_ILL_ILLOPC == HAL_ILL_ILLOPC &&
		       USER_ILL_ILLOPN == HAL_ILL_ILLOPN &&
		       USER_ILL_ILLTRP == HAL_ILL_ILLTRP &&
		       USER_FPE_INTDIV == HAL_FPE_INTDIV &&
		       USER_FPE_FLTDIV == HAL_FPE_FLTDIV &&
		       USER_FPE_FLTOVF == HAL_FPE_FLTOVF &&
		       USER_FPE_FLTUND == HAL_FPE_FLTUND &&
		       USER_FPE_FLTRES == HAL_FPE_FLTRES &&
		       USER_FPE_FLTINV == HAL_FPE_FLTINV &&
		       USER_SEGV_ACCERR == HAL_SEGV_ACCERR &&
		       USER_BUS_ADRALN == HAL_BUS_ADRALN &&
		       USER_TRAP_BRKPT == HAL_TRAP_BRKPT &&
		       USER_TRAP_TRACE == HAL_TRAP_TRACE,
	       "user and HAL si_code values agree");

/* <keel/arch/user_regs.h> is the HAL's register set, field by field. */
_Static_assert(sizeof(struct user_regs) == sizeof(struct hal_uregs),
	       "user_regs size");
#define SAME_OFFSET(f)                                                   \
	_Static_assert(offsetof(struct user_regs, f) ==                  \
			       offsetof(struct hal_uregs, f),            \
		       "user_regs." #f);
HAL_UREGS_FIELDS(SAME_OFFSET)
#undef SAME_OFFSET

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

/* SEGV_ACCERR if the page tables map va (for some other access, or
 * none: PROT_NONE keeps its frame), else SEGV_MAPERR. */
static int fault_code(struct vm_space *vs, uintptr_t va)
{
	unsigned prot;

	return vm_query(vs, va, &prot) == 0 ? USER_SEGV_ACCERR :
					      USER_SEGV_MAPERR;
}

/*
 * Runs user code once, unless the task must first give up the CPU (it
 * yields and looks again) or has a notification pending: then it returns
 * false without entering user mode. Interrupts stay disabled from the
 * last look until hal_user_run is in user mode, so a kick (task_notify
 * from another CPU) or a slice end that lands after the look is held
 * pending and ends user mode at once instead of waiting for the next
 * interrupt (the lost-kick race). in_user is set before the notification
 * is read, and task_notify sets the flag before it reads in_user: one of
 * the two sees the other.
 */
static bool enter_user(struct task *cur, struct hal_trap_info *hi,
		       enum hal_trap *trap)
{
	for (;;) {
		unsigned long irq = hal_irq_save();
		struct cpu *cpu = this_cpu();

		if (task_should_yield()) {
			hal_irq_restore(irq);
			schedule(); /* may come back on another CPU */
			continue;
		}
		__atomic_store_n(&cpu->in_user, true, __ATOMIC_SEQ_CST);
		if (task_notify_pending(cur)) {
			__atomic_store_n(&cpu->in_user, false, __ATOMIC_RELAXED);
			hal_irq_restore(irq);
			return false;
		}
		cputime_user_enter(&cur->cputime); /* user time runs from here */
		time_reprogram(); /* the slice and user-time timers now matter */
		cpu->user_entries++;
		*trap = hal_user_run(&cur->uctx.hw, vm_space_hal(cur->vm), hi);
		cputime_user_exit(&cur->cputime);
		__atomic_store_n(&cpu->in_user, false, __ATOMIC_RELAXED);
		hal_irq_restore(irq);
		return true;
	}
}

/*
 * Runs the current task in user mode until an event the services must
 * see. The task must have an address space (task_set_vm). Interrupts are
 * handled here: the task yields when its slice is over and goes back to
 * user code, unless it has been notified (task_notify): then it returns
 * USER_EVENT_INTERRUPT so that the services look for signals.
 */
enum user_event user_run(struct user_event_info *info)
{
	struct task *cur = task_current();

	kassert(cur->vm);
	for (;;) {
		struct hal_trap_info hi = { .exception = HAL_EXC_NONE };
		enum hal_trap trap;
		bool ran = enter_user(cur, &hi, &trap);

		*info = (struct user_event_info){
			.addr = hi.addr, .access = hi.access,
			.exception = USER_EXC_NONE, .code = hi.code,
			.trapno = hi.trapno, .errcode = hi.error,
		};
		if (!ran)
			return USER_EVENT_INTERRUPT;
		switch (trap) {
		case HAL_TRAP_SYSCALL:
			return USER_EVENT_SYSCALL;
		case HAL_TRAP_PAGE_FAULT:
			stat_note_fault();
			info->error =
				vm_handle_fault(cur->vm, hi.addr, hi.access);
			if (info->error == 0)
				continue;
			info->code = fault_code(cur->vm, hi.addr);
			return USER_EVENT_PAGE_FAULT;
		case HAL_TRAP_INTERRUPT:
			continue; /* enter_user yields or sees a notification */
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

void uctx_copy(struct user_ctx *dst, const struct user_ctx *src)
{
	if (dst != src)
		memcpy(dst, src, sizeof(*dst));
}

void uctx_get_regs(const struct user_ctx *ctx, struct user_regs *regs)
{
	struct hal_uregs hr;

	hal_uctx_get_regs(&ctx->hw, &hr);
	memcpy(regs, &hr, sizeof(*regs));
}

int uctx_set_regs(struct user_ctx *ctx, const struct user_regs *regs)
{
	struct hal_uregs hr;

	memcpy(&hr, regs, sizeof(hr));
	return hal_uctx_set_regs(&ctx->hw, &hr);
}

size_t uctx_fpu_size(void)
{
	return hal_uctx_fpu_size();
}

int uctx_fpu_save(const struct user_ctx *ctx, uptr_t dst)
{
	size_t size = hal_uctx_fpu_size();
	void *blob = kmalloc(size);
	int err;

	if (!blob)
		return -ENOMEM;
	hal_uctx_fpu_save(&ctx->hw, blob);
	err = copy_to_user(dst, blob, size);
	kfree(blob);
	return err;
}

int uctx_fpu_restore(struct user_ctx *ctx, uptr_t src)
{
	size_t size = hal_uctx_fpu_size();
	void *blob = kmalloc(size);
	int err;

	if (!blob)
		return -ENOMEM;
	err = copy_from_user(blob, src, size);
	if (!err)
		err = hal_uctx_fpu_restore(&ctx->hw, blob);
	kfree(blob);
	return err;
}

int uctx_syscall_restart(struct user_ctx *ctx)
{
	return hal_uctx_syscall_restart(&ctx->hw);
}
