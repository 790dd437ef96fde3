/*
 * The program break: grows it by 64 KiB, fills and checks the memory,
 * shrinks it to one page, grows it again (the released pages must read as
 * zero), and checks that invalid requests (below the start, absurdly high)
 * leave the break where it was. Prints no addresses (they are randomised
 * natively). Exits 0 when everything held.
 */
#include <user.h>

#define PAGE 4096ul
#define GROW (64ul * 1024)

static int ok = 1;

static void report(const char *what, int good)
{
	uprintf("brk %s %s\n", what, good ? "ok" : "WRONG");
	ok &= good;
}

static int all_bytes(unsigned long from, unsigned long to, unsigned char v)
{
	for (unsigned long a = from; a < to; a++)
		if (*(volatile unsigned char *)a != v)
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned long start = (unsigned long)sys_brk(0);
	unsigned long top = start + GROW;
	unsigned long small = start + PAGE;
	unsigned long released = (small + PAGE - 1) & ~(PAGE - 1);

	report("initial", start != 0 && (long)start > 0);
	report("grow", (unsigned long)sys_brk(top) == top);
	memset((void *)start, 0xa5, GROW);
	report("pattern", all_bytes(start, top, 0xa5));
	report("shrink", (unsigned long)sys_brk(small) == small);
	report("kept", all_bytes(start, small, 0xa5));
	report("regrow", (unsigned long)sys_brk(top) == top);
	report("released pages zero", all_bytes(released, top, 0));
	report("below start", (unsigned long)sys_brk(1) == top);
	report("too high", (unsigned long)sys_brk(~0ul << 44) == top);
	report("back to start", (unsigned long)sys_brk(start) == start);
	return ok ? 0 : 1;
}
