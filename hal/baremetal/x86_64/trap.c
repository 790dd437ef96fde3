/*
 * Trap handling in C, called from entry.S with a struct x86_frame.
 *
 * Kernel mode: interrupts are dispatched to the core; any exception is a
 * kernel bug (the core never touches user memory through user addresses),
 * so the registers and a symbolized backtrace are printed and the core
 * panics via core_kernel_fault; the one exception is the fault of a
 * ktest's armed hal_probe_access (probe.c), which lands back in it.
 *
 * User mode: the frame is copied into the running hal_uctx and turned
 * into the hal_user_run result (syscall, page fault, exception, or an
 * interrupt that has already been dispatched).
 */
#include "x86.h"

#include "../common/bm.h"

#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_INSTR (1u << 4)

static const char *const exception_names[32] = {
	[0] = "divide error",
	[1] = "debug",
	[2] = "NMI",
	[3] = "breakpoint",
	[4] = "overflow",
	[5] = "bound range",
	[6] = "invalid opcode",
	[7] = "device not available",
	[8] = "double fault",
	[10] = "invalid TSS",
	[11] = "segment not present",
	[12] = "stack fault",
	[13] = "general protection",
	[14] = "page fault",
	[16] = "x87 floating point",
	[17] = "alignment check",
	[18] = "machine check",
	[19] = "SIMD floating point",
	[20] = "virtualization",
	[21] = "control protection",
};

static const char *exception_name(uint64_t vector)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	return "unknown exception";
}

/* Dispatches a device or IPI vector to the core. Interrupts are off. */
static void irq_dispatch(uint64_t vector)
{
	switch (vector) {
	case VEC_TIMER:
		x86_apic_eoi();
		x86_timer_irq();
		break;
	case VEC_UART:
		x86_apic_eoi();
		x86_uart_irq();
		break;
	case VEC_IPI:
		x86_apic_eoi();
		core_irq(HAL_IRQ_IPI);
		break;
	default:
		/* Spurious (LAPIC or masked legacy PIC): no EOI. */
		break;
	}
}

/* Is p a plausible kernel stack frame pointer? */
static bool frame_pointer_ok(uintptr_t fp)
{
	/* The stack area's PML4 slot: only mapped stacks, never a guard
	 * (reading one would fault again while reporting a fault). */
	if (fp >= KSTACK_AREA_BASE && fp - KSTACK_AREA_BASE < (1ul << 39))
		return (fp & 7) == 0 && bm_kstack_contains(fp, 16);
	return fp >= DIRECT_MAP_BASE && (fp & 7) == 0 &&
	       fp < (uintptr_t)0xfffffffffffff000ul;
}

extern const char __kernel_start[], _etext[];

static bool text_address(uintptr_t a)
{
	return a >= (uintptr_t)__kernel_start && a < (uintptr_t)_etext;
}

/*
 * GCC sets up no frame in leaf functions even with frame pointers on, and
 * may schedule instructions before "mov %rsp, %rbp" in the others, so a
 * fault there hides the caller from the rbp chain. The caller's return
 * address is then one of the top two stack words (the second one after
 * "push %rbp"): print it, marked as read from the stack, when it is a
 * text address the chain would not show next.
 */
static bool print_hidden_caller(uintptr_t rsp, uintptr_t rbp)
{
	uintptr_t next = 0;
	unsigned i;

	if (!frame_pointer_ok(rsp))
		return false;
	if (frame_pointer_ok(rbp))
		next = ((const uint64_t *)rbp)[1];
	for (i = 0; i < 2; i++) {
		uintptr_t word = ((const uint64_t *)rsp)[i];

		if (word == next)
			return false;
		if (text_address(word)) {
			bm_print_frame_note(1, word - 1,
					    " (from the stack top)");
			return true;
		}
	}
	return false;
}

/* Prints the return addresses of the rbp chain, from depth on. */
static void backtrace_chain(unsigned depth, uintptr_t rbp)
{
	while (depth < 32 && frame_pointer_ok(rbp)) {
		const uint64_t *fp = (const uint64_t *)rbp;
		uintptr_t ret = fp[1];

		if (ret < KERNEL_VMA)
			break;
		/* The return address points after the call: look up ret-1
		 * so a call at a function's very end names the caller. */
		bm_print_frame(depth++, ret - 1);
		if (fp[0] <= rbp)
			break;
		rbp = fp[0];
	}
}

void x86_backtrace_from(uintptr_t rip, uintptr_t rbp)
{
	bm_print_frame(0, rip);
	backtrace_chain(1, rbp);
}

/* Starts at the caller: its return address and saved frame pointer are
 * the two words at our own frame pointer. */
void hal_backtrace(void)
{
	const uint64_t *fp = __builtin_frame_address(0);

	x86_backtrace_from(fp[1] - 1, fp[0]);
}

void x86_dump_frame(const char *what, const struct x86_frame *f)
{
	const struct {
		const char *name;
		uint64_t value;
	} regs[] = {
		{ "RAX", f->rax }, { "RBX", f->rbx }, { "RCX", f->rcx },
		{ "RDX", f->rdx }, { "RSI", f->rsi }, { "RDI", f->rdi },
		{ "RBP", f->rbp }, { "R8 ", f->r8 },  { "R9 ", f->r9 },
		{ "R10", f->r10 }, { "R11", f->r11 }, { "R12", f->r12 },
		{ "R13", f->r13 }, { "R14", f->r14 }, { "R15", f->r15 },
	};
	unsigned i;

	bm_printf("keel: kernel fault: %s (vector %lu, error 0x%lx) "
		  "on CPU %u\n",
		  what, (unsigned long)f->vector, (unsigned long)f->error,
		  hal_cpu_id());
	bm_printf("keel:   RIP %04lx:%016lx RFLAGS %016lx CR2 %016lx\n",
		  (unsigned long)f->cs, (unsigned long)f->rip,
		  (unsigned long)f->eflags, (unsigned long)read_cr2());
	bm_printf("keel:   RSP %04lx:%016lx CR3 %016lx\n",
		  (unsigned long)f->ss, (unsigned long)f->rsp,
		  (unsigned long)read_cr3());
	for (i = 0; i < ARRAY_SIZE(regs); i += 3)
		bm_printf("keel:   %s %016lx %s %016lx %s %016lx\n",
			  regs[i].name, (unsigned long)regs[i].value,
			  regs[i + 1].name, (unsigned long)regs[i + 1].value,
			  regs[i + 2].name, (unsigned long)regs[i + 2].value);
	bm_print_frame(0, f->rip);
	backtrace_chain(print_hidden_caller(f->rsp, f->rbp) ? 2 : 1, f->rbp);
}

void x86_kernel_trap(struct x86_frame *f)
{
	const char *what;
	uintptr_t addr;

	if (f->vector >= 32) {
		irq_dispatch(f->vector);
		return;
	}
	if (x86_probe_trap(f))
		return; /* a test's probe (probe.c), not a kernel bug */
	what = exception_name(f->vector);
	/* #DF: a kernel stack overflow is a page fault on the guard that
	 * could not push its frame, so CR2 holds the guard address. */
	addr = f->vector == 14 || f->vector == 8 ? read_cr2() : f->rip;
	x86_dump_frame(what, f);
	core_kernel_fault(what, f->rip, addr);
}

static unsigned page_fault_access(uint64_t error)
{
	if (error & PF_INSTR)
		return HAL_ACCESS_EXEC;
	if (error & PF_WRITE)
		return HAL_ACCESS_WRITE;
	return HAL_ACCESS_READ;
}

/*
 * An exception from user mode as Linux reports it (arch/x86/kernel/
 * traps.c): the class, si_code and si_addr. #MF and #XM get their FPE_*
 * code in hal_user_run, once the FPU state is saved.
 */
static void user_exception(uint64_t vector, uintptr_t ip,
			   struct hal_trap_info *info)
{
	enum hal_exception e = HAL_EXC_PROTECTION;
	int code = HAL_SI_KERNEL;
	uintptr_t addr = 0;

	switch (vector) {
	case 0:
		e = HAL_EXC_DIVIDE, code = HAL_FPE_INTDIV, addr = ip;
		break;
	case 1: /* no debug registers in use: single step */
		e = HAL_EXC_BREAKPOINT, code = HAL_TRAP_TRACE, addr = ip;
		break;
	case 3: /* int3: a plain SIGTRAP */
		e = HAL_EXC_BREAKPOINT;
		break;
	case 6:
	case 7:
		e = HAL_EXC_ILLEGAL, code = HAL_ILL_ILLOPN, addr = ip;
		break;
	case 16:
	case 19:
		e = HAL_EXC_FPU, code = 0, addr = ip;
		break;
	case 17:
		e = HAL_EXC_ALIGN, code = HAL_BUS_ADRALN;
		break;
	default: /* #OF, #BR, #TS, #NP, #SS, #GP and the rest */
		break;
	}
	info->exception = e;
	info->code = code;
	info->addr = addr;
}

/* Saves the user registers of f into the context being run. */
static void frame_to_uctx(const struct x86_frame *f, struct hal_uctx *u)
{
#define SAVE_GPR(name) u->name = f->name;
	HAL_X86_64_GPRS(SAVE_GPR)
#undef SAVE_GPR
}

int x86_user_trap(struct x86_frame *f)
{
	struct x86_cpu *c = this_cpu();
	struct hal_trap_info *info = c->info;

	frame_to_uctx(f, c->uctx);
	*info = (struct hal_trap_info){ .exception = HAL_EXC_NONE };
	info->trapno = (unsigned)f->vector;
	info->error = f->error;
	if (f->vector == VEC_SYSCALL)
		return HAL_TRAP_SYSCALL;
	if (f->vector == 14) {
		info->addr = read_cr2();
		info->access = page_fault_access(f->error);
		return HAL_TRAP_PAGE_FAULT;
	}
	if (f->vector >= 32) {
		irq_dispatch(f->vector);
		return HAL_TRAP_INTERRUPT;
	}
	user_exception(f->vector, f->rip, info);
	return HAL_TRAP_EXCEPTION;
}
