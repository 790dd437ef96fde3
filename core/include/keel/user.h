/*
 * User mode. A task with an address space runs user code with user_run(),
 * which returns on every event the services must act on. Page faults the
 * core can resolve itself (copy-on-write, and the address space's fault
 * handler, see <keel/vm.h>) never come back; interrupts are dispatched and
 * the task is preempted inside user_run when its slice is over, and only
 * a notification (task_notify) makes it return USER_EVENT_INTERRUPT.
 *
 * The user context is the task's saved user register file; services read
 * and change it only through the accessors below: named registers, the
 * whole general-register set as Linux's user_regs_struct
 * (<keel/arch/user_regs.h>, selected by the build), the FPU/vector state
 * as an opaque blob in user memory, copying a context (fork) and
 * restarting an interrupted system call.
 */
#ifndef KEEL_USER_H
#define KEEL_USER_H

#include <keel/arch/user_regs.h>
#include <keel/types.h>

struct task;
struct user_ctx; /* opaque: the HAL's register file */

enum user_event {
	USER_EVENT_SYSCALL,    /* read with user_syscall_*, answer with RET */
	USER_EVENT_PAGE_FAULT, /* unresolved: info.addr, info.access */
	USER_EVENT_EXCEPTION,  /* info.exception, info.addr */
	USER_EVENT_INTERRUPT,  /* notified (task_notify): check signals */
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

/*
 * Linux si_code values, for the signal Linux sends with each event:
 * page fault SIGSEGV (MAPERR: nothing mapped at addr; ACCERR: mapped, but
 * not for this access), ILLEGAL SIGILL, DIVIDE and FPU SIGFPE, BREAKPOINT
 * SIGTRAP, ALIGN SIGBUS, PROTECTION SIGSEGV.
 */
#define USER_SI_KERNEL 0x80 /* x86: #GP, int3, ... */
#define USER_ILL_ILLOPC 1   /* riscv64: illegal instruction */
#define USER_ILL_ILLOPN 2   /* x86: ud2 and other #UD */
#define USER_ILL_ILLTRP 4
#define USER_FPE_INTDIV 1
#define USER_FPE_FLTDIV 3
#define USER_FPE_FLTOVF 4
#define USER_FPE_FLTUND 5
#define USER_FPE_FLTRES 6
#define USER_FPE_FLTINV 7
#define USER_SEGV_MAPERR 1
#define USER_SEGV_ACCERR 2
#define USER_BUS_ADRALN 1
#define USER_TRAP_BRKPT 1 /* riscv64: ebreak */
#define USER_TRAP_TRACE 2

/*
 * What came with an event, enough for a Linux siginfo and signal frame:
 * addr is si_addr (page faults: the fault address; exceptions: what Linux
 * reports, the faulting ip or 0), code the si_code (page faults: for
 * error -EFAULT), trapno and errcode what
 * the x86 sigcontext carries (the vector and error code; riscv64: scause
 * and stval).
 */
struct user_event_info {
	uintptr_t addr;
	unsigned access;
	enum user_exception exception;
	/* USER_EVENT_PAGE_FAULT: why it stays unresolved. -EFAULT: nothing
	 * is mapped there or the access is not allowed (SIGSEGV); -ENOMEM;
	 * else the error an object's pager returned (SIGBUS). */
	int error;
	int code;
	unsigned trapno;
	uint64_t errcode;
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

/* Resets ctx to start at ip with stack sp, all else as a fresh Linux
 * process has it. */
void uctx_init(struct user_ctx *ctx, uintptr_t ip, uintptr_t sp);
uint64_t uctx_get(const struct user_ctx *ctx, enum ureg reg);
void uctx_set(struct user_ctx *ctx, enum ureg reg, uint64_t value);

/* Makes dst a copy of src, FPU state included (fork). */
void uctx_copy(struct user_ctx *dst, const struct user_ctx *src);

/*
 * The whole general-register set. uctx_set_regs validates first and
 * returns -EINVAL, changing nothing, for what user code could not set
 * itself (see <keel/arch/user_regs.h>); what uctx_get_regs returns is
 * always accepted.
 */
void uctx_get_regs(const struct user_ctx *ctx, struct user_regs *regs);
int uctx_set_regs(struct user_ctx *ctx, const struct user_regs *regs);

/*
 * The FPU/vector state as an opaque blob of uctx_fpu_size() bytes (fixed
 * at boot; the format of the Linux signal frame's FP area: x86-64 XSAVE
 * with its software bytes, riscv64 struct __riscv_d_ext_state), saved to
 * and restored from user memory at dst/src. -EFAULT for bad user memory;
 * restore also -EINVAL for a blob this machine could not have saved (the
 * state is never loaded then), and -ENOMEM. A failed call changes
 * nothing.
 */
size_t uctx_fpu_size(void);
int uctx_fpu_save(const struct user_ctx *ctx, uptr_t dst);
int uctx_fpu_restore(struct user_ctx *ctx, uptr_t src);

/*
 * Rewinds ctx, stopped at a system call (USER_EVENT_SYSCALL), to execute
 * that call again when it next runs (-ERESTARTSYS, SA_RESTART): the ip
 * back over the instruction, the registers the return value overwrote as
 * on entry. Once per stop: -EINVAL if ctx did not stop at a system call
 * or was rewound already.
 */
int uctx_syscall_restart(struct user_ctx *ctx);

/* Lowest and one past the highest address user mappings may use. */
uintptr_t user_va_min(void);
uintptr_t user_va_max(void);

#endif
