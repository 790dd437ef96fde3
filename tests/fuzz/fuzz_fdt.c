/*
 * libFuzzer harness of the riscv64 device-tree reader
 * (hal/baremetal/riscv64/fdt.c and devtree.c, built for the host), which
 * reads the DTB the firmware hands the kernel before anything else runs:
 * the input is the blob, exactly sized, parsed as from boot harts 0 and 1.
 * tests/boot/riscv64/fdt_fuzz damages QEMU's trees at random; this one
 * lets coverage find the paths.
 *
 * Checks what a successful parse promises (the same as fdt_fuzz's
 * check_sane): RAM ranges non-empty and not wrapping, counts within their
 * arrays, bootargs a string inside the blob, a sane initrd range,
 * timebase, hart count, UART and PLIC values within their hardware limits.
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

static void check_parsed(const uint8_t *blob, size_t size,
			 const struct dt_info *dt)
{
	const struct rv_machine *m = &rv_machine;

	FUZZ_CHECK(dt->nram >= 1 && dt->nram <= DT_MAX_RANGES);
	FUZZ_CHECK(dt->nreserved <= DT_MAX_RANGES);
	for (unsigned i = 0; i < dt->nram; i++)
		FUZZ_CHECK(dt->ram[i].size &&
			   dt->ram[i].base + dt->ram[i].size > dt->ram[i].base);
	if (dt->bootargs) {
		const uint8_t *p = (const uint8_t *)dt->bootargs;

		FUZZ_CHECK(p >= blob && p < blob + size);
		FUZZ_CHECK(memchr(p, 0, (size_t)(blob + size - p)) != NULL);
	}
	FUZZ_CHECK(!dt->initrd_end || dt->initrd_end > dt->initrd_start);
	FUZZ_CHECK(m->timebase_hz > 0 && m->timebase_hz <= 1000000000ull);
	FUZZ_CHECK(m->nharts >= 1 && m->nharts <= HAL_MAX_CPUS);
	FUZZ_CHECK(m->uart_shift <= 3);
	FUZZ_CHECK(m->uart_irq <= 1023);
	FUZZ_CHECK(m->plic.size <= (64u << 20));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_info dt;

	for (unsigned long hart = 0; hart < 2; hart++) {
		memset(&rv_machine, 0, sizeof(rv_machine));
		if (rv_devtree_parse(data, size, hart, &dt))
			check_parsed(data, size, &dt);
	}
	return 0;
}
