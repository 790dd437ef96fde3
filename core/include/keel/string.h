/*
 * Memory and string functions. The mem* functions come from the C runtime
 * of the backend (glibc when hosted, hal/baremetal otherwise); the rest are
 * the core's own (core/lib/string.c).
 *
 * Checked copies (FORTIFY_SOURCE-style; docs/hardening.md): in optimized
 * freestanding code (the core and services) memcpy, memmove, memset and
 * kstrlcpy are wrapped by inline checks that compare the length with the
 * size the compiler knows the destination (and source) to have, which
 * __builtin_dynamic_object_size finds for arrays, struct members and
 * kmalloc'ed objects of a size known at run time too, and panic through
 * fortify_panic when the copy would overflow it. Unknown sizes cost
 * nothing: the check folds away. Code that includes libc headers (the
 * hosted HAL, unit tests) keeps the plain functions.
 */
#ifndef KEEL_STRING_H
#define KEEL_STRING_H

#include <keel/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Panics: a checked copy (func) of want bytes into or out of an object of
 * room bytes. The caller is the frame under it in the backtrace. */
noreturn void fortify_panic(const char *func, size_t room, size_t want);

size_t kstrlen(const char *s);
size_t kstrnlen(const char *s, size_t max);
int kstrcmp(const char *a, const char *b);
int kstrncmp(const char *a, const char *b, size_t n);
char *kstrchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates; returns kstrlen(src). */
size_t kstrlcpy(char *dst, const char *src, size_t size);

/*
 * Whether all of text matches the first plen bytes of pattern, a shell-like
 * glob: `*` matches any run of characters (also none), `?` any one, every
 * other character itself. Linear in practice, never recursive.
 */
bool kglob_matchn(const char *pattern, size_t plen, const char *text);

#if defined(__OPTIMIZE__) && !__STDC_HOSTED__ && !defined(KEEL_NO_FORTIFY)
/* As glibc's fortified string.h: gnu_inline definitions are used only to
 * inline; the calls in them (and any call not inlined) reach the real
 * functions. Object size mode 0 (the whole object) for mem*: copies that
 * span several members of one struct are legitimate; mode 1 (the member)
 * for strings. */
#define FORTIFY_INLINE \
	extern inline __attribute__((always_inline, gnu_inline, artificial))
#define fortify_size(p, mode) __builtin_dynamic_object_size(p, mode)
/* Panics unless n bytes fit in the object p points into. */
#define fortify_check(func, p, mode, n)                                 \
	do {                                                            \
		if (unlikely((n) > fortify_size(p, mode)))              \
			fortify_panic(func, fortify_size(p, mode), n);  \
	} while (0)

FORTIFY_INLINE void *memcpy(void *dst, const void *src, size_t n)
{
	fortify_check("memcpy", dst, 0, n);
	fortify_check("memcpy (source)", src, 0, n);
	return __builtin_memcpy(dst, src, n);
}

FORTIFY_INLINE void *memmove(void *dst, const void *src, size_t n)
{
	fortify_check("memmove", dst, 0, n);
	fortify_check("memmove (source)", src, 0, n);
	return __builtin_memmove(dst, src, n);
}

FORTIFY_INLINE void *memset(void *dst, int c, size_t n)
{
	fortify_check("memset", dst, 0, n);
	return __builtin_memset(dst, c, n);
}

size_t kstrlcpy_unchecked(char *dst, const char *src, size_t size)
	__asm__("kstrlcpy");

FORTIFY_INLINE size_t kstrlcpy(char *dst, const char *src, size_t size)
{
	fortify_check("kstrlcpy", dst, 1, size);
	return kstrlcpy_unchecked(dst, src, size);
}
#endif

/* Parses an unsigned number (base 0: 0x.. hex, 0.. octal, else decimal).
 * Returns 0, or -EINVAL for no digits / trailing junk, -ERANGE on overflow. */
int kstrtou64(const char *s, unsigned base, uint64_t *out);

#endif
