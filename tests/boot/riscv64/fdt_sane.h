/*
 * What a successful rv_devtree_parse promises, shared by the two fuzzers
 * of the device-tree reader (tests/boot/riscv64/fdt_fuzz.c and
 * tests/fuzz/fuzz_fdt.c): everything it returns must be usable as it is.
 * The includer defines FDT_SANE_CHECK(cond), its way to report a broken
 * promise, and has rv_machine and <string.h>.
 */
#ifndef TESTS_BOOT_RISCV64_FDT_SANE_H
#define TESTS_BOOT_RISCV64_FDT_SANE_H

#include "devtree.h"

/* Checks *dt (and rv_machine) as parsed from buf, avail bytes. */
static void fdt_check_sane(const unsigned char *buf, size_t avail,
			   const struct dt_info *dt)
{
	const struct rv_machine *m = &rv_machine;
	unsigned i;

	FDT_SANE_CHECK(dt->nram >= 1 && dt->nram <= DT_MAX_RANGES);
	FDT_SANE_CHECK(dt->nreserved <= DT_MAX_RANGES);
	for (i = 0; i < dt->nram; i++)
		FDT_SANE_CHECK(dt->ram[i].size &&
			       dt->ram[i].base + dt->ram[i].size >
				       dt->ram[i].base);
	if (dt->bootargs) {
		const unsigned char *p = (const unsigned char *)dt->bootargs;

		FDT_SANE_CHECK(p >= buf && p < buf + avail);
		FDT_SANE_CHECK(memchr(p, 0, (size_t)(buf + avail - p)) != NULL);
	}
	FDT_SANE_CHECK(!dt->initrd_end || dt->initrd_end > dt->initrd_start);
	FDT_SANE_CHECK(m->timebase_hz > 0 && m->timebase_hz <= 1000000000ull);
	FDT_SANE_CHECK(m->nharts >= 1 && m->nharts <= HAL_MAX_CPUS);
	FDT_SANE_CHECK(m->uart_shift <= 3);
	FDT_SANE_CHECK(m->uart_irq <= 1023);
	FDT_SANE_CHECK(m->plic.size <= (64u << 20));
}

#endif
