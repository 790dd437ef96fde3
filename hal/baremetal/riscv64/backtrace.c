/*
 * Backtraces on riscv64 by frame pointers (the kernel is built with
 * -fno-omit-frame-pointer). With GCC's layout, s0 points just above the
 * frame's save area: the return address is at s0 - 8 and the caller's s0
 * at s0 - 16. The trap vector adds such a record for the interrupted code,
 * so a trace from a handler continues into it.
 *
 * A leaf function saves only s0 (at s0 - 8) and keeps its return address
 * in ra; at a fault, ra is then the best hint for the caller, shown with
 * a note. Every load is checked to be kernel memory first, so a corrupt
 * chain ends the trace, not the machine. Return addresses are printed
 * minus one (as the x86_64 backend does) so that a call to a noreturn
 * function symbolizes as its caller, not the next function.
 */
#include "../common/bm.h"
#include "riscv.h"

#define MAX_FRAMES 32

extern char _kernel_start[], _etext[];

static bool is_text(uintptr_t pc)
{
	return pc > (uintptr_t)_kernel_start && pc <= (uintptr_t)_etext;
}

static bool frame_readable(uintptr_t fp)
{
	return !(fp & 7) && fp >= 16 && rv_is_kernel_memory(fp - 16, 16);
}

static void walk(uintptr_t fp, unsigned depth)
{
	while (depth < MAX_FRAMES && frame_readable(fp)) {
		const uint64_t *f = (const uint64_t *)fp;
		uintptr_t ra = f[-1], next = f[-2];

		if (!is_text(ra))
			break;
		bm_print_frame(depth++, ra - 1);
		if (next <= fp)
			break;
		fp = next;
	}
}

/* The function holding pc, as its symbol name (NULL if unknown). */
static const char *function_of(uintptr_t pc)
{
	uintptr_t off;

	return ksym_lookup(pc, &off);
}

void rv_backtrace_from(uintptr_t pc, uintptr_t fp, uintptr_t ra)
{
	unsigned depth = 1;

	bm_print_frame(0, pc);
	if (frame_readable(fp)) {
		uintptr_t saved = ((const uint64_t *)fp)[-1];

		if (!is_text(saved) && frame_readable(saved) && saved > fp) {
			/* A leaf's frame: the caller's s0, then its ra. */
			if (is_text(ra))
				bm_print_frame(depth++, ra - 1);
			walk(saved, depth);
			return;
		}
	}
	/* ra from a call pc's function made itself is no news; any other
	 * is probably the caller of a frameless or finished leaf. */
	if (is_text(ra) && function_of(ra - 1) != function_of(pc))
		bm_print_frame_note(depth++, ra - 1, " (from ra)");
	walk(fp, depth);
}

void hal_backtrace(void)
{
	walk((uintptr_t)__builtin_frame_address(0), 0);
}
