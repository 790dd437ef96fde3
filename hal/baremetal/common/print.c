/*
 * The bare-metal HAL's own console formatter. The core has a full printf
 * (klog); the HAL needs one that works before the core is up and inside
 * fault handlers, with no locks and no heap, for register dumps and
 * backtraces. It only knows what those need.
 */
#include <hal/hal.h>

#include "bm.h"

struct outbuf {
	char buf[160];
	size_t len;
};

static void out_flush(struct outbuf *o)
{
	if (o->len)
		hal_console_write(o->buf, o->len);
	o->len = 0;
}

static void out_char(struct outbuf *o, char c)
{
	if (o->len == sizeof(o->buf))
		out_flush(o);
	o->buf[o->len++] = c;
}

/* Writes v in base (10 or 16), at least width digits padded with pad. */
static void out_number(struct outbuf *o, uint64_t v, unsigned base,
		       unsigned width, char pad, int negative)
{
	char digits[24];
	unsigned n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		digits[n++] = '-';
	while (width > n) {
		out_char(o, pad);
		width--;
	}
	while (n)
		out_char(o, digits[--n]);
}

/* Reads an integer argument of the size the length modifier says. */
static uint64_t arg_unsigned(va_list *ap, int longs)
{
	if (longs)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int longs)
{
	if (longs)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void out_conversion(struct outbuf *o, char conv, va_list *ap,
			   int longs, unsigned width, char pad)
{
	const char *s;
	int64_t sv;

	switch (conv) {
	case 's':
		s = va_arg(*ap, const char *);
		for (s = s ? s : "(null)"; *s; s++)
			out_char(o, *s);
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case 'd':
		sv = arg_signed(ap, longs);
		out_number(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10,
			   width, pad, sv < 0);
		break;
	case 'u':
		out_number(o, arg_unsigned(ap, longs), 10, width, pad, 0);
		break;
	case 'x':
		out_number(o, arg_unsigned(ap, longs), 16, width, pad, 0);
		break;
	case 'p':
		out_char(o, '0');
		out_char(o, 'x');
		out_number(o, (uintptr_t)va_arg(*ap, void *), 16, 16, '0', 0);
		break;
	default:
		out_char(o, '%');
		out_char(o, conv);
		break;
	}
}

void bm_vprintf(const char *fmt, va_list ap)
{
	struct outbuf o = { .len = 0 };
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		unsigned width = 0;
		int longs = 0;
		char pad = ' ';

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs = 1;
			fmt++;
		}
		if (!*fmt)
			break;
		out_conversion(&o, *fmt, &args, longs, width, pad);
	}
	va_end(args);
	out_flush(&o);
}

void bm_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bm_vprintf(fmt, ap);
	va_end(ap);
}
