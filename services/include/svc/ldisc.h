/*
 * The terminal line discipline (Linux's n_tty) as plain logic: input
 * bytes come in through ldisc_receive, get the termios input processing
 * (ISTRIP, IGNCR, ICRNL, INLCR), the signal characters (ISIG: INTR, QUIT,
 * SUSP), canonical line editing (ICANON: ERASE, KILL, WERASE, LNEXT,
 * REPRINT, EOF, EOL, EOL2) and echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL,
 * ECHOCTL), and wait in a 4 KiB buffer for readers. Output (written data
 * and echo alike) gets the OPOST processing (ONLCR, OCRNL, ONOCR, ONLRET,
 * OLCUC) on its way to the terminal.
 *
 * The line discipline neither sleeps nor locks: the tty that owns it
 * (services/tty/tty.c) serialises calls with its lock and does the
 * waiting; what reaches the terminal and which signal a character raises
 * go out through the ldisc_ops callbacks. That keeps it testable with a
 * fake terminal (tests/unit/test_ldisc.c). Not done: IXON flow control
 * (START/STOP pass as data), parity and break handling, ECHOPRT.
 */
#ifndef SVC_LDISC_H
#define SVC_LDISC_H

#include <keel/types.h>
#include <uapi/termios.h>

#define LDISC_BUF 4096 /* Linux's N_TTY_BUF_SIZE */
#define LDISC_OUT_MAX 2 /* output bytes one written byte can become */

struct ldisc_ops {
	/* Writes len bytes to the terminal, synchronously, in any context. */
	void (*output)(void *arg, const char *buf, size_t len);
	/* A signal character came in: sig goes to the foreground group. */
	void (*signal)(void *arg, int sig);
};

struct ldisc {
	struct linux_termios tio;
	char buf[LDISC_BUF];
	uint8_t kind[LDISC_BUF]; /* LDISC_DATA... per slot (ldisc.c) */
	/* Free-running counters, taken modulo LDISC_BUF: tail <= line <= head.
	 * [tail, line) may be read; [line, head) is the canonical line being
	 * edited (empty in non-canonical mode). */
	size_t tail, line, head;
	unsigned column;      /* output column, for ONOCR and erasing */
	unsigned line_column; /* the column where the edited line began */
	bool literal_next; /* LNEXT seen: the next byte is data */
	const struct ldisc_ops *ops;
	void *arg;
};

/* Linux's tty_std_termios: canonical, echoing, ICRNL, OPOST|ONLCR, the
 * usual control characters (^C ^\ DEL ^U ^D, VMIN 1, ^Z ^R ^O ^W ^V). */
void ldisc_default_termios(struct linux_termios *tio);

/* An empty line discipline with the default termios. */
void ldisc_init(struct ldisc *l, const struct ldisc_ops *ops, void *arg);

/* Takes len input bytes from the terminal (processing, echo, signals).
 * Bytes that find the buffer full are dropped, as the hardware would. */
void ldisc_receive(struct ldisc *l, const char *buf, size_t len);

/* ldisc_receive for a terminal that must not lose input (a pty's
 * master): takes bytes while ldisc_can_receive and returns how many it
 * took; the caller keeps the rest until a read makes room. */
size_t ldisc_receive_some(struct ldisc *l, const char *buf, size_t len);
/* Whether the next input byte would be taken (not left to the caller). */
bool ldisc_can_receive(const struct ldisc *l);

/* Bytes a read may take now: complete lines (canonical) or everything
 * received (non-canonical). An end-of-file mark counts as one. */
size_t ldisc_readable(const struct ldisc *l);

/*
 * Moves up to len readable bytes to out and returns how many. Canonical
 * mode stops after a line's end (its newline or EOL is copied, an EOF mark
 * is consumed and not copied); *eof says whether the read met an EOF mark
 * with nothing before it, which read(2) reports as 0.
 */
size_t ldisc_read(struct ldisc *l, char *out, size_t len, bool *eof);

/* Drops all input (TCFLSH, TCSETSF, a signal character without NOFLSH). */
void ldisc_flush_input(struct ldisc *l);

/* Installs new settings. Leaving canonical mode makes the line being
 * edited readable; entering it makes unread input the line being edited. */
void ldisc_set_termios(struct ldisc *l, const struct linux_termios *tio);

/* Writes len bytes to the terminal with output processing. */
void ldisc_write(struct ldisc *l, const char *buf, size_t len);
/* Writes as many of the len bytes as surely fit in room bytes of output
 * (each takes up to LDISC_OUT_MAX) and returns how many it wrote. */
size_t ldisc_write_some(struct ldisc *l, const char *buf, size_t len,
			size_t room);

/*
 * The state of one non-canonical read(2), for VMIN/VTIME: want bytes
 * asked for, got so far, when the read started and when got last grew.
 */
struct ldisc_read_state {
	size_t want, got;
	uint64_t start_ns, last_ns;
};

/*
 * Whether a non-canonical read in state r is complete at now_ns, as POSIX
 * and Linux define VMIN/VTIME: MIN 0 TIME 0 at once; MIN 0 TIME t at the
 * first byte or t tenths of a second after the start; MIN m TIME 0 at m
 * bytes (or want, if fewer); MIN m TIME t at m bytes, or t tenths after
 * the latest byte once there is one. When not, *deadline_ns is when it
 * will be (UINT64_MAX: only more input completes it).
 */
bool ldisc_read_done(const struct ldisc *l, const struct ldisc_read_state *r,
		     uint64_t now_ns, uint64_t *deadline_ns);

#endif
