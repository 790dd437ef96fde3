/*
 * ACPI tables, as far as the CPU list needs them (see acpi.h): RSDP →
 * XSDT (revision 2+, 64-bit entries) or RSDT (32-bit entries) → the MADT
 * ("APIC") → its processor-local APIC entries (type 0). Fields are read
 * byte by byte (little endian), since the tables are packed and their
 * addresses unaligned. Layouts from the ACPI specification, 5.2.
 */
#include "acpi.h"

#include <stdbool.h>

#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define SDT_HEADER_LEN 36
#define SDT_MAX_LEN (1u << 20) /* far more than any real MADT or XSDT */
#define MADT_ENTRIES_OFF 44    /* header, local APIC address, flags */
#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_APIC_LEN 8
#define LAPIC_ENABLED 1u
#define APIC_ID_BROADCAST 0xff

#define BIOS_EBDA_SEG_PA 0x40e
#define BIOS_AREA_PA 0xe0000
#define BIOS_AREA_LEN 0x20000

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static bool sig_is(const uint8_t *p, const char *sig, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)sig[i])
			return false;
	return true;
}

static bool checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

/* Does the RSDP at p (RSDP_V1_LEN bytes readable) have a good v1 part? */
static bool rsdp_v1_ok(const uint8_t *p)
{
	return sig_is(p, "RSD PTR ", 8) && checksum_ok(p, RSDP_V1_LEN);
}

uint64_t acpi_rsdp_scan(acpi_map_fn map, void *ctx)
{
	const uint8_t *seg = map(BIOS_EBDA_SEG_PA, 2, ctx), *area;
	uint64_t ebda = seg ? (uint64_t)(seg[0] | seg[1] << 8) << 4 : 0;
	uint64_t off;

	if (ebda && (area = map(ebda, 1024, ctx))) {
		for (off = 0; off + RSDP_V1_LEN <= 1024; off += 16)
			if (rsdp_v1_ok(area + off))
				return ebda + off;
	}
	area = map(BIOS_AREA_PA, BIOS_AREA_LEN, ctx);
	if (!area)
		return 0;
	for (off = 0; off + RSDP_V1_LEN <= BIOS_AREA_LEN; off += 16)
		if (rsdp_v1_ok(area + off))
			return BIOS_AREA_PA + off;
	return 0;
}

/* Maps the whole table at pa after checking its header: the length is
 * sane and the checksum over it holds. NULL (and *why) if not. */
static const uint8_t *sdt_map(uint64_t pa, acpi_map_fn map, void *ctx,
			      uint32_t *len, const char **why)
{
	const uint8_t *h = map(pa, SDT_HEADER_LEN, ctx);

	if (!h) {
		*why = "table outside memory";
		return NULL;
	}
	*len = get32(h + 4);
	if (*len < SDT_HEADER_LEN || *len > SDT_MAX_LEN) {
		*why = "table length out of range";
		return NULL;
	}
	h = map(pa, *len, ctx);
	if (!h) {
		*why = "table outside memory";
		return NULL;
	}
	if (!checksum_ok(h, *len)) {
		*why = "table checksum wrong";
		return NULL;
	}
	return h;
}

/* Adds apic_id to out unless it is there already or out is full. */
static void cpu_add(struct acpi_cpus *out, uint8_t apic_id)
{
	for (unsigned i = 0; i < out->ncpus; i++)
		if (out->apic_id[i] == apic_id)
			return;
	if (out->ncpus == ACPI_MAX_CPUS) {
		out->dropped++;
		return;
	}
	out->apic_id[out->ncpus++] = apic_id;
}

static void one_cpu(struct acpi_cpus *out, uint8_t boot_apic_id)
{
	out->ncpus = 1;
	out->apic_id[0] = boot_apic_id;
	out->dropped = 0;
}

int acpi_parse_madt(const void *madt, size_t len, uint8_t boot_apic_id,
		    struct acpi_cpus *out, const char **why)
{
	const uint8_t *t = madt;
	bool boot_seen = false;
	size_t off;

	one_cpu(out, boot_apic_id);
	if (len < MADT_ENTRIES_OFF || get32(t + 4) != len ||
	    !sig_is(t, "APIC", 4))
		return fail(why, "MADT header malformed");
	for (off = MADT_ENTRIES_OFF; off < len; off += t[off + 1]) {
		uint8_t id;

		if (len - off < 2 || t[off + 1] < 2 || t[off + 1] > len - off) {
			one_cpu(out, boot_apic_id);
			return fail(why, "MADT entry runs past the table");
		}
		if (t[off] != MADT_LOCAL_APIC)
			continue;
		if (t[off + 1] < MADT_LOCAL_APIC_LEN) {
			one_cpu(out, boot_apic_id);
			return fail(why, "MADT local APIC entry too short");
		}
		id = t[off + 3];
		if (!(get32(t + off + 4) & LAPIC_ENABLED) ||
		    id == APIC_ID_BROADCAST)
			continue;
		if (id == boot_apic_id)
			boot_seen = true;
		else
			cpu_add(out, id);
	}
	if (!boot_seen) {
		one_cpu(out, boot_apic_id);
		return fail(why, "the boot CPU is not in the MADT");
	}
	return 0;
}

/* The MADT among the root table's entries (entry_size 8: XSDT, 4: RSDT). */
static int root_find_madt(const uint8_t *root, uint32_t len,
			  unsigned entry_size, acpi_map_fn map, void *ctx,
			  uint8_t boot_apic_id, struct acpi_cpus *out,
			  const char **why)
{
	for (uint32_t off = SDT_HEADER_LEN; off + entry_size <= len;
	     off += entry_size) {
		uint64_t pa = entry_size == 8 ? get64(root + off)
					      : get32(root + off);
		const uint8_t *sig = pa ? map(pa, 4, ctx) : NULL;
		const uint8_t *madt;
		uint32_t madt_len;

		if (!sig || !sig_is(sig, "APIC", 4))
			continue;
		madt = sdt_map(pa, map, ctx, &madt_len, why);
		if (!madt)
			return -1;
		return acpi_parse_madt(madt, madt_len, boot_apic_id, out, why);
	}
	return fail(why, "no MADT");
}

int acpi_find_cpus(uint64_t rsdp_pa, uint8_t boot_apic_id, acpi_map_fn map,
		   void *ctx, struct acpi_cpus *out, const char **why)
{
	const uint8_t *rsdp, *root;
	uint64_t root_pa;
	unsigned entry_size = 4;
	uint32_t len;

	one_cpu(out, boot_apic_id);
	rsdp = rsdp_pa ? map(rsdp_pa, RSDP_V1_LEN, ctx) : NULL;
	if (!rsdp)
		return fail(why, "no RSDP");
	if (!rsdp_v1_ok(rsdp))
		return fail(why, "RSDP signature or checksum wrong");
	root_pa = get32(rsdp + 16);
	if (rsdp[15] >= 2) {
		rsdp = map(rsdp_pa, RSDP_V2_LEN, ctx);
		if (!rsdp || get32(rsdp + 20) < RSDP_V2_LEN ||
		    !checksum_ok(rsdp, RSDP_V2_LEN))
			return fail(why, "RSDP extended checksum wrong");
		if (get64(rsdp + 24)) {
			root_pa = get64(rsdp + 24);
			entry_size = 8;
		}
	}
	root = root_pa ? sdt_map(root_pa, map, ctx, &len, why) : NULL;
	if (!root)
		return root_pa ? -1 : fail(why, "no RSDT");
	if (!sig_is(root, entry_size == 8 ? "XSDT" : "RSDT", 4))
		return fail(why, "root table signature wrong");
	return root_find_madt(root, len, entry_size, map, ctx, boot_apic_id,
			      out, why);
}
