/*
 * The memory-debugging hook of the hosted backend (docs/hal.md, "Memory
 * debugging"): the core's heap and frame allocator describe their memory
 * to Valgrind memcheck (client requests) and to ASan (manual poisoning),
 * which cannot otherwise see into the physical-memory memfd. Natively,
 * without ASan, each call is a few instructions. Bare metal has the same
 * functions as empty inlines (hal/baremetal/common/include/hal/memdebug.h).
 */
#ifndef HAL_MEMDEBUG_H
#define HAL_MEMDEBUG_H

#include <stddef.h>

/* A heap object of size bytes now starts at p: accessible, contents
 * undefined, and remembered (with this stack) for memcheck's reports. */
void hal_memdebug_alloc(const void *p, size_t size);

/* The heap object at p, in a slot of slot bytes, was freed: the slot is
 * no access, and memcheck names this free in the report of a later use. */
void hal_memdebug_free(const void *p, size_t slot);

/* [p, p+n) must not be touched (free memory, slack after an object). */
void hal_memdebug_noaccess(const void *p, size_t n);

/* [p, p+n) may be touched; its contents are undefined (fresh memory). */
void hal_memdebug_undefined(const void *p, size_t n);

/* [p, p+n) may be touched and holds defined values: the allocator's own
 * reads of free memory (free-list links, poison checks). */
void hal_memdebug_defined(const void *p, size_t n);

#endif
