/*
 * Power-off: reports the status to the host through QEMU's isa-debug-exit
 * device (port 0xf4; QEMU then exits with (status << 1) | 1), falls back to
 * the ACPI soft-off of QEMU's chipsets, and halts if both are absent.
 * Prints nothing: the core has already said what it had to.
 */
#include "x86.h"

#define DEBUG_EXIT_PORT 0xf4
/* PM1a control with SLP_TYP=5 | SLP_EN: q35/newer pc, then older pc. */
#define ACPI_PM1A_CNT_NEW 0x604
#define ACPI_PM1A_CNT_OLD 0xb004
#define ACPI_SOFT_OFF 0x2000

void hal_power_off(int status)
{
	__asm__ volatile("cli");
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	outw(ACPI_PM1A_CNT_NEW, ACPI_SOFT_OFF);
	outw(ACPI_PM1A_CNT_OLD, ACPI_SOFT_OFF);
	for (;;)
		__asm__ volatile("hlt");
}
