/*
 * Backtraces on riscv64 by frame pointers (the kernel is built with
 * -fno-omit-frame-pointer). With GCC's layout, s0 points just above the
 * frame's save area: the return address is at s0 - 8 and the caller's s0
 * at s0 - 16. A leaf function saves only s0 (at s0 - 8) and keeps its
 * return address in ra, which a fault frame still holds: that case is
 * recognised at the first frame, as Linux does. Every load is checked to
 * be kernel memory first, so a corrupt chain ends the trace, not the
 * machine.
 */
#include "../common/bm.h"
#include "riscv.h"

#define MAX_FRAMES 32

extern char _kernel_start[], _etext[];

static bool is_text(uintptr_t pc)
{
	return pc >= (uintptr_t)_kernel_start && pc < (uintptr_t)_etext;
}

static bool frame_readable(uintptr_t fp)
{
	return !(fp & 7) && fp >= 16 && rv_is_kernel_memory(fp - 16, 16);
}

static void walk(uintptr_t fp, unsigned depth, uintptr_t leaf_ra)
{
	while (depth < MAX_FRAMES && frame_readable(fp)) {
		const uint64_t *f = (const uint64_t *)fp;
		uintptr_t ra = f[-1], next = f[-2];

		if (leaf_ra && !is_text(ra) && frame_readable(ra) && ra > fp) {
			/* A leaf: f[-1] was its caller's s0. */
			next = ra;
			ra = leaf_ra;
		}
		leaf_ra = 0;
		if (!is_text(ra))
			break;
		bm_print_frame(depth++, ra);
		if (next <= fp)
			break;
		fp = next;
	}
}

void rv_backtrace_from(uintptr_t pc, uintptr_t fp, uintptr_t ra)
{
	bm_print_frame(0, pc);
	walk(fp, 1, ra);
}

void hal_backtrace(void)
{
	walk((uintptr_t)__builtin_frame_address(0), 0, 0);
}
