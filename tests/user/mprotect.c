/*
 * mprotect on the program break: over pages demand paging has not filled
 * yet (holes), back and forth, PROT_NONE keeping the data, and the
 * refusals: an unaligned start, unknown protection bits, an unmapped page
 * inside the range or at its start (-ENOMEM). Prints no addresses. Exits 0 when
 * everything held.
 */
#include <user.h>

#define PAGE 4096ul
#define PROT_READ 1ul
#define PROT_RW 3ul

static int ok = 1;

static void report(const char *what, int good)
{
	uprintf("mprotect %s %s\n", what, good ? "ok" : "WRONG");
	ok &= good;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned long start = (unsigned long)sys_brk(0);
	unsigned long base = (start + PAGE - 1) & ~(PAGE - 1);
	unsigned long top = base + 4 * PAGE;
	volatile unsigned char *p = (volatile unsigned char *)base;

	report("grow", (unsigned long)sys_brk(top) == top);
	p[0] = 7; /* pages 1..3 stay holes */
	report("read-only over holes",
	       sys_mprotect(base, 3 * PAGE, PROT_READ) == 0);
	report("kept while read-only", p[0] == 7);
	report("read-write again", sys_mprotect(base, 3 * PAGE, PROT_RW) == 0);
	p[PAGE] = 8; /* a hole faulted in after the protect */
	report("hole filled", p[PAGE] == 8 && p[2 * PAGE] == 0);
	report("none", sys_mprotect(base, PAGE, 0) == 0);
	report("back", sys_mprotect(base, PAGE, PROT_RW) == 0 && p[0] == 7);
	report("partial last page", sys_mprotect(base, PAGE + 1, PROT_RW) == 0);
	report("empty", sys_mprotect(base, 0, PROT_READ) == 0);
	report("unaligned", sys_mprotect(base + 1, PAGE, PROT_READ) == -EINVAL);
	report("unknown bits", sys_mprotect(base, PAGE, 0x10) == -EINVAL);
	report("unmapped inside",
	       sys_mprotect(base, 5 * PAGE, PROT_READ) == -ENOMEM);
	report("unmapped first", sys_mprotect(top, PAGE, PROT_READ) == -ENOMEM);
	/* Linux changed the pages before the gap: undo it. */
	report("restorable", sys_mprotect(base, 4 * PAGE, PROT_RW) == 0 &&
				     (p[0] = 9) == 9);
	report("back to start", (unsigned long)sys_brk(start) == start);
	return ok ? 0 : 1;
}
