/*
 * The system-wide file limit (issue 11, item 4; services/vfs/file.c):
 * with /proc/sys/fs/file-max lowered to 16 files above what is open now,
 * opening files fails with ENFILE once they are taken (open, pipe2, the
 * anonymous files of eventfd2, timerfd_create, epoll_create1 and
 * signalfd4, an fd limit far away), a closed one can be had again, and once all are
 * closed /proc/sys/fs/file-nr counts what it did before and the kernel's
 * memory is as it was. file-max is restored at the end.
 *
 * Off Keel it prints "enfile: not on Keel" and exits 0 (natively root is
 * exempt from file-max, and the host's limit must not be touched);
 * runner/keeltool/suite_user.py checks the lines.
 */
#include <proc_raw.h>

#define SPARE 16
#define MAX_FDS 64

#if defined(__x86_64__)
#define NR_EVENTFD2 290
#define NR_TIMERFD_CREATE 283
#define NR_EPOLL_CREATE1 291
#define NR_SIGNALFD4 289
#else
#define NR_EVENTFD2 19
#define NR_TIMERFD_CREATE 85
#define NR_EPOLL_CREATE1 20
#define NR_SIGNALFD4 74
#endif
#define CLOCK_MONOTONIC 1

/* The first two numbers of /proc/sys/fs/file-nr: open files, limit. */
static bool file_nr(unsigned long *open, unsigned long *max)
{
	char buf[96];
	long fd = sys_openat(AT_FDCWD, "/proc/sys/fs/file-nr", O_RDONLY, 0);
	long n;
	unsigned long v[3] = { 0, 0, 0 };
	int k = 0;

	if (fd < 0)
		return false;
	n = sys_read((int)fd, buf, sizeof(buf) - 1);
	sys_close((int)fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *c = buf; *c && k < 3; c++) {
		if (*c >= '0' && *c <= '9')
			v[k] = v[k] * 10 + (unsigned long)(*c - '0');
		else if (c > buf && c[-1] >= '0' && c[-1] <= '9')
			k++;
	}
	/* Our own open of file-nr was counted. */
	*open = v[0] - 1;
	*max = v[2];
	return true;
}

static long set_file_max(unsigned long max)
{
	char text[24];
	int len = 0;
	char digits[24];
	int nd = 0;
	long fd, r;

	do {
		digits[nd++] = (char)('0' + max % 10);
		max /= 10;
	} while (max);
	while (nd)
		text[len++] = digits[--nd];
	text[len++] = '\n';
	fd = sys_openat(AT_FDCWD, "/proc/sys/fs/file-max", O_WRONLY, 0);
	if (fd < 0)
		return fd;
	r = sys_write((int)fd, text, (size_t)len);
	sys_close((int)fd);
	return r < 0 ? r : 0;
}

int main(int argc __attribute__((unused)), char **argv __attribute__((unused)))
{
	struct mem_usage_u before;
	unsigned long open0, max0, open1, max1;
	long fds[MAX_FDS];
	int nfds = 0, pipefd[2];
	long r = 0;

	if (mem_usage(&before)) {
		uprintf("enfile: not on Keel\n");
		return 0;
	}
	if (!file_nr(&open0, &max0)) {
		uprintf("file-nr: unreadable\n");
		return 1;
	}
	uprintf("file-max above the open files: %s\n",
		max0 > open0 ? "yes" : "no");
	show("file-max bad value", set_file_max(0));
	/* Once first, so that what opening fills (the fd table) is there. */
	r = sys_openat(AT_FDCWD, "/dev/null", O_RDONLY, 0);
	sys_close((int)r);
	mem_usage(&before);
	show("file-max lowered", set_file_max(open0 + SPARE));
	while (nfds < MAX_FDS) {
		r = sys_openat(AT_FDCWD, "/dev/null", O_RDONLY, 0);
		if (r < 0)
			break;
		fds[nfds++] = r;
	}
	uprintf("opened %d of %d before %s\n", nfds, SPARE, errname(r));
	show("pipe2 at the limit", raw_pipe(pipefd));
	show("eventfd2 at the limit", sys_call6(NR_EVENTFD2, 0, 0, 0, 0, 0, 0));
	show("timerfd_create at the limit",
	     sys_call6(NR_TIMERFD_CREATE, CLOCK_MONOTONIC, 0, 0, 0, 0, 0));
	show("epoll_create1 at the limit",
	     sys_call6(NR_EPOLL_CREATE1, 0, 0, 0, 0, 0, 0));
	{
		unsigned long mask = 1ul << 9; /* SIGUSR1 */

		show("signalfd4 at the limit",
		     sys_call6(NR_SIGNALFD4, -1, (long)&mask, 8, 0, 0, 0));
	}
	r = sys_dup((int)fds[0]);
	uprintf("dup at the limit (no new file): %s\n",
		r >= 0 ? "ok" : errname(r));
	sys_close((int)fds[--nfds]);
	r = sys_openat(AT_FDCWD, "/dev/null", O_RDONLY, 0);
	uprintf("open after a close: %s\n", r >= 0 ? "ok" : errname(r));
	if (r >= 0)
		sys_close((int)r);
	while (nfds)
		sys_close((int)fds[--nfds]);
	/* the dup above */
	for (int fd = 3; fd < MAX_FDS + 8; fd++)
		sys_close(fd);
	show("file-max restored", set_file_max(max0));
	if (file_nr(&open1, &max1))
		uprintf("file-nr back: %s\n",
			open1 == open0 && max1 == max0 ? "yes" : "no");
	report_memory("after the files", &before);
	return 0;
}
