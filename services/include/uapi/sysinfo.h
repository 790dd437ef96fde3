/*
 * sysinfo(2)'s structure (64-bit: 112 bytes). Checked against the
 * toolchain's <linux/sysinfo.h> (scripts/check-uapi).
 */
#ifndef UAPI_SYSINFO_H
#define UAPI_SYSINFO_H

#include <stdint.h>

struct linux_sysinfo {
	int64_t uptime;      /* seconds since boot */
	uint64_t loads[3];   /* 1, 5, 15 minute loads, << SI_LOAD_SHIFT */
	uint64_t totalram;   /* in mem_unit units */
	uint64_t freeram;
	uint64_t sharedram;
	uint64_t bufferram;
	uint64_t totalswap;
	uint64_t freeswap;
	uint16_t procs;
	uint16_t pad;
	uint64_t totalhigh;
	uint64_t freehigh;
	uint32_t mem_unit;
	uint8_t _f[4];
};

#define SI_LOAD_SHIFT 16

#endif
