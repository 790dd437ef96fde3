/*
 * The memory-debugging hook on bare metal: no memory checker runs there,
 * so every call is an empty inline and costs nothing. The contract is the
 * hosted one (hal/hosted/include/hal/memdebug.h, docs/hal.md "Memory
 * debugging").
 */
#ifndef HAL_MEMDEBUG_H
#define HAL_MEMDEBUG_H

#include <stddef.h>

static inline void hal_memdebug_alloc(const void *p, size_t size)
{
	(void)p;
	(void)size;
}

static inline void hal_memdebug_free(const void *p, size_t slot)
{
	(void)p;
	(void)slot;
}

static inline void hal_memdebug_noaccess(const void *p, size_t n)
{
	(void)p;
	(void)n;
}

static inline void hal_memdebug_undefined(const void *p, size_t n)
{
	(void)p;
	(void)n;
}

static inline void hal_memdebug_defined(const void *p, size_t n)
{
	(void)p;
	(void)n;
}

#endif
