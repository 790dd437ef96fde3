/*
 * x86-64's own mmap(2) flag (included by <uapi/mman.h>).
 */
#ifndef UAPI_ARCH_MMAN_H
#define UAPI_ARCH_MMAN_H

#define MAP_32BIT 0x40 /* the first 2 GiB only */

#endif
