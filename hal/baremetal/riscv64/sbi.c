/*
 * Calls into the SBI (OpenSBI on QEMU virt): timer, IPIs, remote fences,
 * hart start, system reset, and the legacy console for messages printed
 * before the UART is known. Each v0.2+ extension is probed once at boot;
 * where one is missing the legacy (v0.1) call stands in.
 */
#include "riscv.h"

#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SEND_IPI 0x04
#define SBI_EXT_LEGACY_SFENCE_VMA 0x06
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_PROBE_EXTENSION 3

static bool has_time, has_ipi, has_rfence, has_hsm, has_srst;

static struct sbiret sbi_call(unsigned long ext, unsigned long fid,
			      unsigned long arg0, unsigned long arg1,
			      unsigned long arg2, unsigned long arg3)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a3 __asm__("a3") = arg3;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a6), "r"(a7)
			 : "memory");
	return (struct sbiret){ (long)a0, (long)a1 };
}

static bool sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION,
				   ext, 0, 0, 0);

	return r.error == 0 && r.value != 0;
}

/* Probes the extensions (an SBI older than v0.2 fails the base call:
 * then only the legacy calls are used). */
void rv_sbi_init(void)
{
	struct sbiret v = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION,
				   0, 0, 0, 0);

	if (v.error)
		return;
	has_time = sbi_probe(SBI_EXT_TIME);
	has_ipi = sbi_probe(SBI_EXT_IPI);
	has_rfence = sbi_probe(SBI_EXT_RFENCE);
	has_hsm = sbi_probe(SBI_EXT_HSM);
	has_srst = sbi_probe(SBI_EXT_SRST);
}

/* Programs this hart's timer for stime (time CSR units); clears a pending
 * timer interrupt. UINT64_MAX means never. */
void rv_sbi_set_timer(uint64_t stime)
{
	if (has_time)
		sbi_call(SBI_EXT_TIME, 0, stime, 0, 0, 0);
	else
		sbi_call(SBI_EXT_LEGACY_SET_TIMER, 0, stime, 0, 0, 0);
}

void rv_sbi_send_ipi(unsigned long hart_mask, unsigned long hart_base)
{
	unsigned long mask;

	if (has_ipi) {
		sbi_call(SBI_EXT_IPI, 0, hart_mask, hart_base, 0, 0);
		return;
	}
	/* The legacy call takes a pointer to a mask of hart ids. */
	mask = hart_mask << hart_base;
	sbi_call(SBI_EXT_LEGACY_SEND_IPI, 0, (unsigned long)&mask, 0, 0, 0);
}

void rv_sbi_remote_sfence_vma(unsigned long hart_mask,
			      unsigned long hart_base, uintptr_t start,
			      size_t size)
{
	unsigned long mask;

	if (has_rfence) {
		sbi_call(SBI_EXT_RFENCE, 1, hart_mask, hart_base, start, size);
		return;
	}
	mask = hart_mask << hart_base;
	sbi_call(SBI_EXT_LEGACY_SFENCE_VMA, 0, (unsigned long)&mask, start,
		 size, 0);
}

/* Starts hartid at physical address entry with a0 = hartid, a1 = opaque,
 * MMU off. Returns 0 or the SBI error (negative). */
long rv_sbi_hart_start(unsigned long hartid, hal_paddr_t entry,
		       unsigned long opaque)
{
	if (!has_hsm)
		return SBI_ERR_NOT_SUPPORTED;
	return sbi_call(SBI_EXT_HSM, 0, hartid, entry, opaque, 0).error;
}

void rv_sbi_putchar(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0, 0);
}

/* Shuts the machine down (SRST, else the legacy call); returns only if
 * both fail. */
void rv_sbi_shutdown(bool failure)
{
	if (has_srst)
		sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */,
			 failure ? 1 /* system failure */ : 0, 0, 0);
	sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0);
}
