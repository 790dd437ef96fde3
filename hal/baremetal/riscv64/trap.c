/*
 * Traps on riscv64: interrupts (timer, IPI, PLIC), kernel faults (register
 * dump, backtrace, then core_kernel_fault; the fault of a ktest's armed
 * hal_probe_access lands back in it, probe.c) and the C half of user mode,
 * hal_user_run, which turns each return from user mode into a HAL trap.
 */
#include "../common/bm.h"
#include "riscv.h"

#include <keel/errno.h>
#include <keel/string.h>

/* Exit status when a fault hits while handling a kernel fault. */
#define DOUBLE_FAULT_STATUS 99

void rv_interrupt(uint64_t scause)
{
	struct rv_cpu *c = rv_this_cpu();

	switch (scause & ~SCAUSE_INTR) {
	case IRQ_S_TIMER:
		rv_timer_ack();
		core_irq(HAL_IRQ_TIMER);
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIE_SSIE);
		rv_as_drop_request();
		if (__atomic_exchange_n(&c->kicked, 0, __ATOMIC_ACQ_REL))
			core_irq(HAL_IRQ_IPI);
		break;
	case IRQ_S_EXT:
		rv_plic_dispatch();
		break;
	default:
		bm_printf("riscv64: unexpected interrupt %lu on CPU %u\n",
			  (unsigned long)(scause & ~SCAUSE_INTR), c->id);
		break;
	}
}

/* The timer and IPIs are always on (sie.STIE/SSIE set at boot); console
 * input is the one device line. */
int hal_irq_unmask(unsigned line)
{
	switch (line) {
	case HAL_IRQ_TIMER:
	case HAL_IRQ_IPI:
		return 0;
	case HAL_IRQ_CONSOLE:
		rv_console_set_irq(true);
		return 0;
	default:
		return -EINVAL;
	}
}

void hal_irq_mask(unsigned line)
{
	if (line == HAL_IRQ_CONSOLE)
		rv_console_set_irq(false);
}

static const char *exception_name(uint64_t cause)
{
	static const char *const names[] = {
		[EXC_INST_MISALIGNED] = "instruction address misaligned",
		[EXC_INST_ACCESS] = "instruction access fault",
		[EXC_ILLEGAL] = "illegal instruction",
		[EXC_BREAKPOINT] = "breakpoint",
		[EXC_LOAD_MISALIGNED] = "load address misaligned",
		[EXC_LOAD_ACCESS] = "load access fault",
		[EXC_STORE_MISALIGNED] = "store address misaligned",
		[EXC_STORE_ACCESS] = "store access fault",
		[EXC_ECALL_U] = "ecall from U-mode",
		[9] = "ecall from S-mode",
		[EXC_INST_PAGE] = "instruction page fault",
		[EXC_LOAD_PAGE] = "load page fault",
		[EXC_STORE_PAGE] = "store page fault",
	};

	if (cause < sizeof(names) / sizeof(names[0]) && names[cause])
		return names[cause];
	return "unknown exception";
}

static void dump_registers(const struct rv_frame *f)
{
	static const char *const abi[32] = {
		"pc ", "ra ", "sp ", "gp ", "tp ", "t0 ", "t1 ", "t2 ",
		"s0 ", "s1 ", "a0 ", "a1 ", "a2 ", "a3 ", "a4 ", "a5 ",
		"a6 ", "a7 ", "s2 ", "s3 ", "s4 ", "s5 ", "s6 ", "s7 ",
		"s8 ", "s9 ", "s10", "s11", "t3 ", "t4 ", "t5 ", "t6 ",
	};
	unsigned i;

	for (i = 0; i < 32; i += 4)
		bm_printf("keel:   %s %016lx %s %016lx %s %016lx %s %016lx\n",
			  abi[i], (unsigned long)f->x[i], abi[i + 1],
			  (unsigned long)f->x[i + 1], abi[i + 2],
			  (unsigned long)f->x[i + 2], abi[i + 3],
			  (unsigned long)f->x[i + 3]);
	bm_printf("keel:   sstatus %016lx scause %016lx stval %016lx\n",
		  (unsigned long)f->sstatus, (unsigned long)f->scause,
		  (unsigned long)f->stval);
	bm_printf("keel:   satp %016lx sscratch %016lx\n", csr_read(satp),
		  csr_read(sscratch));
}

/*
 * An exception in kernel mode: prints what and where, the registers and
 * a backtrace, then hands over to the core (which panics). A fault while
 * doing so powers off at once.
 */
static void kernel_fault(const struct rv_frame *f)
{
	static unsigned faulting;
	const char *what = exception_name(f->scause);

	if (__atomic_fetch_add(&faulting, 1, __ATOMIC_ACQ_REL)) {
		bm_printf("keel: %s at %016lx (address %016lx) while handling "
			  "a kernel fault\n",
			  what, (unsigned long)f->x[0],
			  (unsigned long)f->stval);
		hal_power_off(DOUBLE_FAULT_STATUS);
	}
	bm_printf("keel: kernel fault: %s on CPU %u at pc %016lx, address "
		  "%016lx\n",
		  what, rv_this_cpu()->id, (unsigned long)f->x[0],
		  (unsigned long)f->stval);
	if ((uintptr_t)f < rv_this_cpu()->fault_stack &&
	    (uintptr_t)f >= rv_this_cpu()->fault_stack - FAULT_STACK_SIZE)
		bm_printf("keel: the kernel sp was unusable (saving a trap "
			  "frame faulted): now on the fault stack\n");
	dump_registers(f);
	rv_backtrace_from(f->x[0], f->x[8], f->x[1]);
	core_kernel_fault(what, f->x[0], f->stval);
}

void rv_kernel_trap(struct rv_frame *f)
{
	if (f->scause & SCAUSE_INTR)
		rv_interrupt(f->scause);
	else if (!rv_probe_trap(f)) /* a test's probe is no kernel bug */
		kernel_fault(f);
}

/* ---- User mode -------------------------------------------------------- */

/* An exception as Linux reports it (arch/riscv/kernel/traps.c): si_addr
 * is the faulting pc for all of them. */
static enum hal_trap exception(struct hal_trap_info *info,
			       enum hal_exception e, int code, uintptr_t pc)
{
	info->exception = e;
	info->code = code;
	info->addr = pc;
	return HAL_TRAP_EXCEPTION;
}

static enum hal_trap page_fault(struct hal_trap_info *info, unsigned access,
				uintptr_t addr)
{
	info->access = access;
	info->addr = addr;
	return HAL_TRAP_PAGE_FAULT;
}

/* Classifies a trap from user mode (interrupts disabled). */
static enum hal_trap user_trap(struct hal_uctx *ctx, struct rv_trap t,
			       struct hal_trap_info *info)
{
	uintptr_t pc = ctx->x[0];

	*info = (struct hal_trap_info){ .exception = HAL_EXC_NONE };
	ctx->in_syscall = 0;
	if (t.scause & SCAUSE_INTR) {
		rv_interrupt(t.scause);
		return HAL_TRAP_INTERRUPT;
	}
	info->trapno = (unsigned)t.scause;
	info->error = t.stval;
	switch (t.scause) {
	case EXC_ECALL_U:
		ctx->x[0] = pc + 4;
		ctx->orig_a0 = ctx->regs.a0;
		ctx->in_syscall = 1;
		return HAL_TRAP_SYSCALL;
	case EXC_INST_PAGE:
		return page_fault(info, HAL_ACCESS_EXEC, t.stval);
	case EXC_LOAD_PAGE:
		return page_fault(info, HAL_ACCESS_READ, t.stval);
	case EXC_STORE_PAGE:
		return page_fault(info, HAL_ACCESS_WRITE, t.stval);
	case EXC_ILLEGAL:
		return exception(info, HAL_EXC_ILLEGAL, HAL_ILL_ILLOPC, pc);
	case EXC_BREAKPOINT:
		return exception(info, HAL_EXC_BREAKPOINT, HAL_TRAP_BRKPT, pc);
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		return exception(info, HAL_EXC_ALIGN, HAL_BUS_ADRALN, pc);
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
		return exception(info, HAL_EXC_PROTECTION, HAL_SEGV_ACCERR, pc);
	default:
		return exception(info, HAL_EXC_ILLEGAL, HAL_ILL_ILLTRP, pc);
	}
}

/*
 * Enters user mode with ctx on as. sstatus for the sret: previous mode U,
 * interrupts on after it, no access to user memory from S-mode (SUM 0,
 * MXR 0: the core copies user memory through the direct map), and the
 * user's FP registers loaded (FS Clean; a Dirty FS on return means they
 * changed and are saved). The kernel runs with FS Off. Interrupts taken
 * in user mode are dispatched here with interrupts disabled. U-mode
 * always takes S-mode interrupts, so one pending since the caller
 * disabled them (a kick) traps before the first user instruction.
 */
enum hal_trap hal_user_run(struct hal_uctx *ctx, struct hal_as *as,
			   struct hal_trap_info *info)
{
	unsigned long irq = hal_irq_save();
	enum hal_trap why;
	struct rv_trap t;

	rv_as_activate(as);
	csr_clear(sstatus, SSTATUS_SPP | SSTATUS_SUM | SSTATUS_MXR |
				   SSTATUS_FS);
	csr_set(sstatus, SSTATUS_SPIE | SSTATUS_FS_INITIAL);
	rv_fp_load(ctx);
	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, SSTATUS_FS_CLEAN);

	t = rv_user_enter(ctx);

	if ((csr_read(sstatus) & SSTATUS_FS) == SSTATUS_FS_DIRTY)
		rv_fp_save(ctx);
	csr_clear(sstatus, SSTATUS_FS);
	why = user_trap(ctx, t, info);
	hal_irq_restore(irq); /* the state the caller had */
	return why;
}
