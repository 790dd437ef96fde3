/*
 * The kernel heap: size classes for small objects, whole frames for large
 * ones. Returns NULL when memory is exhausted. Debug builds poison freed
 * memory and detect double frees.
 */
#ifndef KEEL_HEAP_H
#define KEEL_HEAP_H

#include <keel/types.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *kcalloc(size_t n, size_t size); /* NULL on overflow */
void kfree(void *p);                  /* NULL is fine */
char *kstrdup(const char *s);

#endif
