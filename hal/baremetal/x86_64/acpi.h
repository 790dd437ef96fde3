/*
 * The ACPI reader of the x86_64 backend: finds the RSDP (given by the PVH
 * start info, or by the BIOS-area scan), follows the XSDT or RSDT to the
 * MADT and lists the enabled processor-local APICs. Plain C over a
 * caller's "map a physical range" function, with no other dependency, so
 * that tests/unit/test_acpi.c runs it on the host against hand-built
 * tables. Every length, checksum and bound is checked: a bad table is an
 * error with a reason, never a read outside what map() granted.
 */
#ifndef HAL_X86_64_ACPI_H
#define HAL_X86_64_ACPI_H

#include <stddef.h>
#include <stdint.h>

/* As many CPUs as the HAL supports (smp.c checks it is HAL_MAX_CPUS). */
#define ACPI_MAX_CPUS 8

/*
 * Returns a pointer through which [pa, pa + len) can be read, or NULL if
 * that range is not reachable (outside RAM or the direct map).
 */
typedef const void *(*acpi_map_fn)(uint64_t pa, uint64_t len, void *ctx);

struct acpi_cpus {
	unsigned ncpus;                 /* >= 1, also on failure */
	uint8_t apic_id[ACPI_MAX_CPUS]; /* [0] is the boot CPU */
	unsigned dropped;               /* enabled CPUs past the cap */
};

/*
 * Looks for the RSDP where the BIOS leaves it: the first KiB of the EBDA
 * (segment at 0x40e) and 0xe0000..0xfffff, on 16-byte boundaries, with a
 * valid checksum. Returns its physical address, 0 if there is none.
 */
uint64_t acpi_rsdp_scan(acpi_map_fn map, void *ctx);

/*
 * Fills out with the enabled local APICs of the MADT that the RSDP at
 * rsdp_pa leads to: the boot CPU (boot_apic_id) first, the others in
 * table order, duplicates and the broadcast id 0xff left out, at most
 * ACPI_MAX_CPUS (the rest counted in dropped). Returns 0, or -1 with *why
 * naming what was wrong (no RSDP, a bad checksum or length, no MADT, the
 * boot CPU missing from it); out then lists the boot CPU alone.
 */
int acpi_find_cpus(uint64_t rsdp_pa, uint8_t boot_apic_id, acpi_map_fn map,
		   void *ctx, struct acpi_cpus *out, const char **why);

/* The MADT step alone, on a table already in memory (len bytes, the
 * whole table as its header states it). Same result as above. */
int acpi_parse_madt(const void *madt, size_t len, uint8_t boot_apic_id,
		    struct acpi_cpus *out, const char **why);

#endif
