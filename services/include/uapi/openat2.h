/*
 * openat2(2)'s struct open_how and its resolve flags (linux/openat2.h).
 * Checked against the toolchain's headers (scripts/check-uapi).
 */
#ifndef UAPI_OPENAT2_H
#define UAPI_OPENAT2_H

#include <stdint.h>

struct linux_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

/* Linux keeps the sizes in its kernel-only headers */
#define UAPI_OPEN_HOW_SIZE_VER0 24

#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20

#endif
