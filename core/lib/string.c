/*
 * The core's string functions (<keel/string.h>): the kstr* family, the
 * glob matcher kglob_matchn and kstrtou64. The mem* functions are not
 * here: the backend's C runtime provides them (glibc when hosted,
 * hal/baremetal on bare metal).
 */
/* This file defines kstrlcpy: it cannot also see the fortified inline. */
#define KEEL_NO_FORTIFY 1

#include <keel/errno.h>
#include <keel/log.h>
#include <keel/string.h>

size_t kstrlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t kstrnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int kstrcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (int)*x - (int)*y;
}

int kstrncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return (int)*x - (int)*y;
		if (!*x)
			break;
	}
	return 0;
}

/* As strchr: the terminating NUL counts as part of the string. */
char *kstrchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t kstrlcpy(char *dst, const char *src, size_t size)
{
	size_t len = kstrlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool kglob_matchn(const char *pattern, size_t plen, const char *text)
{
	size_t p = 0, star = (size_t)-1;
	const char *resume = NULL; /* where text goes on after the last '*' */

	while (*text) {
		if (p < plen && pattern[p] == '*') {
			star = p++;
			resume = text;
		} else if (p < plen && (pattern[p] == '?' || pattern[p] == *text)) {
			p++;
			text++;
		} else if (resume) {
			/* Let the last '*' take one more character. */
			p = star + 1;
			text = ++resume;
		} else {
			return false;
		}
	}
	while (p < plen && pattern[p] == '*')
		p++;
	return p == plen;
}

noreturn void fortify_panic(const char *func, size_t room, size_t want)
{
	panic("checked copy: %s of %zu bytes overflows an object of %zu "
	      "(called from %p: the frame under fortify_panic below)", func,
	      want, room, __builtin_return_address(0));
}

/* Value of digit c in any base up to 36, or 36 when c is no digit. */
static unsigned digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a') + 10;
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A') + 10;
	return 36;
}

/* Resolves base 0 (and an optional 0x prefix for base 16) from the prefix
 * of s; returns the position of the first digit. */
static const char *skip_base_prefix(const char *s, unsigned *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
			  digit_value(s[2]) < 16;

	if (*base == 0) {
		if (hex_prefix)
			*base = 16;
		else if (s[0] == '0' && s[1] != '\0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && hex_prefix)
		return s + 2;
	return s;
}

/*
 * Parses all of s as an unsigned number in base (2..36, or 0 to take the
 * base from a 0x / 0 prefix). Returns -EINVAL for a bad base, no digits or
 * trailing characters, -ERANGE if the value does not fit; *out is only
 * written on success.
 */
int kstrtou64(const char *s, unsigned base, uint64_t *out)
{
	uint64_t value = 0;
	const char *p;

	if (base == 1 || base > 36)
		return -EINVAL;
	p = skip_base_prefix(s, &base);
	if (*p == '\0')
		return -EINVAL;
	for (; *p; p++) {
		unsigned d = digit_value(*p);

		if (d >= base)
			return -EINVAL;
		if (value > (UINT64_MAX - d) / base)
			return -ERANGE;
		value = value * base + d;
	}
	*out = value;
	return 0;
}
