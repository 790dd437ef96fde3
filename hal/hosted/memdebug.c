/*
 * The memory-debugging hook of the hosted backend (<hal/memdebug.h>): the
 * kernel heap and the free frames live in the physical-memory memfd,
 * where memcheck and ASan see one big valid mapping. These calls tell
 * them what is an object, what is slack or free, and what is fresh.
 *
 * Memcheck: client requests (valgrind/memcheck.h), which are a few no-op
 * instructions when the kernel does not run under Valgrind. Objects are
 * MALLOCLIKE blocks of their exact requested size with no redzone: the
 * heap marks the rest of the slot NOACCESS itself.
 * ASan: the manual poisoning interface (sanitizer/asan_interface.h), whose
 * macros are empty unless this file is built with -fsanitize=address
 * (make asan), so they are compile-tested in every build. ASan has no
 * "undefined" state: fresh and defined memory are both just unpoisoned.
 */
#include <sanitizer/asan_interface.h>
#include <valgrind/memcheck.h>

#include <hal/memdebug.h>

void hal_memdebug_alloc(const void *p, size_t size)
{
	VALGRIND_MALLOCLIKE_BLOCK(p, size, 0, 0);
	ASAN_UNPOISON_MEMORY_REGION(p, size);
}

void hal_memdebug_free(const void *p, size_t slot)
{
	VALGRIND_FREELIKE_BLOCK(p, 0);
	hal_memdebug_noaccess(p, slot);
}

void hal_memdebug_noaccess(const void *p, size_t n)
{
	VALGRIND_MAKE_MEM_NOACCESS(p, n);
	ASAN_POISON_MEMORY_REGION(p, n);
}

void hal_memdebug_undefined(const void *p, size_t n)
{
	VALGRIND_MAKE_MEM_UNDEFINED(p, n);
	ASAN_UNPOISON_MEMORY_REGION(p, n);
}

void hal_memdebug_defined(const void *p, size_t n)
{
	VALGRIND_MAKE_MEM_DEFINED(p, n);
	ASAN_UNPOISON_MEMORY_REGION(p, n);
}
