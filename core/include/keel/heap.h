/*
 * The kernel heap: size classes for small objects, whole frames for large
 * ones. Returns NULL when memory is exhausted. Debug builds poison freed
 * memory and detect double frees.
 */
#ifndef KEEL_HEAP_H
#define KEEL_HEAP_H

#include <keel/types.h>

/* alloc_size tells the compiler the object's size, so that the checked
 * copies of <keel/string.h> know it where the object was made. (Not on
 * kcalloc: its overflow check is the point, and GCC would reject the
 * tests that call it with a product too large.) */
#define KMALLOC_ATTRS __attribute__((malloc, alloc_size(1)))

void *kmalloc(size_t size) KMALLOC_ATTRS;
void *kzalloc(size_t size) KMALLOC_ATTRS;
void *kcalloc(size_t n, size_t size) __attribute__((malloc)); /* NULL on
								 overflow */
void kfree(void *p);                  /* NULL is fine */
char *kstrdup(const char *s);

#endif
