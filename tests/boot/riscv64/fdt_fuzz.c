/*
 * Host test of the riscv64 backend's device-tree reader (fdt.c and
 * devtree.c, compiled for the host with AddressSanitizer and UBSan):
 *
 *   fdt_fuzz DTB NHARTS RAM_MIB [ROUNDS]
 *
 * First checks what it reads from DTB, a tree QEMU's virt machine dumped
 * (`-machine virt,dumpdtb=FILE`): RAM, UART, PLIC, test finisher,
 * timebase, harts and their PLIC contexts. Then feeds it ROUNDS damaged
 * copies (bytes and header words overwritten, truncated blobs), each in a
 * heap buffer of exactly the readable size, so any read out of bounds
 * stops the sanitizer; every result must be sane. Exits 0 when all holds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devtree.h"
#include "fdt.h"

struct rv_machine rv_machine;
static int quiet;

/* The HAL's console printf (hal/baremetal/common/bm.h), to stdout. */
void bm_printf(const char *fmt, ...);

void bm_printf(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static int failures;

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond)) {                                          \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                     \
		}                                                       \
	} while (0)

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0) {
		perror(path);
		exit(2);
	}
	rewind(f);
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static void check_real_tree(const unsigned char *blob, size_t size,
			    unsigned nharts, uint64_t ram_mib)
{
	struct dt_info dt;
	const struct rv_machine *m = &rv_machine;
	unsigned i;

	CHECK(rv_devtree_parse(blob, size, 0, &dt));
	CHECK(dt.nram == 1);
	CHECK(dt.ram[0].base == 0x80000000);
	CHECK(dt.ram[0].size == ram_mib << 20);
	CHECK(m->uart.base == 0x10000000 && m->uart.size > 0);
	CHECK(m->uart_irq == 10);
	CHECK(m->uart_shift == 0);
	CHECK(m->plic.base == 0x0c000000 && m->plic.size >= 0x400000);
	CHECK(m->plic_ndev > 10);
	CHECK(m->finisher.base == 0x100000);
	CHECK(m->timebase_hz == 10000000);
	CHECK(m->nharts == nharts);
	for (i = 0; i < m->nharts; i++) {
		CHECK(m->harts[i] == i);
		CHECK(m->plic_ctx[i] == 2 * i + 1); /* QEMU: M, S per hart */
	}
	/* Booting on the last hart makes it CPU 0. */
	CHECK(rv_devtree_parse(blob, size, nharts - 1, &dt));
	CHECK(m->harts[0] == nharts - 1);
	CHECK(m->plic_ctx[0] == 2 * (nharts - 1) + 1);
	/* Too few readable bytes: rejected, not read past. */
	quiet = 1;
	CHECK(!rv_devtree_parse(blob, size - 1, 0, &dt));
	CHECK(!rv_devtree_parse(blob, 39, 0, &dt));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* One random damage: a byte, a 4-byte word (aligned, like the tokens and
 * lengths) with an interesting value, or a header field. */
static void damage(unsigned char *b, size_t size)
{
	static const uint32_t words[] = {
		0, 1, 2, 3, 4, 9, 0x7fffffff, 0x80000000, 0xffffffff,
		0xfffffffc, 0x40, 0x1000, 0xd00dfeed,
	};
	uint32_t v = (uint32_t)rng() % 3 ? words[rng() % 13] : (uint32_t)rng();
	size_t off;

	switch (rng() % 4) {
	case 0:
		b[rng() % size] = (unsigned char)rng();
		break;
	case 1:
		off = (rng() % (size / 4)) * 4;
		put_be32(b + off, v);
		break;
	case 2:
		off = 4 * (1 + rng() % 9); /* a header field after the magic */
		put_be32(b + off, v);
		break;
	default: /* the length word of some property */
		off = (rng() % (size / 4)) * 4;
		if (off + 8 <= size && b[off + 3] == 3 && !b[off] &&
		    !b[off + 1] && !b[off + 2])
			put_be32(b + off + 4, v);
		break;
	}
}

#define FDT_SANE_CHECK CHECK
#include "fdt_sane.h"

int main(int argc, char **argv)
{
	size_t size, avail;
	unsigned char *blob;
	unsigned long rounds, r, parsed = 0;
	struct dt_info dt;

	if (argc < 4) {
		fprintf(stderr, "usage: %s DTB NHARTS RAM_MIB [ROUNDS]\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	blob = read_file(argv[1], &size);
	/* QEMU pads the dump; the blob proper is totalsize bytes. */
	if (size >= 8 && fdt_total_size(blob) >= 64 &&
	    fdt_total_size(blob) < size)
		size = fdt_total_size(blob);
	rounds = argc > 4 ? strtoul(argv[4], NULL, 0) : 50000;
	check_real_tree(blob, size, (unsigned)atoi(argv[2]),
			strtoull(argv[3], NULL, 0));
	quiet = 1;
	for (r = 0; r < rounds; r++) {
		unsigned n = 1 + rng() % 8, i;
		unsigned char *buf;

		avail = rng() % 8 ? size : rng() % size;
		buf = malloc(avail ? avail : 1);
		memcpy(buf, blob, avail);
		for (i = 0; avail >= 64 && i < n; i++)
			damage(buf, avail);
		if (rv_devtree_parse(buf, avail, rng() % 4, &dt)) {
			parsed++;
			fdt_check_sane(buf, avail, &dt);
		}
		free(buf);
	}
	free(blob);
	printf("fdt_fuzz: real tree checked; %lu damaged trees, %lu still "
	       "parsed, %lu rejected; %d failure(s)\n",
	       rounds, parsed, rounds - parsed, failures);
	return failures ? 1 : 0;
}
