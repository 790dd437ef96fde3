/*
 * Basic types and helpers of the core's public API, usable by the core and
 * by services alike. Freestanding: only compiler headers below.
 */
#ifndef KEEL_TYPES_H
#define KEEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t ssize_t;

/*
 * A user-space address. Services receive these from system calls and can
 * only hand them to the core's uaccess API: the struct cannot be
 * dereferenced, and `make lint` forbids turning integers into pointers.
 */
typedef struct {
	uintptr_t addr;
} uptr_t;

static inline uptr_t uptr(uintptr_t addr)
{
	return (uptr_t){ addr };
}

static inline uptr_t uptr_add(uptr_t p, size_t off)
{
	return (uptr_t){ p.addr + off };
}

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#ifndef noreturn
#define noreturn __attribute__((noreturn))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define printf_like(f, a) __attribute__((format(printf, f, a)))

#endif
