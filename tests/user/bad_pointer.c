/*
 * Hands the kernel bad buffers to write to the console; each must fail
 * with -EFAULT, write nothing and crash nothing:
 *   - a pointer to nothing: write(1, 0x1, 10);
 *   - a length running past the end of the address space (Linux checks
 *     the whole range before writing anything);
 *   - a buffer whose tail runs off the end of mapped memory (Linux copies
 *     a terminal write in 2 KiB chunks, each all or nothing, and a pipe
 *     write page by page: either way nothing of this one goes out).
 * Prints each result and exits 0 when all are -EFAULT, else 1.
 */
#include <user.h>

#define PAGE 4096ul

static int check(const char *what, long got)
{
	uprintf("%s = %ld (%s)\n", what, got,
		got == -EFAULT ? "ok" : "WRONG");
	return got == -EFAULT;
}

/* The last tail bytes of a page of the program break, with nothing mapped
 * after that page; NULL if the break cannot grow. */
static char *tail_of_mapped_memory(unsigned long tail)
{
	unsigned long start = (unsigned long)sys_brk(0);
	unsigned long page = (start + PAGE - 1) & ~(PAGE - 1);

	if ((unsigned long)sys_brk(page + PAGE) != page + PAGE)
		return NULL;
	memset((void *)(page + PAGE - tail), 'b', tail);
	return (char *)(page + PAGE - tail);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char *tail = tail_of_mapped_memory(1000);
	int ok = 1;

	ok &= check("write(1, 0x1, 10)", sys_write(1, (const void *)1ul, 10));
	ok &= check("write(1, buf, SIZE_MAX)", sys_write(1, "x", ~0ul));
	ok &= check("write(1, buf, 1 << 62)", sys_write(1, "x", 1ul << 62));
	if (!tail) {
		uputs("brk failed");
		return 1;
	}
	ok &= check("write(1, 1000 mapped bytes, 2000)",
		    sys_write(1, tail, 2000));
	return ok ? 0 : 1;
}
