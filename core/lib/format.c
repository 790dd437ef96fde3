/*
 * printf-style formatting for the core (kvsnprintf/ksnprintf, documented
 * in <keel/log.h>). Supports %d %i %u %x %X %o %p %s %c %% with the
 * hh/h/l/ll/z/t/j length modifiers, the flags '-', '0', '+', ' ', '#', a
 * field width and a precision (both may be '*'). No floating point.
 * Output that does not fit is cut, but the return value is always the
 * length of the full output, as snprintf's.
 */
#include <stdarg.h>

#include <keel/log.h>
#include <keel/string.h>

/* Where formatted characters go: buf[0 .. size-1], counting all of them. */
struct sink {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, stored or not */
};

static void put_char(struct sink *s, char c)
{
	if (s->size > 0 && s->len < s->size - 1)
		s->buf[s->len] = c;
	s->len++;
}

static void put_repeat(struct sink *s, char c, int count)
{
	while (count-- > 0)
		put_char(s, c);
}

/* One conversion's flags, width and precision. */
struct spec {
	bool left;      /* '-' */
	bool zero;      /* '0' */
	bool plus;      /* '+' */
	bool space;     /* ' ' */
	bool alt;       /* '#' */
	int width;      /* 0 when absent */
	int precision;  /* -1 when absent */
};

/* Writes len bytes of str padded to the field width. */
static void put_padded(struct sink *s, const struct spec *sp,
		       const char *str, size_t len)
{
	int pad = sp->width > (int)len ? sp->width - (int)len : 0;

	if (!sp->left)
		put_repeat(s, ' ', pad);
	for (size_t i = 0; i < len; i++)
		put_char(s, str[i]);
	if (sp->left)
		put_repeat(s, ' ', pad);
}

static void put_string(struct sink *s, const struct spec *sp, const char *str)
{
	size_t len;

	if (!str)
		str = "(null)";
	len = sp->precision >= 0 ? kstrnlen(str, (size_t)sp->precision)
				 : kstrlen(str);
	put_padded(s, sp, str, len);
}

/*
 * Writes value in base with an optional sign and prefix, honouring width,
 * precision (minimum digits) and the '-' / '0' flags as C printf does.
 */
static void put_number(struct sink *s, const struct spec *sp, uint64_t value,
		       bool negative, unsigned base, bool upper,
		       const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 22 octal digits hold 2^64 - 1 */
	int ndigits = 0, nzeros, pad;
	char sign = 0;
	int plen = (int)kstrlen(prefix);

	do {
		tmp[ndigits++] = digits[value % base];
		value /= base;
	} while (value);
	if (sp->precision == 0 && ndigits == 1 && tmp[0] == '0')
		ndigits = 0; /* "%.0d" of 0 prints nothing, as in C */
	if (negative)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';
	nzeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
	pad = sp->width - ndigits - nzeros - plen - (sign ? 1 : 0);
	if (pad < 0)
		pad = 0;
	if (sp->zero && !sp->left && sp->precision < 0) {
		nzeros += pad;
		pad = 0;
	}
	if (!sp->left)
		put_repeat(s, ' ', pad);
	if (sign)
		put_char(s, sign);
	for (int i = 0; i < plen; i++)
		put_char(s, prefix[i]);
	put_repeat(s, '0', nzeros);
	while (ndigits > 0)
		put_char(s, tmp[--ndigits]);
	if (sp->left)
		put_repeat(s, ' ', pad);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

/* Parses flags, width and precision at *fmt; advances *fmt past them. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	const char *f = *fmt;

	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0)
				sp->precision = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->precision =
					sp->precision * 10 + (*f++ - '0');
		}
	}
	*fmt = f;
}

static enum length parse_length(const char **fmt)
{
	const char *f = *fmt;
	enum length len = LEN_INT;

	if (f[0] == 'h' && f[1] == 'h') {
		len = LEN_CHAR;
		f += 2;
	} else if (f[0] == 'h') {
		len = LEN_SHORT;
		f++;
	} else if (f[0] == 'l' && f[1] == 'l') {
		len = LEN_LLONG;
		f += 2;
	} else if (f[0] == 'l' || f[0] == 'j') {
		len = f[0] == 'l' ? LEN_LONG : LEN_LLONG;
		f++;
	} else if (f[0] == 'z' || f[0] == 't') {
		len = LEN_SIZE;
		f++;
	}
	*fmt = f;
	return len;
}

static int64_t fetch_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return va_arg(*ap, ssize_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

/* Formats one conversion whose letter is conv; false if conv is unknown. */
static bool put_conversion(struct sink *s, const struct spec *sp, char conv,
			   enum length len, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = fetch_signed(len, ap);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

		put_number(s, sp, mag, v < 0, 10, false, "");
		return true;
	}
	case 'u':
		put_number(s, sp, fetch_unsigned(len, ap), false, 10, false,
			   "");
		return true;
	case 'x':
	case 'X': {
		uint64_t v = fetch_unsigned(len, ap);
		const char *pfx = sp->alt && v ? (conv == 'x' ? "0x" : "0X")
					       : "";

		put_number(s, sp, v, false, 16, conv == 'X', pfx);
		return true;
	}
	case 'o': {
		uint64_t v = fetch_unsigned(len, ap);

		put_number(s, sp, v, false, 8, false, sp->alt && v ? "0" : "");
		return true;
	}
	case 'p':
		put_number(s, sp, (uintptr_t)va_arg(*ap, void *), false, 16,
			   false, "0x");
		return true;
	case 's':
		put_string(s, sp, va_arg(*ap, const char *));
		return true;
	case 'c': {
		char c = (char)va_arg(*ap, int);

		put_padded(s, sp, &c, 1);
		return true;
	}
	case '%':
		put_char(s, '%');
		return true;
	default:
		return false;
	}
}

/*
 * Formats fmt into buf (size bytes). Returns the length of the complete
 * output, even when it was cut; terminates buf whenever size > 0. An
 * unknown conversion is copied out literally.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp;
		enum length len;

		if (*fmt != '%') {
			put_char(&s, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &sp, &args);
		len = parse_length(&fmt);
		if (*fmt && put_conversion(&s, &sp, *fmt, len, &args)) {
			fmt++;
			continue;
		}
		/* Unknown or truncated conversion: print it as written. */
		while (start < fmt)
			put_char(&s, *start++);
	}
	va_end(args);
	if (size > 0)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
