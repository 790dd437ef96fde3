/*
 * The allocators' side of fault injection (<keel/failalloc.h>).
 */
#ifndef CORE_MM_FAILALLOC_H
#define CORE_MM_FAILALLOC_H

#include <keel/types.h>

/* Called first by every allocation entry point: true if this allocation
 * is the one the current task armed to fail (it then counts as fired). */
bool failalloc_now(void);

#endif
