/*
 * riscv64's own mmap(2) flags (included by <uapi/mman.h>): none, the
 * generic set is all.
 */
#ifndef UAPI_ARCH_MMAN_H
#define UAPI_ARCH_MMAN_H

#endif
