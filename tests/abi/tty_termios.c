/* The terminal's settings beyond tty.c: c_cflag round trips (stop bits,
 * CLOCAL; not the character size or parity, which a pty forces and the
 * libcs report differently) and the line speed as cfsetospeed and
 * cfsetispeed set it, every c_cc slot the kernel has kept, c_lflag bits (ICANON, ISIG,
 * IEXTEN, ECHOCTL, TOSTOP) and c_iflag/c_oflag bits round-tripped,
 * tcdrain and tcsendbreak (TCSBRK), tcflow's four actions and a bad one
 * (EINVAL), tcflush's three queues, TIOCOUTQ, and what tcsetattr does
 * with a bad action (EINVAL). As tty.c, on Keel the console, natively a
 * fresh pty slave; everything is restored at the end. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "abi.h"
#include "abi_tty.h"

static int fd;

/* Sets t, reads it back, prints whether the given part stuck. */
static void try(const char *label, struct termios *t, tcflag_t want_c,
		tcflag_t mask_c)
{
	struct termios back;

	if (tcsetattr(fd, TCSANOW, t)) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	memset(&back, 0, sizeof(back));
	tcgetattr(fd, &back);
	printf("%s: %s\n", label, (back.c_cflag & mask_c) == want_c ? "kept" : "changed");
}

static void cflags(struct termios orig)
{
	struct termios t = orig;

	t.c_cflag |= CSTOPB;
	try("CSTOPB", &t, CSTOPB, CSTOPB);
	t.c_cflag |= CLOCAL;
	try("CLOCAL", &t, CLOCAL, CLOCAL);
	t = orig;
	cfsetospeed(&t, B9600);
	cfsetispeed(&t, B9600);
	try("B9600", &t, B9600, CBAUD);
	{
		struct termios back;

		tcgetattr(fd, &back);
		printf("speeds read back: out 9600 %d, in 9600 %d\n",
		       cfgetospeed(&back) == B9600, cfgetispeed(&back) == B9600);
	}
	cfsetospeed(&t, B115200);
	try("B115200", &t, B115200, CBAUD);
}

static void other_flags(struct termios orig)
{
	struct termios t = orig, back;

	t.c_lflag &= ~(ICANON | ISIG | IEXTEN);
	t.c_lflag |= TOSTOP;
	t.c_lflag ^= ECHOCTL;
	t.c_iflag ^= ICRNL | IXON;
	t.c_oflag ^= ONLCR;
	SHOW("lflag, iflag, oflag changes", tcsetattr(fd, TCSANOW, &t));
	tcgetattr(fd, &back);
	abi_yes("c_lflag kept", back.c_lflag == t.c_lflag);
	abi_yes("c_iflag kept", back.c_iflag == t.c_iflag);
	abi_yes("c_oflag kept", back.c_oflag == t.c_oflag);
	t = orig;
	/* The kernel's 17 named slots, VINTR to VEOL2 (the libc's array is
	 * longer). */
	for (int i = 0; i <= VEOL2; i++)
		t.c_cc[i] = (cc_t)(i + 1);
	SHOW("every c_cc slot", tcsetattr(fd, TCSANOW, &t));
	tcgetattr(fd, &back);
	abi_yes("c_cc kept", !memcmp(back.c_cc, t.c_cc, VEOL2 + 1));
	SHOW("bad action", tcsetattr(fd, 7, &orig));
}

static void control(void)
{
	int n = -1;

	SHOW("tcdrain", tcdrain(fd));
	SHOW("tcsendbreak", tcsendbreak(fd, 0));
	SHOW("tcflow TCOOFF", tcflow(fd, TCOOFF));
	SHOW("tcflow TCOON", tcflow(fd, TCOON));
	SHOW("tcflow TCIOFF", tcflow(fd, TCIOFF));
	SHOW("tcflow TCION", tcflow(fd, TCION));
	SHOW("tcflow 9", tcflow(fd, 9));
	SHOW("tcflush TCIFLUSH", tcflush(fd, TCIFLUSH));
	SHOW("tcflush TCOFLUSH", tcflush(fd, TCOFLUSH));
	SHOW("tcflush TCIOFLUSH", tcflush(fd, TCIOFLUSH));
	SHOW("TIOCOUTQ", ioctl(fd, TIOCOUTQ, &n));
	printf("output queued: %d\n", n);
}

int main(void)
{
	struct termios orig;

	fd = abi_find_terminal();
	abi_yes("terminal", fd >= 0);
	if (fd < 0)
		return 1;
	tcgetattr(fd, &orig);
	cflags(orig);
	tcsetattr(fd, TCSANOW, &orig);
	other_flags(orig);
	tcsetattr(fd, TCSANOW, &orig);
	control();
	SHOW("restore", tcsetattr(fd, TCSANOW, &orig));
	return 0;
}
