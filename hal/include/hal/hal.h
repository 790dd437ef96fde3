/*
 * The Keel hardware abstraction layer: the one contract between the core and
 * the machine it runs on. Three backends implement every function here:
 * hal/hosted (the kernel as a Linux process), hal/baremetal/x86_64 and
 * hal/baremetal/riscv64. docs/hal.md states each function's contract and how
 * every backend meets it.
 *
 * Only the core and the HAL itself may include this header (the rump idiom:
 * KEEL_CORE is defined for core/ and hal/ objects only). Services see the
 * core's public API in core/include/keel/, never this.
 *
 * Conventions: functions returning int return 0 or a negative Linux errno.
 * "Upcalls" at the bottom are implemented by the core and called by the HAL.
 */
#ifndef HAL_HAL_H
#define HAL_HAL_H

#ifndef KEEL_CORE
#error "hal/hal.h is for the core and the HAL only; services use <keel/...>"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HAL_VERSION 1

/*
 * The backend's arch header defines, for its machine:
 *   HAL_PAGE_SHIFT, HAL_PAGE_SIZE
 *   HAL_USER_VA_MIN, HAL_USER_VA_MAX   user addresses live in [MIN, MAX)
 *   HAL_PT_X86_64 or HAL_PT_SV39       which page-table format the core uses
 *   HAL_MAX_CPUS
 *   struct hal_kctx    saved kernel context of a task (callee-saved regs, sp)
 *   struct hal_uctx    full user register file (+ FPU state, TLS base)
 *   struct hal_as      per-address-space backend state
 * The core embeds these by value but never looks inside them.
 */
#include <hal/arch.h>
#include <hal/clock.h>

typedef uint64_t hal_paddr_t;

/* ---- Boot ------------------------------------------------------------- */

struct hal_mem_region {
	hal_paddr_t base; /* page aligned */
	uint64_t size;    /* page aligned */
};

#define HAL_MAX_MEM_REGIONS 32

struct hal_boot_info {
	const char *cmdline; /* kernel command line, never NULL */
	/* The boot loader's line did not fit the backend's copy, which holds
	 * only its start: the core refuses to boot with it. */
	bool cmdline_cut;
	/* RAM the core may hand out: excludes the kernel image, the initrd,
	 * boot page tables and anything else the HAL keeps for itself. */
	struct hal_mem_region mem[HAL_MAX_MEM_REGIONS];
	size_t nmem;
	hal_paddr_t initrd_base; /* reachable through hal_phys_to_virt */
	uint64_t initrd_size;    /* 0 when there is none */
	unsigned ncpus;          /* CPUs the machine offers, >= 1 */
};

/* ---- Console ---------------------------------------------------------- */

/* Writes all of buf to the console, synchronously. Callable from any
 * context, including interrupt handlers and panic. */
void hal_console_write(const char *buf, size_t len);

/* Reads up to len bytes already received, never blocks. Returns the count
 * (0 if nothing is waiting). Input arrival raises HAL_IRQ_CONSOLE. */
size_t hal_console_read(char *buf, size_t len);

/* The console's size in character cells, when the backend knows it
 * (a terminal under the hosted kernel): 0 with *rows and *cols set, else
 * -ENOTTY (a serial line has no size). A change raises HAL_IRQ_CONSOLE. */
int hal_console_winsize(unsigned *rows, unsigned *cols);

/* ---- Physical memory -------------------------------------------------- */

/* Kernel pointer to physical address pa through the direct map. Valid for
 * every address inside a boot memory region or the initrd. */
void *hal_phys_to_virt(hal_paddr_t pa);

/* Inverse of hal_phys_to_virt, only for pointers it returned. */
hal_paddr_t hal_virt_to_phys(const void *va);

/* ---- CPUs and interrupts ---------------------------------------------- */

/* Index of the calling CPU, 0 .. ncpus-1. */
unsigned hal_cpu_id(void);

/* Starts CPU cpu at core_secondary_main(cpu). Returns -EINVAL for a CPU
 * the machine lacks, -EBUSY if it already runs (CPU 0 always does), or
 * another negative errno (-EIO, -EAGAIN) when the backend failed to start
 * it. */
int hal_cpu_start(unsigned cpu);

/* Sends an inter-processor interrupt: core_irq(HAL_IRQ_IPI) on cpu. */
void hal_cpu_kick(unsigned cpu);

/* Enables interrupts and waits for one, atomically (no lost wake-up).
 * Returns with interrupts disabled, after the handler ran. */
void hal_cpu_idle(void);

/* Spin-loop hint (pause / nop). */
void hal_cpu_relax(void);

/* Disables interrupts on this CPU, returning the previous state for
 * hal_irq_restore. Nests. The state is opaque: hal_irq_restore takes only
 * values hal_irq_save returned. */
unsigned long hal_irq_save(void);
void hal_irq_restore(unsigned long state);
void hal_irq_enable(void);
bool hal_irq_enabled(void);

/* Interrupt lines. The first three exist on every backend. */
#define HAL_IRQ_TIMER 0   /* this CPU's one-shot timer fired */
#define HAL_IRQ_IPI 1     /* hal_cpu_kick() targeted this CPU */
#define HAL_IRQ_CONSOLE 2 /* console input is waiting */
#define HAL_IRQ_MAX 64

/* Lets line raise core_irq(). Returns -EINVAL for a line the backend does
 * not have. Timer and IPI are always unmasked. */
int hal_irq_unmask(unsigned line);
void hal_irq_mask(unsigned line);

/* ---- Time ------------------------------------------------------------- */

/* Monotonic nanoseconds since boot; never goes backwards, any context. */
uint64_t hal_clock_ns(void);

/* The clock as user mode reads it: <hal/clock.h>. */

/*
 * Keeps the clock to its reference and describes it in *out. A backend
 * whose counter is disciplined by another clock (hosted: the TSC by the
 * host's CLOCK_MONOTONIC; x86_64: the TSC by the HPET) calibrates here and
 * re-bases (the clock stays continuous and monotonic; its rate is slewed
 * by at most 0.1% so that errors do not accumulate). Returns true when
 * *out differs from what the previous call gave (the caller then
 * republishes it). The core calls it from timer interrupts, one caller
 * at a time, with its user-visible copy marked as being written.
 */
bool hal_clock_sync(struct hal_clock_desc *out);

/* Arms this CPU's one-shot timer: core_irq(HAL_IRQ_TIMER) once the clock
 * reaches deadline_ns (at once if it has passed). Replaces any earlier
 * deadline; HAL_TIMER_OFF disarms. */
#define HAL_TIMER_OFF UINT64_MAX
void hal_timer_arm(uint64_t deadline_ns);

/* The machine's wall clock (its RTC): nanoseconds since the Unix epoch,
 * UTC, or 0 if the machine has none. May be slow (a CMOS read waits for
 * the end of an update cycle) and coarse (whole seconds): the core reads
 * it once at boot and derives real time from hal_clock_ns. Task context
 * or boot, interrupts either way. */
uint64_t hal_wall_clock_ns(void);

/* ---- Kernel contexts (one per task) ----------------------------------- */

/* Prepares ctx so that the first hal_kctx_switch to it runs entry(arg) on
 * the given stack, with interrupts disabled. entry must never return. */
void hal_kctx_init(struct hal_kctx *ctx, void *stack, size_t stack_size,
		   void (*entry)(void *), void *arg);

/* Saves the running context in from and resumes to. Call with interrupts
 * disabled; returns (in from's context) when something switches back. */
void hal_kctx_switch(struct hal_kctx *from, struct hal_kctx *to);

/* ---- Kernel stacks ---------------------------------------------------- */

/*
 * Every task's kernel stack lives in a kernel virtual area of the HAL's
 * where the HAL_KSTACK_GUARD bytes below each stack are never mapped: an
 * overflow faults there instead of overwriting memory. The HAL takes that
 * fault on a stack of its own (hosted: the vCPU's sigaltstack; x86_64: the
 * #DF IST stack; riscv64: the per-CPU fault stack) and calls
 * core_kernel_fault with addr inside the guard.
 */
#define HAL_KSTACK_SIZE (16u * 1024u)
#define HAL_KSTACK_GUARD (16u * 1024u)

/* Maps the HAL_KSTACK_SIZE bytes of physical memory at pa (page aligned,
 * contiguous, the core's) as a kernel stack; returns its lowest address,
 * or NULL when the stack area is full. Task context. */
void *hal_kstack_map(hal_paddr_t pa);

/* Unmaps a stack hal_kstack_map returned, on every CPU; its memory is the
 * core's again. Nothing may run on it. Task context. */
void hal_kstack_unmap(void *stack);

/* ---- Address spaces and the TLB -------------------------------------- */

/* Page permissions as the HAL understands them. */
#define HAL_PROT_READ 1u
#define HAL_PROT_WRITE 2u
#define HAL_PROT_EXEC 4u

/* Binds as to the page-table root the core built (format HAL_PT_*).
 * The backend adds what it needs (kernel half, host stub process).
 * Returns -ENOMEM or -EAGAIN when the backend runs out of resources. */
int hal_as_init(struct hal_as *as, hal_paddr_t root);

/* Releases everything hal_as_init took. The as must not be running. */
void hal_as_destroy(struct hal_as *as);

/*
 * TLB maintenance: the TLB contract (docs/hal.md). The core calls
 * hal_tlb_update after it changed a page-table entry of as to a new
 * translation, hal_tlb_invalidate after it removed or disabled the
 * translations of a range, and then, once per operation, hal_tlb_flush.
 * Update and invalidate may be deferred until the flush; the flush is
 * synchronous: when it returns, no CPU (hosted: no stub) can use any
 * translation of as that an earlier update replaced or an invalidate
 * removed. Only then does the core release the frames those mapped. New
 * translations may become visible later (at the latest before the next
 * hal_user_run on as returns to user code): an access that misses one
 * faults, and the core retries it.
 *
 * The core serialises the calls for one as (it holds the space's
 * spinlock, interrupts off): they must not sleep, though a backend may
 * wait for another CPU to leave the space (hosted: for the stub to stop
 * running user code).
 */
void hal_tlb_update(struct hal_as *as, uintptr_t va, hal_paddr_t pa,
		    unsigned prot);
void hal_tlb_invalidate(struct hal_as *as, uintptr_t va, size_t len);
void hal_tlb_flush(struct hal_as *as);

/* ---- User mode -------------------------------------------------------- */

enum hal_trap {
	HAL_TRAP_SYSCALL,    /* ctx holds the call; ip is past the instruction */
	HAL_TRAP_PAGE_FAULT, /* info->addr, info->access */
	HAL_TRAP_INTERRUPT,  /* an interrupt arrived (handled already) */
	HAL_TRAP_EXCEPTION,  /* info->exception, info->addr */
};

#define HAL_ACCESS_READ 1u
#define HAL_ACCESS_WRITE 2u
#define HAL_ACCESS_EXEC 4u

enum hal_exception {
	HAL_EXC_NONE,
	HAL_EXC_ILLEGAL,    /* undefined / privileged instruction */
	HAL_EXC_DIVIDE,     /* integer divide error */
	HAL_EXC_BREAKPOINT, /* int3 / ebreak */
	HAL_EXC_ALIGN,      /* misaligned access the machine refuses */
	HAL_EXC_PROTECTION, /* general protection, bad segment, etc. */
	HAL_EXC_FPU,        /* floating point / SIMD error */
};

/*
 * Linux si_code values (<asm-generic/siginfo.h>), which the HAL reports
 * for exceptions with the signal Linux sends for them: ILLEGAL SIGILL,
 * DIVIDE and FPU SIGFPE, BREAKPOINT SIGTRAP, ALIGN SIGBUS, PROTECTION
 * SIGSEGV. Page faults carry no code (the core decides MAPERR/ACCERR).
 */
#define HAL_SI_KERNEL 0x80
#define HAL_ILL_ILLOPC 1
#define HAL_ILL_ILLOPN 2
#define HAL_ILL_ILLTRP 4
#define HAL_FPE_INTDIV 1
#define HAL_FPE_FLTDIV 3
#define HAL_FPE_FLTOVF 4
#define HAL_FPE_FLTUND 5
#define HAL_FPE_FLTRES 6
#define HAL_FPE_FLTINV 7
#define HAL_SEGV_ACCERR 2
#define HAL_BUS_ADRALN 1
#define HAL_TRAP_BRKPT 1
#define HAL_TRAP_TRACE 2

struct hal_trap_info {
	/* Exceptions: the si_addr Linux reports (x86: the faulting ip for
	 * #DE, #UD, #MF, #XM, #DB, else 0; riscv64: the faulting pc).
	 * Page faults: the fault address. */
	uintptr_t addr;
	unsigned access;         /* HAL_ACCESS_* for page faults */
	enum hal_exception exception;
	int code;                /* exceptions: HAL_SI_* / HAL_<SIG>_* */
	unsigned trapno;         /* x86: the vector; riscv64: scause */
	uint64_t error;          /* x86: the error code; riscv64: stval */
};

/*
 * Runs ctx in user mode on address space as until it traps, then returns
 * why, with ctx updated. Interrupts that arrive meanwhile are dispatched
 * (core_irq) before it returns HAL_TRAP_INTERRUPT. It may be called with
 * interrupts enabled or disabled and returns with the state it was called
 * with; called with them disabled, an interrupt already pending (a
 * hal_cpu_kick, say) ends the run before any user instruction executes,
 * so a kick that lands after the caller's last look is never lost. The
 * backend sanitises privileged state in ctx.
 */
enum hal_trap hal_user_run(struct hal_uctx *ctx, struct hal_as *as,
			   struct hal_trap_info *info);

/* A fresh user context: ip and sp; every other register in the state a
 * new Linux process starts with (general registers zero; on x86 IF set
 * and the default x87/SSE control words). */
void hal_uctx_init(struct hal_uctx *ctx, uintptr_t ip, uintptr_t sp);

/* Named user registers, mapped by each backend onto its ABI. */
enum hal_ureg {
	HAL_UREG_IP,
	HAL_UREG_SP,
	HAL_UREG_SYSNR,  /* rax / a7 */
	HAL_UREG_ARG0,   /* rdi / a0 */
	HAL_UREG_ARG1,   /* rsi / a1 */
	HAL_UREG_ARG2,   /* rdx / a2 */
	HAL_UREG_ARG3,   /* r10 / a3 */
	HAL_UREG_ARG4,   /* r8  / a4 */
	HAL_UREG_ARG5,   /* r9  / a5 */
	HAL_UREG_RET,    /* rax / a0 */
	HAL_UREG_TLS,    /* fs base / tp */
	HAL_UREG_COUNT
};
uint64_t hal_uctx_get(const struct hal_uctx *ctx, enum hal_ureg reg);
void hal_uctx_set(struct hal_uctx *ctx, enum hal_ureg reg, uint64_t value);

/*
 * The whole general-register set as struct hal_uregs (<hal/uctx_*.h>: the
 * layout of Linux's user_regs_struct for the architecture). get never
 * fails. set validates first: -EINVAL, and ctx unchanged, for anything
 * user code could not have set itself (x86: privileged or reserved rflags
 * bits, IF clear, other segment selectors than the ones get reports, a
 * non-canonical rip, fs_base or gs_base; riscv64 has nothing privileged
 * in the set).
 */
void hal_uctx_get_regs(const struct hal_uctx *ctx, struct hal_uregs *regs);
int hal_uctx_set_regs(struct hal_uctx *ctx, const struct hal_uregs *regs);

/*
 * The FPU/vector state as a blob of hal_uctx_fpu_size() bytes (fixed at
 * boot), in the format of the Linux signal frame's FP area: x86, the
 * XSAVE area (fxsave image on CPUs without XSAVE) with the
 * struct _fpx_sw_bytes and FP_XSTATE_MAGIC2 trailer; riscv64, struct
 * __riscv_d_ext_state. save never fails; restore validates first: -EINVAL,
 * ctx unchanged, for a blob the CPU would refuse or that this machine
 * could not have saved (bad magic or sizes, unknown features, reserved
 * MXCSR/fcsr bits, a compacted or reserved XSAVE header).
 */
size_t hal_uctx_fpu_size(void);
void hal_uctx_fpu_save(const struct hal_uctx *ctx, void *blob);
int hal_uctx_fpu_restore(struct hal_uctx *ctx, const void *blob);

/*
 * Rewinds ctx, which stopped at a system call (HAL_TRAP_SYSCALL), so that
 * it executes the same call again: ip back over the instruction, and the
 * registers the return value overwrote (x86: rax, the number; riscv64:
 * a0) as they were on entry. Once only: -EINVAL if ctx did not stop at a
 * system call or was rewound already.
 */
int hal_uctx_syscall_restart(struct hal_uctx *ctx);

/* ---- Power and debugging ---------------------------------------------- */

/* Stops the machine; the host sees status (hosted: process exit status;
 * QEMU: isa-debug-exit / test finisher, plus a console line). */
__attribute__((__noreturn__)) void hal_power_off(int status);

/* Prints a symbolized backtrace of the caller to the console. */
void hal_backtrace(void);

/* ---- Upcalls: implemented by the core, called by the HAL -------------- */

/* Boot CPU entry, once the HAL has a stack, a console and the direct map. */
__attribute__((__noreturn__)) void core_main(const struct hal_boot_info *bi);

/* Secondary CPU entry after hal_cpu_start. */
__attribute__((__noreturn__)) void core_secondary_main(unsigned cpu);

/* An unmasked interrupt line fired; interrupts are disabled. */
void core_irq(unsigned line);

/* A fault in kernel mode the HAL cannot handle: the HAL has printed what
 * it knows (bare metal: the registers; hosted: the host signal); the core
 * panics with what (never returns). addr is the faulting address where
 * the machine tells it (page faults, and a kernel stack overflow: then an
 * address in the stack's guard), else ip. */
__attribute__((__noreturn__)) void core_kernel_fault(const char *what,
						 uintptr_t ip, uintptr_t addr);

#endif /* HAL_HAL_H */
