/*
 * Memory and string functions. The mem* functions come from the C runtime
 * of the backend (glibc when hosted, hal/baremetal otherwise); the rest are
 * the core's own (core/lib/string.c).
 */
#ifndef KEEL_STRING_H
#define KEEL_STRING_H

#include <keel/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

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

/* Parses an unsigned number (base 0: 0x.. hex, 0.. octal, else decimal).
 * Returns 0, or -EINVAL for no digits / trailing junk, -ERANGE on overflow. */
int kstrtou64(const char *s, unsigned base, uint64_t *out);

#endif
