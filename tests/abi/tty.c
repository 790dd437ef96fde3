/* The terminal interface: termios round trips (TCSETS, TCSETSW, TCSETSF
 * through tcsetattr), the default settings, non-canonical reads with
 * VMIN/VTIME 0, O_NONBLOCK, poll, the window size, FIONREAD, TCFLSH, and
 * what a file that is no terminal answers. On Keel the terminal is the console
 * (fd 0). The suite runs the native oracle with stdin /dev/null and stdout
 * a pipe, so natively it is a fresh pseudo-terminal's slave: both start
 * with Linux's tty_std_termios and have no input waiting, so the output
 * must be the same. The settings are restored at the end, for the next
 * program on the console. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "abi.h"
#include "abi_tty.h"

static void show_defaults(const struct termios *t)
{
	printf("c_iflag: %#x\n", (unsigned)t->c_iflag);
	printf("c_oflag: %#x\n", (unsigned)t->c_oflag);
	printf("c_lflag: %#x\n", (unsigned)t->c_lflag);
	printf("CS8 CREAD: %d\n", (t->c_cflag & (CSIZE | CREAD)) ==
					  (CS8 | CREAD));
	printf("VINTR %d VQUIT %d VERASE %d VKILL %d VEOF %d\n",
	       t->c_cc[VINTR], t->c_cc[VQUIT], t->c_cc[VERASE],
	       t->c_cc[VKILL], t->c_cc[VEOF]);
	printf("VMIN %d VTIME %d VSUSP %d VWERASE %d VLNEXT %d\n",
	       t->c_cc[VMIN], t->c_cc[VTIME], t->c_cc[VSUSP],
	       t->c_cc[VWERASE], t->c_cc[VLNEXT]);
}

static int same(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_lflag == b->c_lflag &&
	       !memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc));
}

/* Sets t with action, reads it back and says whether it stuck. */
static void round_trip(int fd, const char *label, int action,
		       const struct termios *t)
{
	struct termios back;

	SHOW(label, tcsetattr(fd, action, t));
	memset(&back, 0, sizeof(back));
	tcgetattr(fd, &back);
	abi_yes("  read back the same", same(t, &back));
}

static void raw_reads(int fd, struct termios raw)
{
	char buf[16];
	int flags;

	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	round_trip(fd, "raw VMIN 0 VTIME 0", TCSANOW, &raw);
	SHOW("read with nothing waiting", read(fd, buf, sizeof(buf)));
	raw.c_cc[VTIME] = 1;
	round_trip(fd, "raw VMIN 0 VTIME 1", TCSADRAIN, &raw);
	SHOW("read after a tenth of a second", read(fd, buf, sizeof(buf)));
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	round_trip(fd, "raw VMIN 1 VTIME 0", TCSAFLUSH, &raw);
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	SHOW("O_NONBLOCK read", read(fd, buf, sizeof(buf)));
	fcntl(fd, F_SETFL, flags);
}

/* Nothing to read, always room to write. */
static void show_poll(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	SHOW("poll", poll(&p, 1, 0));
	printf("revents: %#x\n", p.revents);
	p.events = POLLIN;
	SHOW("poll for input, 10 ms", poll(&p, 1, 10));
}

static void window_size(int fd)
{
	struct winsize old, ws = { .ws_row = 24, .ws_col = 80 }, back;

	SHOW("TIOCGWINSZ", ioctl(fd, TIOCGWINSZ, &old));
	SHOW("TIOCSWINSZ 24x80", ioctl(fd, TIOCSWINSZ, &ws));
	memset(&back, 0, sizeof(back));
	SHOW("TIOCGWINSZ again", ioctl(fd, TIOCGWINSZ, &back));
	printf("size: %dx%d\n", back.ws_row, back.ws_col);
	SHOW("TIOCSWINSZ bad pointer", ioctl(fd, TIOCSWINSZ, (void *)8));
	SHOW("restore", ioctl(fd, TIOCSWINSZ, &old));
}

static void not_a_terminal(void)
{
	int fd = open("/dev/null", O_RDWR);
	struct termios t;
	struct winsize ws;

	SHOW("isatty(/dev/null)", isatty(fd));
	SHOW("tcgetattr(/dev/null)", tcgetattr(fd, &t));
	SHOW("TIOCGWINSZ on /dev/null", ioctl(fd, TIOCGWINSZ, &ws));
	close(fd);
}

int main(void)
{
	struct termios orig, t;
	int fd = abi_find_terminal(), n = -1;

	abi_yes("terminal", fd >= 0);
	if (fd < 0)
		return 1;
	not_a_terminal();
	SHOW("tcgetattr", tcgetattr(fd, &orig));
	show_defaults(&orig);
	SHOW("TCGETS to a bad pointer", ioctl(fd, TCGETS, (void *)8));
	SHOW("TCSETS from a bad pointer", ioctl(fd, TCSETS, (void *)8));
	SHOW("unknown ioctl", ioctl(fd, 0x5499, 0));
	t = orig;
	t.c_lflag &= ~ECHO;
	t.c_cc[VERASE] = 8;
	round_trip(fd, "no echo, ^H erase", TCSANOW, &t);
	raw_reads(fd, orig);
	show_poll(fd);
	SHOW("FIONREAD", ioctl(fd, FIONREAD, &n));
	printf("waiting: %d\n", n);
	SHOW("tcflush TCIFLUSH", tcflush(fd, TCIFLUSH));
	SHOW("tcflush bad queue", ioctl(fd, TCFLSH, 7));
	window_size(fd);
	round_trip(fd, "restore", TCSANOW, &orig);
	return 0;
}
