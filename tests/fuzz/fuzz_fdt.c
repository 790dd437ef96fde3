/*
 * libFuzzer harness of the riscv64 device-tree reader
 * (hal/baremetal/riscv64/fdt.c and devtree.c, built for the host), which
 * reads the DTB the firmware hands the kernel before anything else runs:
 * the input is the blob, exactly sized, parsed as from boot harts 0 and 1.
 * tests/boot/riscv64/fdt_fuzz damages QEMU's trees at random; this one
 * lets coverage find the paths.
 *
 * Checks what a successful parse promises (tests/boot/riscv64/
 * fdt_sane.h, shared with fdt_fuzz): RAM ranges non-empty and not
 * wrapping, counts within their arrays, bootargs a string inside the blob,
 * a sane initrd range, timebase, hart count, UART and PLIC values within
 * their hardware limits.
 */
#include "fuzz.h"

#include <stdarg.h>
#include <string.h>

#include "devtree.h"

/* What devtree.c fills besides *dt (the HAL's machine description). */
struct rv_machine rv_machine;

/* The HAL's console printf (hal/baremetal/common/bm.h): the reader's
 * complaints about a bad blob, which nobody needs to see here. */
void bm_printf(const char *fmt, ...);

void bm_printf(const char *fmt, ...)
{
	(void)fmt;
}

#define FDT_SANE_CHECK FUZZ_CHECK
#include "../boot/riscv64/fdt_sane.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_info dt;

	for (unsigned long hart = 0; hart < 2; hart++) {
		memset(&rv_machine, 0, sizeof(rv_machine));
		if (rv_devtree_parse(data, size, hart, &dt))
			fdt_check_sane(data, size, &dt);
	}
	return 0;
}
