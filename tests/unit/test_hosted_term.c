/*
 * Unit tests of the hosted backend's host-terminal handling
 * (hal/hosted/term.c) on a pseudo-terminal standing in for the host's:
 * raw input mode and its undoing, the window size read from the
 * terminal, and the refusals on a file that is no terminal.
 */
#include "unit.h"

#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <hal/hal.h>
#include <keel/errno.h>
#include "../../hal/hosted/hosted.h"

static int master, slave;

static void open_pty(void)
{
	ck_assert_int_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
}

static void close_pty(void)
{
	close(slave);
	close(master);
}

START_TEST(raw_mode_turns_off_input_processing_and_restores)
{
	struct termios old, now;

	open_pty();
	ck_assert_int_eq(tcgetattr(slave, &now), 0);
	ck_assert(now.c_lflag & ICANON);
	ck_assert_int_eq(hosted_term_raw(slave, &old), 0);
	ck_assert_int_eq(tcgetattr(slave, &now), 0);
	ck_assert(!(now.c_lflag & (ICANON | ECHO | ISIG | IEXTEN)));
	ck_assert(!(now.c_iflag & (ICRNL | IXON)));
	ck_assert_int_eq(now.c_cc[VMIN], 1);
	ck_assert(now.c_oflag & OPOST); /* output processing stays */
	hosted_term_restore(slave, &old);
	ck_assert_int_eq(tcgetattr(slave, &now), 0);
	ck_assert_uint_eq(now.c_lflag, old.c_lflag);
	ck_assert_uint_eq(now.c_iflag, old.c_iflag);
	close_pty();
}
END_TEST

START_TEST(size_comes_from_the_terminal)
{
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };
	unsigned rows = 0, cols = 0;

	open_pty();
	ck_assert_int_eq(ioctl(master, TIOCSWINSZ, &ws), 0);
	ck_assert_int_eq(hosted_term_size(slave, &rows, &cols), 0);
	ck_assert_uint_eq(rows, 30);
	ck_assert_uint_eq(cols, 100);
	ws.ws_row = ws.ws_col = 0; /* a terminal that does not know */
	ck_assert_int_eq(ioctl(master, TIOCSWINSZ, &ws), 0);
	ck_assert_int_eq(hosted_term_size(slave, &rows, &cols), -1);
	close_pty();
}
END_TEST

START_TEST(no_terminal_is_refused)
{
	struct termios old;
	unsigned rows, cols;
	int fd = open("/dev/null", O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(hosted_term_raw(fd, &old), -1);
	ck_assert_int_eq(hosted_term_size(fd, &rows, &cols), -1);
	close(fd);
	/* the console's size is unknown until a terminal gave one */
	ck_assert_int_eq(hal_console_winsize(&rows, &cols), -ENOTTY);
}
END_TEST

static Suite *hosted_term_suite(void)
{
	Suite *s = suite_create("hosted_term");
	TCase *c = tcase_create("core");

	tcase_add_test(c, raw_mode_turns_off_input_processing_and_restores);
	tcase_add_test(c, size_comes_from_the_terminal);
	tcase_add_test(c, no_terminal_is_refused);
	suite_add_tcase(s, c);
	return s;
}

UNIT_SUITE(hosted_term_suite);
