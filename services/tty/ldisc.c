/*
 * The line discipline (<svc/ldisc.h>), after Linux's drivers/tty/n_tty.c:
 * one input byte at a time through receive_byte, which applies the input
 * flags, raises signals, edits the canonical line and echoes; reads take
 * from the buffer in line units (canonical) or as bytes (raw); writes and
 * echo share one output path (out_byte) that does OPOST processing and
 * tracks the output column, which erasing a tab needs.
 *
 * Every buffer slot has a kind: data, a line end that is data too ('\n',
 * EOL, EOL2) or an end-of-file mark (VEOF in canonical mode), which ends a
 * line but is never handed to a reader.
 */
#include <keel/string.h>
#include <svc/ldisc.h>
#include <uapi/signal.h>

enum slot_kind { LDISC_DATA, LDISC_EOL, LDISC_EOF };

#define TENTH_NS 100000000ull /* VTIME's unit, 0.1 s */
#define OUT_CHUNK 128

static const uint8_t default_cc[NCCS] = {
	[VINTR] = 003,	  [VQUIT] = 034,   [VERASE] = 0177, [VKILL] = 025,
	[VEOF] = 004,	  [VTIME] = 0,	   [VMIN] = 1,	    [VSTART] = 021,
	[VSTOP] = 023,	  [VSUSP] = 032,   [VREPRINT] = 022, [VDISCARD] = 017,
	[VWERASE] = 027, [VLNEXT] = 026,
};

void ldisc_default_termios(struct linux_termios *tio)
{
	memset(tio, 0, sizeof(*tio));
	tio->c_iflag = ICRNL | IXON;
	tio->c_oflag = OPOST | ONLCR;
	tio->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	tio->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL |
		       ECHOKE | IEXTEN;
	memcpy(tio->c_cc, default_cc, NCCS);
}

void ldisc_init(struct ldisc *l, const struct ldisc_ops *ops, void *arg)
{
	memset(l, 0, sizeof(*l));
	ldisc_default_termios(&l->tio);
	l->ops = ops;
	l->arg = arg;
}

static bool lflag(const struct ldisc *l, uint32_t bit)
{
	return l->tio.c_lflag & bit;
}

/* Whether c is the (enabled) control character cc[idx]; 0 disables. */
static bool is_cc(const struct ldisc *l, unsigned char c, int idx)
{
	return l->tio.c_cc[idx] != 0 && c == l->tio.c_cc[idx];
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* ---- Output --------------------------------------------------------- */

struct out_buf {
	char b[OUT_CHUNK + 2];
	size_t n;
	size_t total; /* bytes put since the start, flushed or not */
};

static void out_flush(struct ldisc *l, struct out_buf *o)
{
	if (o->n)
		l->ops->output(l->arg, o->b, o->n);
	o->n = 0;
}

static void out_put(struct ldisc *l, struct out_buf *o, char c)
{
	o->total++;
	o->b[o->n++] = c;
	if (o->n >= OUT_CHUNK)
		out_flush(l, o);
}

/* One byte with OPOST processing, keeping the output column. */
static void out_byte(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	uint32_t of = l->tio.c_oflag;

	if (!(of & OPOST)) {
		out_put(l, o, (char)c);
		return;
	}
	if ((of & OLCUC) && c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	switch (c) {
	case '\n':
		if (of & (ONLCR | ONLRET))
			l->column = 0;
		if (of & ONLCR)
			out_put(l, o, '\r');
		break;
	case '\r':
		if ((of & ONOCR) && l->column == 0)
			return;
		if (of & OCRNL) {
			c = '\n';
			if (of & ONLRET)
				l->column = 0;
		} else {
			l->column = 0;
		}
		break;
	case '\t':
		l->column = (l->column | 7) + 1;
		break;
	case '\b':
		if (l->column)
			l->column--;
		break;
	default:
		/* UTF-8 continuation bytes take no column. */
		if (!is_ctl(c) && (c & 0xc0) != 0x80)
			l->column++;
	}
	out_put(l, o, (char)c);
}

static void out_str(struct ldisc *l, struct out_buf *o, const char *s)
{
	while (*s)
		out_byte(l, o, (unsigned char)*s++);
}

void ldisc_write(struct ldisc *l, const char *buf, size_t len)
{
	ldisc_write_some(l, buf, len, SIZE_MAX);
}

/* out_byte puts at most LDISC_OUT_MAX bytes for one (ONLCR's "\r\n"). */
size_t ldisc_write_some(struct ldisc *l, const char *buf, size_t len,
			size_t room)
{
	struct out_buf o = { .n = 0 };
	size_t i;

	for (i = 0; i < len && room - o.total >= LDISC_OUT_MAX; i++)
		out_byte(l, &o, (unsigned char)buf[i]);
	out_flush(l, &o);
	return i;
}

/* The echo of input byte c: itself, or ^X for a control character under
 * ECHOCTL (tab and newline echo as themselves). */
static void echo_byte(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	if (lflag(l, ECHOCTL) && is_ctl(c) && c != '\t' && c != '\n') {
		out_byte(l, o, '^');
		out_byte(l, o, (unsigned char)(c ^ 0x40));
		return;
	}
	out_byte(l, o, c);
}

/* ---- The buffer ----------------------------------------------------- */

static size_t room(const struct ldisc *l)
{
	return LDISC_BUF - (l->head - l->tail);
}

static void put(struct ldisc *l, unsigned char c, enum slot_kind kind)
{
	l->buf[l->head % LDISC_BUF] = (char)c;
	l->kind[l->head % LDISC_BUF] = (uint8_t)kind;
	l->head++;
}

static unsigned char at(const struct ldisc *l, size_t i)
{
	return (unsigned char)l->buf[i % LDISC_BUF];
}

/* The column the echo of the edited line reaches just before slot end,
 * from the column where the line started. */
static unsigned line_column_at(const struct ldisc *l, size_t end)
{
	unsigned col = l->line_column;

	for (size_t i = l->line; i < end; i++) {
		unsigned char c = at(l, i);

		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_ctl(c))
			col += lflag(l, ECHOCTL) ? 2 : 0;
		else if ((c & 0xc0) != 0x80)
			col++;
	}
	return col;
}

/* ---- Canonical editing ---------------------------------------------- */

/* Removes the last byte of the edited line and rubs it out on screen. */
static void erase_last(struct ldisc *l, struct out_buf *o)
{
	unsigned char c = at(l, l->head - 1);
	unsigned cols = 1;

	if (c == '\t') {
		unsigned start = line_column_at(l, l->head - 1);
		unsigned back = l->column > start ? l->column - start : 0;

		l->head--;
		if (lflag(l, ECHO))
			while (back--)
				out_byte(l, o, '\b');
		return;
	}
	l->head--;
	if (!lflag(l, ECHO))
		return;
	if (is_ctl(c))
		cols = lflag(l, ECHOCTL) ? 2 : 0;
	if ((c & 0xc0) == 0x80)
		cols = 0; /* part of a character rubbed out with its start */
	for (unsigned k = 0; k < cols; k++)
		out_str(l, o, "\b \b");
}

static void do_erase(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	if (l->head == l->line)
		return;
	if (lflag(l, ECHO) && !lflag(l, ECHOE)) {
		l->head--;
		echo_byte(l, o, c);
		return;
	}
	/* A UTF-8 character goes as a whole (IUTF8). */
	while (l->head > l->line && (l->tio.c_iflag & IUTF8) &&
	       (at(l, l->head - 1) & 0xc0) == 0x80)
		erase_last(l, o);
	if (l->head > l->line)
		erase_last(l, o);
}

static void do_kill(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	if (l->head == l->line)
		return;
	if (!lflag(l, ECHO)) {
		l->head = l->line;
		return;
	}
	if (!lflag(l, ECHOK) || !lflag(l, ECHOKE) || !lflag(l, ECHOE)) {
		l->head = l->line;
		echo_byte(l, o, c);
		if (lflag(l, ECHOK))
			out_byte(l, o, '\n');
		return;
	}
	while (l->head > l->line)
		erase_last(l, o);
}

static bool is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* ^W as Linux: rubs out the non-word bytes before the cursor, then the
 * word before them. */
static void do_werase(struct ldisc *l, struct out_buf *o)
{
	bool seen_word = false;

	while (l->head > l->line) {
		unsigned char c = at(l, l->head - 1);

		if (is_word_byte(c))
			seen_word = true;
		else if (seen_word)
			break;
		erase_last(l, o);
	}
}

static void do_reprint(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	echo_byte(l, o, c);
	out_byte(l, o, '\n');
	l->line_column = l->column;
	for (size_t i = l->line; i < l->head; i++)
		echo_byte(l, o, at(l, i));
}

/* Ends the edited line with c of kind; it becomes readable. */
static void end_line(struct ldisc *l, struct out_buf *o, unsigned char c,
		     enum slot_kind kind)
{
	if (!room(l))
		return;
	put(l, c, kind);
	if (kind == LDISC_EOL &&
	    (lflag(l, ECHO) || (c == '\n' && lflag(l, ECHONL))))
		echo_byte(l, o, c);
	l->line = l->head;
}

/* Adds data byte c to the edited line (canonical) or the readable bytes,
 * keeping one slot free for a canonical line's end. */
static void add_data(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	bool canon = lflag(l, ICANON);

	if (room(l) < (canon ? 2u : 1u))
		return;
	if (l->head == l->line)
		l->line_column = l->column;
	put(l, c, LDISC_DATA);
	if (!canon)
		l->line = l->head;
	if (lflag(l, ECHO))
		echo_byte(l, o, c);
}

/* ---- Input ---------------------------------------------------------- */

/* A signal character: flush (unless NOFLSH), echo, then the signal. */
static bool take_signal(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	int sig;

	if (!lflag(l, ISIG))
		return false;
	if (is_cc(l, c, VINTR))
		sig = SIGINT;
	else if (is_cc(l, c, VQUIT))
		sig = SIGQUIT;
	else if (is_cc(l, c, VSUSP))
		sig = SIGTSTP;
	else
		return false;
	if (!lflag(l, NOFLSH))
		ldisc_flush_input(l);
	if (lflag(l, ECHO))
		echo_byte(l, o, c);
	out_flush(l, o);
	l->ops->signal(l->arg, sig);
	return true;
}

/* The canonical editing characters; false for anything else. */
static bool take_canon_control(struct ldisc *l, struct out_buf *o,
			       unsigned char c)
{
	bool iexten = lflag(l, IEXTEN);

	if (is_cc(l, c, VERASE))
		do_erase(l, o, c);
	else if (is_cc(l, c, VKILL))
		do_kill(l, o, c);
	else if (iexten && is_cc(l, c, VWERASE))
		do_werase(l, o);
	else if (iexten && is_cc(l, c, VREPRINT))
		do_reprint(l, o, c);
	else if (iexten && is_cc(l, c, VLNEXT)) {
		l->literal_next = true;
		if (lflag(l, ECHO) && lflag(l, ECHOCTL)) {
			out_byte(l, o, '^');
			out_byte(l, o, '\b');
		}
	} else if (is_cc(l, c, VEOF))
		end_line(l, o, c, LDISC_EOF);
	else if (c == '\n' || is_cc(l, c, VEOL) || is_cc(l, c, VEOL2))
		end_line(l, o, c, LDISC_EOL);
	else
		return false;
	return true;
}

static void receive_byte(struct ldisc *l, struct out_buf *o, unsigned char c)
{
	uint32_t iflag = l->tio.c_iflag;

	if (iflag & ISTRIP)
		c &= 0x7f;
	if (l->literal_next) {
		l->literal_next = false;
		add_data(l, o, c);
		return;
	}
	if (c == '\r') {
		if (iflag & IGNCR)
			return;
		if (iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}
	if (take_signal(l, o, c))
		return;
	if (lflag(l, ICANON) && take_canon_control(l, o, c))
		return;
	add_data(l, o, c);
}

void ldisc_receive(struct ldisc *l, const char *buf, size_t len)
{
	struct out_buf o = { .n = 0 };

	for (size_t i = 0; i < len; i++)
		receive_byte(l, &o, (unsigned char)buf[i]);
	out_flush(l, &o);
}

/*
 * Room for one more byte: a free slot (two in canonical mode, where one is
 * kept for the line's end). A canonical line that fills the buffer alone
 * has nothing a reader could take, so it takes more bytes and drops them
 * (its end still fits), as n_tty's overflow case: the writer never waits
 * for a reader that cannot come.
 */
bool ldisc_can_receive(const struct ldisc *l)
{
	if (lflag(l, ICANON))
		return room(l) >= 2 || l->line == l->tail;
	return room(l) >= 1;
}

size_t ldisc_receive_some(struct ldisc *l, const char *buf, size_t len)
{
	struct out_buf o = { .n = 0 };
	size_t i;

	for (i = 0; i < len && ldisc_can_receive(l); i++)
		receive_byte(l, &o, (unsigned char)buf[i]);
	out_flush(l, &o);
	return i;
}

/* ---- Reading and settings ------------------------------------------- */

size_t ldisc_readable(const struct ldisc *l)
{
	return l->line - l->tail;
}

size_t ldisc_read(struct ldisc *l, char *out, size_t len, bool *eof)
{
	bool canon = lflag(l, ICANON);
	size_t n = 0;

	*eof = false;
	while (n < len && l->tail != l->line) {
		size_t slot = l->tail % LDISC_BUF;
		uint8_t kind = l->kind[slot];

		l->tail++;
		if (kind == LDISC_EOF) {
			if (!canon)
				continue; /* a mark left from canonical mode */
			*eof = n == 0;
			break;
		}
		out[n++] = l->buf[slot];
		if (canon && kind == LDISC_EOL)
			break;
	}
	return n;
}

void ldisc_flush_input(struct ldisc *l)
{
	l->tail = l->line = l->head;
	l->literal_next = false;
}

/*
 * A switch into canonical mode makes whatever is still unread one line,
 * readable at once (its last byte ends it), as Linux's n_tty_set_termios
 * (canon_head = read_head, push): bytes that came in raw mode, e.g. typed
 * ahead while a shell's line editor still had the terminal, are never
 * edited again, and a reader does not wait for a line end that raw input
 * never marked (its newlines are plain data). A switch out of it makes the
 * edited line readable as raw bytes.
 */
void ldisc_set_termios(struct ldisc *l, const struct linux_termios *tio)
{
	bool was_canon = lflag(l, ICANON);

	l->tio = *tio;
	if (was_canon && !lflag(l, ICANON)) {
		l->line = l->head;
	} else if (!was_canon && lflag(l, ICANON)) {
		size_t last = (l->head - 1) % LDISC_BUF;

		if (l->head != l->tail && l->kind[last] == LDISC_DATA)
			l->kind[last] = LDISC_EOL;
		l->line = l->head;
		l->line_column = l->column;
	}
}

bool ldisc_read_done(const struct ldisc *l, const struct ldisc_read_state *r,
		     uint64_t now_ns, uint64_t *deadline_ns)
{
	size_t min = l->tio.c_cc[VMIN];
	uint64_t time = l->tio.c_cc[VTIME] * TENTH_NS;
	uint64_t deadline;

	*deadline_ns = UINT64_MAX;
	if (min == 0) {
		if (time == 0 || r->got > 0)
			return true;
		deadline = r->start_ns + time;
	} else {
		if (r->got >= MIN(min, r->want))
			return true;
		if (time == 0 || r->got == 0)
			return false;
		deadline = r->last_ns + time;
	}
	if (now_ns >= deadline)
		return true;
	*deadline_ns = deadline;
	return false;
}
