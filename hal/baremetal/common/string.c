/*
 * The C runtime's memory functions for the bare-metal backends. The core
 * declares them in <keel/string.h>, and the compiler itself emits calls to
 * memcpy/memset/memmove/memcmp for struct copies and initialisers (in the
 * core and in services alike), so every kernel image needs them.
 *
 * Plain C, arch-neutral, word-at-a-time where both pointers allow it.
 * The optimize attribute keeps GCC from recognising these loops as the
 * very functions being defined and turning them into recursive calls.
 */
#include <stddef.h>
#include <stdint.h>

#include "bm.h"

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

typedef uintptr_t word_t;
#define WORD sizeof(word_t)

static inline int both_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (both_aligned(d, s)) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/* Copies downwards from the end when the regions overlap that way. */
NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	d += n;
	s += n;
	if (both_aligned(d, s)) {
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t pattern = (unsigned char)c;

	pattern |= pattern << 8;
	pattern |= pattern << 16;
	if (WORD > 4)
		pattern |= (pattern << 16) << 16;
	while (n && ((uintptr_t)d & (WORD - 1))) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = pattern;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}
