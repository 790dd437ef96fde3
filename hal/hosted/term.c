/*
 * The host terminal under the hosted console. When stdin is a terminal,
 * Keel's own tty does the line editing, echo and signal characters, so
 * the host's are turned off (ICANON, ECHO, ISIG, IEXTEN, IXON and the CR
 * mappings: the bytes typed reach the kernel as they are). Output
 * processing stays on, so the kernel's log lines end lines too (a Keel
 * program that turns OPOST off still gets the host's ONLCR).
 *
 * The saved settings come back on every way out: exit (atexit: power
 * off, panic, boot failures), the fatal signals the host may send (TERM,
 * HUP, INT, QUIT, ABRT: restore, then die by the signal as before) and
 * the kernel-fault path, which ends in a power off. Only SIGKILL leaves
 * the terminal raw (`stty sane` mends it).
 *
 * The window size is read from the terminal (stdout, else stdin) at
 * start and on SIGWINCH, which the console input thread receives
 * (console.c): it updates the size and raises HAL_IRQ_CONSOLE.
 */
#include "hosted.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static int saved_fd = -1;
static unsigned size_rows, size_cols; /* 0: unknown */

int hosted_term_raw(int fd, struct termios *old)
{
	struct termios t;

	if (tcgetattr(fd, old) != 0)
		return -1;
	t = *old;
	t.c_iflag &= ~(unsigned)(BRKINT | ICRNL | INLCR | IGNCR | ISTRIP |
				 IXON);
	t.c_lflag &= ~(unsigned)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &t);
}

void hosted_term_restore(int fd, const struct termios *old)
{
	tcsetattr(fd, TCSANOW, old);
}

int hosted_term_size(int fd, unsigned *rows, unsigned *cols)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || !ws.ws_row || !ws.ws_col)
		return -1;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}

static void restore_at_exit(void)
{
	if (saved_fd >= 0)
		hosted_term_restore(saved_fd, &saved);
}

/* A fatal signal from the host: the terminal back, then the signal's
 * default action (SA_RESETHAND made it the default again). */
static void restore_and_die(int sig)
{
	restore_at_exit();
	raise(sig);
}

void hosted_term_update_size(void)
{
	unsigned rows, cols;

	if (hosted_term_size(STDOUT_FILENO, &rows, &cols) != 0 &&
	    hosted_term_size(STDIN_FILENO, &rows, &cols) != 0)
		return;
	__atomic_store_n(&size_rows, rows, __ATOMIC_RELAXED);
	__atomic_store_n(&size_cols, cols, __ATOMIC_RELAXED);
}

int hal_console_winsize(unsigned *rows, unsigned *cols)
{
	unsigned r = __atomic_load_n(&size_rows, __ATOMIC_RELAXED);
	unsigned c = __atomic_load_n(&size_cols, __ATOMIC_RELAXED);

	if (!r || !c)
		return -ENOTTY;
	*rows = r;
	*cols = c;
	return 0;
}

void hosted_term_init(void)
{
	static const int fatal[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT,
				     SIGABRT };
	struct sigaction sa;

	hosted_term_update_size();
	if (!isatty(STDIN_FILENO) || hosted_term_raw(STDIN_FILENO, &saved))
		return;
	saved_fd = STDIN_FILENO;
	atexit(restore_at_exit);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = restore_and_die;
	sa.sa_flags = SA_RESETHAND;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
}
