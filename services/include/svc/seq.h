/*
 * Generated file contents (Linux's seq_file, simplified): a file of a
 * pseudo file system (procfs, sysfs) is one function that prints its
 * whole text into a struct seq; seq_read runs it on every read and hands
 * out the bytes at the reader's position. The buffer grows until the text
 * fits (up to SEQ_MAX), so a generator never needs to know its length.
 */
#ifndef SVC_SEQ_H
#define SVC_SEQ_H

#include <stdarg.h>
#include <keel/log.h>
#include <keel/types.h>

#define SEQ_MAX (1u << 20)

struct seq {
	char *buf;
	size_t len, cap;
	bool overflow; /* something did not fit: seq_read retries bigger */
};

void seq_printf(struct seq *s, const char *fmt, ...) printf_like(2, 3);
void seq_puts(struct seq *s, const char *str);
void seq_putc(struct seq *s, char c);
/* len bytes as they are (NULs too: cmdline, environ). */
void seq_write(struct seq *s, const void *data, size_t len);

/* Fills s by calling show(s, arg), with a buffer large enough; 0, or
 * show's -errno, or -ENOMEM. The caller frees s->buf with kfree. */
typedef int (*seq_show_fn)(struct seq *s, void *arg);
int seq_fill(struct seq *s, seq_show_fn show, void *arg);

/* read(2) of a generated file: the text of show(arg) from *pos, at most
 * len bytes to the user's buf; advances *pos. */
ssize_t seq_read(seq_show_fn show, void *arg, uptr_t buf, size_t len,
		 uint64_t *pos);

#endif
