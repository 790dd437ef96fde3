/*
 * A small printf for the user test programs. Each call formats into a
 * buffer and issues one write(1), so lines from concurrently running
 * programs do not tear in the middle.
 */
#include <stdarg.h>
#include <user.h>

#define PRINT_BUF 512

struct out {
	char buf[PRINT_BUF];
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len < sizeof(o->buf))
		o->buf[o->len++] = c;
}

static void put_str(struct out *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		put(o, *s++);
}

static void put_num(struct out *o, unsigned long v, unsigned base, int neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int is_long = 0;

		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == 'l') {
			is_long = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long v = is_long ? va_arg(ap, long) : va_arg(ap, int);

			put_num(o, v < 0 ? -(unsigned long)v : (unsigned long)v,
				10, v < 0);
			break;
		}
		case 'u':
			put_num(o, is_long ? va_arg(ap, unsigned long)
					   : va_arg(ap, unsigned), 10, 0);
			break;
		case 'x':
			put_num(o, is_long ? va_arg(ap, unsigned long)
					   : va_arg(ap, unsigned), 16, 0);
			break;
		case 'p':
			put_str(o, "0x");
			put_num(o, (unsigned long)va_arg(ap, void *), 16, 0);
			break;
		case 's':
			put_str(o, va_arg(ap, const char *));
			break;
		case 'c':
			put(o, (char)va_arg(ap, int));
			break;
		case '%':
			put(o, '%');
			break;
		case '\0':
			return;
		default:
			put(o, '%');
			put(o, *fmt);
		}
	}
}

/* Formats into one buffer and writes it to fd with one write. */
static int print_to(int fd, const char *fmt, va_list ap)
{
	struct out o;

	o.len = 0;
	format(&o, fmt, ap);
	return (int)sys_write(fd, o.buf, o.len);
}

int uprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_to(1, fmt, ap);
	va_end(ap);
	return n;
}

int udprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_to(fd, fmt, ap);
	va_end(ap);
	return n;
}

void uputs(const char *s)
{
	uprintf("%s\n", s);
}
