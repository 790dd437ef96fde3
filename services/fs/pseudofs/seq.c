/*
 * The generated-file helper (<svc/seq.h>): print into a bounded buffer,
 * note an overflow instead of failing, and let seq_fill retry with twice
 * the room, so that each generator is a plain sequence of prints.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/seq.h>

#define SEQ_START 4096u

void seq_write(struct seq *s, const void *data, size_t len)
{
	if (s->overflow || len > s->cap - s->len) {
		s->overflow = true;
		return;
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
}

void seq_puts(struct seq *s, const char *str)
{
	seq_write(s, str, kstrlen(str));
}

void seq_putc(struct seq *s, char c)
{
	seq_write(s, &c, 1);
}

void seq_printf(struct seq *s, const char *fmt, ...)
{
	size_t room = s->cap - s->len;
	va_list ap;
	int n;

	if (s->overflow)
		return;
	va_start(ap, fmt);
	n = kvsnprintf(s->buf + s->len, room, fmt, ap);
	va_end(ap);
	/* kvsnprintf needs room for its NUL too. */
	if (n < 0 || (size_t)n >= room) {
		s->overflow = true;
		return;
	}
	s->len += (size_t)n;
}

int seq_fill(struct seq *s, seq_show_fn show, void *arg)
{
	for (size_t cap = SEQ_START; cap <= SEQ_MAX; cap *= 2) {
		int err;

		s->buf = kmalloc(cap);
		if (!s->buf)
			return -ENOMEM;
		s->cap = cap;
		s->len = 0;
		s->overflow = false;
		err = show(s, arg);
		if (err || !s->overflow) {
			if (err) {
				kfree(s->buf);
				s->buf = NULL;
			}
			return err;
		}
		kfree(s->buf);
		s->buf = NULL;
	}
	return -ENOMEM;
}

ssize_t seq_read(seq_show_fn show, void *arg, uptr_t buf, size_t len,
		 uint64_t *pos)
{
	struct seq s;
	ssize_t got = 0;
	int err = seq_fill(&s, show, arg);

	if (err)
		return err;
	if (*pos < s.len && len) {
		size_t n = MIN(len, s.len - (size_t)*pos);

		got = copy_to_user_partial(buf, s.buf + *pos, n);
		if (got > 0)
			*pos += (uint64_t)got;
	}
	kfree(s.buf);
	return got;
}
