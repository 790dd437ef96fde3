/*
 * What a successful write(2) returns: the whole count, for writes of one
 * byte, within a page, across a page boundary, around the 2 KiB terminal
 * chunk and over several chunks. Each write's own text ends with a newline
 * so the output stays line-based; the counts are printed after it.
 * Exits 0 when every count is right.
 */
#include <user.h>

#define PAGE 4096

/* Two pages, so that a write can start near the end of the first. */
static char buf[2 * PAGE] __attribute__((aligned(PAGE)));

/* Writes len bytes at p (filled with c, the last a newline) and checks
 * the count write returns. */
static int write_and_count(char *p, long len, char c)
{
	long got;

	memset(p, c, (size_t)len - 1);
	p[len - 1] = '\n';
	got = sys_write(1, p, (size_t)len);
	uprintf("write of %ld bytes returned %ld (%s)\n", len, got,
		got == len ? "ok" : "WRONG");
	return got == len;
}

int main(int argc, char **argv)
{
	static const long sizes[] = { 1, 13, 2047, 2048, 2049, 5000 };
	int ok = 1;

	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ok &= write_and_count(buf, sizes[i], (char)('a' + i));
	/* Starts 10 bytes before the second page. */
	ok &= write_and_count(buf + PAGE - 10, 30, 'x');
	/* uprintf's own count: the bytes of the line it wrote. */
	long n = uprintf("counted line\n");
	ok &= n == 13;
	uprintf("uprintf returned %ld (%s)\n", n, n == 13 ? "ok" : "WRONG");
	return ok ? 0 : 1;
}
