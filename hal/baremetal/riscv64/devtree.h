/*
 * What boot needs from the device tree, read by devtree.c: RAM, reserved
 * ranges, the command line and initrd from /chosen, and the machine's
 * devices (into rv_machine).
 */
#ifndef HAL_RISCV64_DEVTREE_H
#define HAL_RISCV64_DEVTREE_H

#include "riscv.h"

#define DT_MAX_RANGES 32

struct dt_range {
	uint64_t base;
	uint64_t size;
};

struct dt_info {
	struct dt_range ram[DT_MAX_RANGES];
	unsigned nram;
	struct dt_range reserved[DT_MAX_RANGES];
	unsigned nreserved;
	const char *bootargs; /* inside the blob, NUL-terminated; or NULL */
	uint64_t initrd_start, initrd_end; /* end 0: no initrd */
};

/*
 * Reads the DTB at blob (avail bytes readable) on boot hart boot_hart.
 * Fills *dt and rv_machine (devices, harts with the boot hart first, PLIC
 * contexts, timebase). Returns false, with a message, if the blob is
 * malformed or lacks what the kernel cannot run without (RAM, timebase).
 */
bool rv_devtree_parse(const void *blob, size_t avail,
		      unsigned long boot_hart, struct dt_info *dt);

#endif
