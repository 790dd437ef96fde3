/*
 * libFuzzer harness of the terminal line discipline (services/tty/
 * ldisc.c) under termios settings a program chose (TCSETS* ioctl
 * arguments: any flags, any control characters, VMIN/VTIME) and input a
 * terminal sent. The input is a script: a struct linux_termios to start
 * with, then operations of one byte each followed by their argument
 * bytes: receive N bytes, read up to N, write N bytes, new termios,
 * flush, and a VMIN/VTIME decision for a read state taken from the input.
 *
 * Checks beyond "no crash": the buffer counters keep tail <= line <= head
 * within LDISC_BUF; a read returns at most what it was asked for and what
 * was readable, and never more than was received; what reaches the
 * terminal (output and echo) fits in the bytes that could cause it (OPOST
 * and echo expand one byte to at most a few); the signals are SIGINT,
 * SIGQUIT or SIGTSTP; a non-canonical read that is not done yet names a
 * later deadline at which it is done (or none: only input ends it).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <string.h>

#include <svc/ldisc.h>
#include <uapi/signal.h>

/* At most this many bytes reach the terminal per byte that came in or
 * was written: "^X" for an echoed control character, a tab's spaces,
 * "\b \b" erase sequences for a tab-wide character, or a REPRINT
 * (^R) of the whole edited line, each byte echoed as two. */
#define EXPANSION (2 * LDISC_BUF + 64)

struct fake_tty {
	size_t output;  /* bytes written to the terminal */
	unsigned signals;
};

static void fake_output(void *arg, const char *buf, size_t len)
{
	struct fake_tty *t = arg;

	FUZZ_CHECK(buf != NULL || len == 0);
	t->output += len;
}

static void fake_signal(void *arg, int sig)
{
	struct fake_tty *t = arg;

	FUZZ_CHECK(sig == SIGINT || sig == SIGQUIT || sig == SIGTSTP);
	t->signals++;
}

static const struct ldisc_ops fake_ops = { fake_output, fake_signal };

static void check_counters(const struct ldisc *l)
{
	FUZZ_CHECK(l->tail <= l->line && l->line <= l->head);
	FUZZ_CHECK(l->head - l->tail <= LDISC_BUF);
}

static void read_done(const struct ldisc *l, struct fuzz_script *s)
{
	struct ldisc_read_state r = { 0 };
	uint64_t now = 0, deadline = 0, later = 0;
	bool done;

	fuzz_take(s, &r, sizeof(r));
	fuzz_take(s, &now, sizeof(now));
	done = ldisc_read_done(l, &r, now, &deadline);
	if (done || deadline == UINT64_MAX)
		return;
	/* Not done: the deadline is later, and there it is done. */
	FUZZ_CHECK(deadline > now);
	FUZZ_CHECK(ldisc_read_done(l, &r, deadline, &later));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ldisc l; /* 8 KiB: not on libFuzzer's stack */
	struct fuzz_script s = { data, size };
	struct fake_tty tty = { 0 };
	struct linux_termios tio;
	size_t in = 0, read_total = 0, written = 0;
	char buf[512];

	ldisc_init(&l, &fake_ops, &tty);
	if (fuzz_take(&s, &tio, sizeof(tio)) == sizeof(tio))
		ldisc_set_termios(&l, &tio);
	while (s.left) {
		uint8_t op = 0, n = 0;
		size_t got, readable;
		bool eof = false;

		fuzz_take(&s, &op, 1);
		fuzz_take(&s, &n, 1);
		switch (op % 6) {
		case 0:
			got = fuzz_take(&s, buf, n);
			ldisc_receive(&l, buf, got);
			in += got;
			break;
		case 1:
			readable = ldisc_readable(&l);
			got = ldisc_read(&l, buf, n, &eof);
			FUZZ_CHECK(got <= n && got <= readable);
			read_total += got;
			FUZZ_CHECK(read_total <= in);
			break;
		case 2:
			got = fuzz_take(&s, buf, n);
			ldisc_write(&l, buf, got);
			written += got;
			break;
		case 3:
			if (fuzz_take(&s, &tio, sizeof(tio)) == sizeof(tio))
				ldisc_set_termios(&l, &tio);
			break;
		case 4:
			ldisc_flush_input(&l);
			break;
		default:
			read_done(&l, &s);
		}
		check_counters(&l);
		FUZZ_CHECK(tty.output <= (in + written) * EXPANSION);
		FUZZ_CHECK(tty.signals <= in);
	}
	return 0;
}
