/*
 * Unit tests of the x86_64 backend's ACPI reader
 * (hal/baremetal/x86_64/acpi.c, plain C, built for the host too): the
 * MADT's CPU list with the boot CPU first, disabled, duplicate and
 * surplus CPUs, and malformed tables, which must yield one CPU and a
 * reason rather than a read past the table; then the whole walk RSDP →
 * RSDT/XSDT → MADT over a fake physical memory, and the BIOS-area scan.
 */
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../hal/baremetal/x86_64/acpi.h"

/* ---- Building tables ---------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Sets byte at csum so that the len bytes from p sum to 0. */
static void fix_checksum(uint8_t *p, size_t len, size_t csum)
{
	uint8_t sum = 0;

	p[csum] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[csum] = (uint8_t)-sum;
}

/* A table header at t: signature, total length, checksum fixed last. */
static void sdt_header(uint8_t *t, const char *sig, uint32_t len)
{
	memset(t, 0, 36);
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
}

struct madt {
	uint8_t b[512];
	size_t len;
};

static void madt_begin(struct madt *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 44;
}

static void madt_lapic(struct madt *m, uint8_t apic_id, uint32_t flags)
{
	uint8_t *e = m->b + m->len;

	e[0] = 0, e[1] = 8, e[2] = apic_id, e[3] = apic_id;
	put32(e + 4, flags);
	m->len += 8;
}

/* An I/O APIC entry: another type the reader must step over. */
static void madt_ioapic(struct madt *m)
{
	uint8_t *e = m->b + m->len;

	e[0] = 1, e[1] = 12;
	m->len += 12;
}

static void madt_end(struct madt *m)
{
	uint8_t save[8];

	memcpy(save, m->b + 36, 8);
	sdt_header(m->b, "APIC", (uint32_t)m->len);
	memcpy(m->b + 36, save, 8);
	fix_checksum(m->b, m->len, 9);
}

static int parse(struct madt *m, uint8_t boot, struct acpi_cpus *out,
		 const char **why)
{
	*why = NULL;
	return acpi_parse_madt(m->b, m->len, boot, out, why);
}

/* ---- The MADT alone ----------------------------------------------- */

START_TEST(madt_lists_enabled_cpus_boot_first)
{
	struct acpi_cpus cpus;
	struct madt m;
	const char *why;

	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	madt_ioapic(&m);
	madt_lapic(&m, 1, 1);
	madt_lapic(&m, 2, 0); /* disabled: not listed */
	madt_lapic(&m, 3, 1);
	madt_end(&m);
	ck_assert_int_eq(parse(&m, 1, &cpus, &why), 0);
	ck_assert_uint_eq(cpus.ncpus, 3);
	ck_assert_uint_eq(cpus.apic_id[0], 1);
	ck_assert_uint_eq(cpus.apic_id[1], 0);
	ck_assert_uint_eq(cpus.apic_id[2], 3);
	ck_assert_uint_eq(cpus.dropped, 0);
}
END_TEST

START_TEST(madt_caps_and_deduplicates)
{
	struct acpi_cpus cpus;
	struct madt m;
	const char *why;

	madt_begin(&m);
	for (uint8_t id = 0; id < 12; id++)
		madt_lapic(&m, id, 1);
	madt_lapic(&m, 5, 1);    /* a duplicate */
	madt_lapic(&m, 0xff, 1); /* the broadcast id is no CPU */
	madt_end(&m);
	ck_assert_int_eq(parse(&m, 0, &cpus, &why), 0);
	ck_assert_uint_eq(cpus.ncpus, ACPI_MAX_CPUS);
	ck_assert_uint_eq(cpus.dropped, 12 - ACPI_MAX_CPUS);
	for (unsigned i = 0; i < ACPI_MAX_CPUS; i++)
		ck_assert_uint_eq(cpus.apic_id[i], i);
}
END_TEST

static void expect_one_cpu(struct madt *m, uint8_t boot)
{
	struct acpi_cpus cpus;
	const char *why;

	ck_assert_int_eq(parse(m, boot, &cpus, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_uint_eq(cpus.ncpus, 1);
	ck_assert_uint_eq(cpus.apic_id[0], boot);
}

START_TEST(malformed_madt_yields_one_cpu)
{
	struct madt m;

	/* An entry of length 0 would loop forever. */
	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	madt_lapic(&m, 1, 1);
	m.b[m.len - 7] = 0;
	madt_end(&m);
	expect_one_cpu(&m, 0);

	/* An entry running past the end of the table. */
	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	madt_lapic(&m, 1, 1);
	m.b[m.len - 7] = 200;
	madt_end(&m);
	expect_one_cpu(&m, 0);

	/* A local APIC entry too short to hold its flags. */
	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	m.b[m.len - 7] = 4;
	madt_end(&m);
	expect_one_cpu(&m, 0);

	/* The header cut, or stating another length than we were given. */
	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	madt_end(&m);
	m.len = 40;
	expect_one_cpu(&m, 0);
	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	madt_end(&m);
	m.len -= 1;
	expect_one_cpu(&m, 0);

	/* Not a MADT at all. */
	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	madt_end(&m);
	memcpy(m.b, "FACP", 4);
	expect_one_cpu(&m, 0);
}
END_TEST

START_TEST(boot_cpu_missing_from_madt_yields_one_cpu)
{
	struct madt m;

	madt_begin(&m);
	madt_lapic(&m, 1, 1);
	madt_lapic(&m, 2, 1);
	madt_end(&m);
	expect_one_cpu(&m, 0);
	/* Listed but disabled counts as missing. */
	madt_begin(&m);
	madt_lapic(&m, 0, 0);
	madt_lapic(&m, 2, 1);
	madt_end(&m);
	expect_one_cpu(&m, 0);
}
END_TEST

/* ---- The whole walk over fake physical memory ---------------------- */

#define FAKE_MEM (1u << 20)
#define RSDP_PA 0xf0010
#define ROOT_PA 0x10000
#define MADT_PA 0x20000

static uint8_t *fake;

static const void *fake_map(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	if (pa >= FAKE_MEM || len > FAKE_MEM - pa)
		return NULL;
	return fake + pa;
}

static void fake_setup(void)
{
	fake = calloc(1, FAKE_MEM);
	ck_assert_ptr_nonnull(fake);
}

static void fake_teardown(void)
{
	free(fake);
	fake = NULL;
}

/* An RSDP at RSDP_PA: revision 0 naming an RSDT, or 2 naming an XSDT. */
static void put_rsdp(unsigned revision, uint64_t root_pa)
{
	uint8_t *r = fake + RSDP_PA;

	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	r[15] = (uint8_t)revision;
	if (revision >= 2) {
		put32(r + 20, 36);
		put64(r + 24, root_pa);
	} else {
		put32(r + 16, (uint32_t)root_pa);
	}
	fix_checksum(r, 20, 8);
	if (revision >= 2)
		fix_checksum(r, 36, 32);
}

/* A root table at ROOT_PA listing a decoy table and then the MADT. */
static void put_root(const char *sig, unsigned entry_size)
{
	uint8_t *t = fake + ROOT_PA, *decoy = fake + ROOT_PA + 0x1000;
	uint32_t len = 36 + 2 * entry_size;

	sdt_header(decoy, "FACP", 36);
	fix_checksum(decoy, 36, 9);
	sdt_header(t, sig, len);
	if (entry_size == 8) {
		put64(t + 36, ROOT_PA + 0x1000);
		put64(t + 44, MADT_PA);
	} else {
		put32(t + 36, ROOT_PA + 0x1000);
		put32(t + 40, MADT_PA);
	}
	fix_checksum(t, len, 9);
}

static void put_madt(void)
{
	struct madt m;

	madt_begin(&m);
	madt_lapic(&m, 0, 1);
	madt_lapic(&m, 1, 1);
	madt_end(&m);
	memcpy(fake + MADT_PA, m.b, m.len);
}

static int find(uint64_t rsdp, struct acpi_cpus *out, const char **why)
{
	*why = NULL;
	return acpi_find_cpus(rsdp, 0, fake_map, NULL, out, why);
}

START_TEST(walk_through_rsdt_and_xsdt)
{
	struct acpi_cpus cpus;
	const char *why;

	put_madt();
	put_rsdp(0, ROOT_PA);
	put_root("RSDT", 4);
	ck_assert_int_eq(find(RSDP_PA, &cpus, &why), 0);
	ck_assert_uint_eq(cpus.ncpus, 2);
	ck_assert_uint_eq(cpus.apic_id[1], 1);

	put_rsdp(2, ROOT_PA);
	put_root("XSDT", 8);
	ck_assert_int_eq(find(RSDP_PA, &cpus, &why), 0);
	ck_assert_uint_eq(cpus.ncpus, 2);
}
END_TEST

static void expect_walk_fails(uint64_t rsdp)
{
	struct acpi_cpus cpus;
	const char *why;

	ck_assert_int_eq(find(rsdp, &cpus, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_uint_eq(cpus.ncpus, 1);
}

START_TEST(bad_tables_on_the_walk_yield_one_cpu)
{
	put_madt();
	put_rsdp(0, ROOT_PA);
	put_root("RSDT", 4);
	expect_walk_fails(0);              /* no RSDP */
	expect_walk_fails(RSDP_PA + 16);   /* no signature there */
	fake[RSDP_PA + 9] ^= 1;            /* RSDP checksum */
	expect_walk_fails(RSDP_PA);
	put_rsdp(0, FAKE_MEM - 8);         /* RSDT past the end of memory */
	expect_walk_fails(RSDP_PA);
	put_rsdp(0, ROOT_PA);
	fake[ROOT_PA + 20] ^= 1;           /* RSDT checksum */
	expect_walk_fails(RSDP_PA);
	put_root("RSDT", 4);
	put32(fake + ROOT_PA + 4, 0xfffffff0); /* RSDT length */
	expect_walk_fails(RSDP_PA);
	put_root("XSDT", 4);               /* the wrong root for revision 0 */
	expect_walk_fails(RSDP_PA);
	put_root("RSDT", 4);
	fake[MADT_PA + 50] ^= 1;           /* MADT checksum */
	expect_walk_fails(RSDP_PA);
	memcpy(fake + MADT_PA, "NOPE", 4); /* no MADT in the list */
	expect_walk_fails(RSDP_PA);
	put_madt();
	put_rsdp(2, ROOT_PA);
	fake[RSDP_PA + 30] ^= 1;           /* extended checksum */
	expect_walk_fails(RSDP_PA);
}
END_TEST

START_TEST(rsdp_scan_finds_the_bios_copy)
{
	ck_assert_uint_eq(acpi_rsdp_scan(fake_map, NULL), 0);
	put_rsdp(0, ROOT_PA);
	ck_assert_uint_eq(acpi_rsdp_scan(fake_map, NULL), RSDP_PA);
	/* The EBDA is searched first. */
	memcpy(fake + 0x9fc00, fake + RSDP_PA, 20);
	fake[0x40e] = 0xc0, fake[0x40f] = 0x9f;
	ck_assert_uint_eq(acpi_rsdp_scan(fake_map, NULL), 0x9fc00);
	/* A bad checksum is no RSDP. */
	fake[0x9fc00 + 9] ^= 1;
	ck_assert_uint_eq(acpi_rsdp_scan(fake_map, NULL), RSDP_PA);
}
END_TEST

static Suite *acpi_suite(void)
{
	Suite *s = suite_create("acpi");
	TCase *madt = tcase_create("madt"), *walk = tcase_create("walk");

	tcase_add_test(madt, madt_lists_enabled_cpus_boot_first);
	tcase_add_test(madt, madt_caps_and_deduplicates);
	tcase_add_test(madt, malformed_madt_yields_one_cpu);
	tcase_add_test(madt, boot_cpu_missing_from_madt_yields_one_cpu);
	tcase_add_checked_fixture(walk, fake_setup, fake_teardown);
	tcase_add_test(walk, walk_through_rsdt_and_xsdt);
	tcase_add_test(walk, bad_tables_on_the_walk_yield_one_cpu);
	tcase_add_test(walk, rsdp_scan_finds_the_bios_copy);
	suite_add_tcase(s, madt);
	suite_add_tcase(s, walk);
	return s;
}
UNIT_SUITE(acpi_suite);
