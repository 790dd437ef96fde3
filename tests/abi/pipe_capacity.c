/* A pipe's capacity (F_GETPIPE_SZ, F_SETPIPE_SZ) beyond pipe.c: sizes
 * round up to a power-of-two number of pages (0 and 1 to one page), a
 * resize answers the size it made, either end may resize, data survives
 * growing and shrinking, EBUSY counts the page slots in use (small
 * writes merged into one slot fit a one-page pipe, a 5000-byte write does
 * not), EINVAL over 2^31, /proc/sys/fs/pipe-max-size, and a process
 * without CAP_SYS_RESOURCE (a child that became nobody) may grow a pipe
 * up to it but not past it (EPERM). Root is not tried past the limit:
 * the host's root may lack CAP_SYS_RESOURCE (a container). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"

static char big[1 << 17];
static int p[2];

static int nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static void drain(int fd)
{
	while (read(fd, big, sizeof(big)) > 0)
		;
}

static void rounding(void)
{
	static const long sizes[] = { 0, 1, 4095, 4096, 4097, 8192, 12288,
				      65535, 65537, 100000, 1 << 20 };

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char label[64];

		snprintf(label, sizeof(label), "F_SETPIPE_SZ %ld", sizes[i]);
		SHOW(label, fcntl(p[1], F_SETPIPE_SZ, sizes[i]));
	}
	SHOW("F_GETPIPE_SZ on the read end", fcntl(p[0], F_GETPIPE_SZ));
	SHOW("resize through the read end", fcntl(p[0], F_SETPIPE_SZ, 16384));
	SHOW("F_GETPIPE_SZ on the write end", fcntl(p[1], F_GETPIPE_SZ));
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	SHOW("F_SETPIPE_SZ -1", fcntl(p[1], F_SETPIPE_SZ, -1));
	SHOW("F_SETPIPE_SZ 2^31 + 4096", fcntl(p[1], F_SETPIPE_SZ, (1u << 31) + 4096));
	SHOW("size after the failures", fcntl(p[1], F_GETPIPE_SZ));
}

static void busy(void)
{
	char buf[16] = "";

	SHOW("write 3000", write(p[1], big, 3000));
	SHOW("grow to 1 MiB with data", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
	SHOW("data kept", nread(p[0]));
	SHOW("shrink to one page with one slot used", fcntl(p[1], F_SETPIPE_SZ, 4096));
	SHOW("data kept", nread(p[0]));
	drain(p[0]);
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	write(p[1], "abc", 3);
	write(p[1], "def", 3);
	write(p[1], "ghi", 3);
	SHOW("three small writes share a slot: shrink", fcntl(p[1], F_SETPIPE_SZ, 4096));
	SHOW("read", read(p[0], buf, sizeof(buf)));
	printf("data: %.9s\n", buf);
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	SHOW("write 5000", write(p[1], big, 5000));
	SHOW("two slots: shrink to one page", fcntl(p[1], F_SETPIPE_SZ, 4096));
	SHOW("shrink to two pages", fcntl(p[1], F_SETPIPE_SZ, 8192));
	SHOW("1 byte merges into the second slot", write(p[1], "x", 1));
	SHOW("full: 4000 bytes do not", write(p[1], big, 4000));
	SHOW("read 4096", read(p[0], big, 4096));
	SHOW("one slot free: write 8000", write(p[1], big, 8000));
	drain(p[0]);
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	SHOW("fill 16 slots of 100 bytes", ({
		long n = 0;
		for (int k = 0; k < 16; k++)
			n += write(p[1], big, 100) == 100;
		n;
	}));
	SHOW("merged into one slot: shrink to 4096", fcntl(p[1], F_SETPIPE_SZ, 4096));
	drain(p[0]);
}

static void max_size(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/fs/pipe-max-size", O_RDONLY);

	abi_yes("pipe-max-size opens", fd >= 0);
	SHOW("read pipe-max-size", read(fd, buf, sizeof(buf) - 1) > 0);
	printf("pipe-max-size: %s", buf);
	close(fd);
}

/* As nobody (no capabilities): growing past pipe-max-size is EPERM,
 * up to it and shrinking are not. */
static void as_nobody(void)
{
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) {
		printf("cannot become nobody\n");
		return;
	}
	SHOW("size root gave it", fcntl(p[1], F_GETPIPE_SZ));
	SHOW("grow to 1 MiB, the limit", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
	SHOW("keep the same size", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
	SHOW("grow to 2 MiB", fcntl(p[1], F_SETPIPE_SZ, 1 << 21));
	SHOW("grow to 1 MiB + 1", fcntl(p[1], F_SETPIPE_SZ, (1 << 20) + 1));
	SHOW("size now", fcntl(p[1], F_GETPIPE_SZ));
	SHOW("shrink to 8192", fcntl(p[1], F_SETPIPE_SZ, 8192));
	{
		int q[2];

		SHOW("nobody's new pipe", pipe(q));
		SHOW("its size", fcntl(q[0], F_GETPIPE_SZ));
		SHOW("grow it past the limit", fcntl(q[1], F_SETPIPE_SZ, 1 << 22));
		close(q[0]);
		close(q[1]);
	}
}

int main(void)
{
	SHOW("pipe2", pipe2(p, O_NONBLOCK));
	rounding();
	busy();
	max_size();
	abi_in_child("nobody", as_nobody);
	SHOW("the child's resize is the parent's", fcntl(p[0], F_GETPIPE_SZ));
	close(p[0]);
	close(p[1]);
	return 0;
}
