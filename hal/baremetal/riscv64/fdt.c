/*
 * The flattened device tree reader (see fdt.h for the guarantees). The
 * blob is big-endian and only 4-byte aligned, so every number is read
 * byte by byte.
 */
#include "fdt.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

#define FDT_HEADER_SIZE 40
#define FDT_MAX_SIZE (4u << 20)
#define FDT_MAX_DEPTH 64

uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

/* Is [off, off+len) inside a block of size bytes? */
static bool fits(uint32_t off, uint32_t len, uint32_t size)
{
	return off <= size && len <= size - off;
}

uint32_t fdt_total_size(const void *base)
{
	const uint8_t *b = base;

	if (fdt_be32(b) != FDT_MAGIC)
		return 0;
	return fdt_be32(b + 4);
}

bool fdt_init(struct fdt *fdt, const void *base, size_t avail)
{
	const uint8_t *b = base;
	uint32_t total;

	if (avail < FDT_HEADER_SIZE || fdt_be32(b) != FDT_MAGIC)
		return false;
	total = fdt_be32(b + 4);
	if (total < FDT_HEADER_SIZE || total > avail || total > FDT_MAX_SIZE)
		return false;
	/* version >= 17 (it has size_dt_struct), readable as version 16 */
	if (fdt_be32(b + 20) < 17 || fdt_be32(b + 24) > 16)
		return false;
	fdt->blob = b;
	fdt->size = total;
	fdt->struct_off = fdt_be32(b + 8);
	fdt->strings_off = fdt_be32(b + 12);
	fdt->rsvmap_off = fdt_be32(b + 16);
	fdt->strings_size = fdt_be32(b + 32);
	fdt->struct_size = fdt_be32(b + 36);
	if (!fits(fdt->struct_off, fdt->struct_size, total) ||
	    !fits(fdt->strings_off, fdt->strings_size, total) ||
	    !fits(fdt->rsvmap_off, 16, total) || (fdt->struct_off & 3) ||
	    (fdt->rsvmap_off & 7))
		return false;
	return true;
}

void fdt_iter_start(struct fdt_iter *it, const struct fdt *fdt)
{
	it->fdt = fdt;
	it->pos = 0;
	it->depth = 0;
	it->done = false;
}

/* Reads the token word at it->pos; false at the end of the block. */
static bool next_word(struct fdt_iter *it, uint32_t *word)
{
	const struct fdt *f = it->fdt;

	if (!fits(it->pos, 4, f->struct_size))
		return false;
	*word = fdt_be32(f->blob + f->struct_off + it->pos);
	it->pos += 4;
	return true;
}

/* Length of the NUL-terminated string at off in a block of size bytes,
 * or -1 if it runs off the block. */
static long str_len(const uint8_t *block, uint32_t off, uint32_t size)
{
	uint32_t i;

	for (i = off; i < size; i++) {
		if (block[i] == 0)
			return (long)(i - off);
	}
	return -1;
}

static enum fdt_tok fail(struct fdt_iter *it)
{
	it->done = true;
	return FDT_TOK_ERROR;
}

static enum fdt_tok begin_node(struct fdt_iter *it, struct fdt_token *tok)
{
	const struct fdt *f = it->fdt;
	const uint8_t *block = f->blob + f->struct_off;
	long n = str_len(block, it->pos, f->struct_size);

	if (n < 0 || ++it->depth > FDT_MAX_DEPTH)
		return fail(it);
	tok->name = (const char *)block + it->pos;
	tok->value = NULL;
	tok->len = 0;
	it->pos += ((uint32_t)n + 1 + 3) & ~3u;
	return FDT_TOK_BEGIN;
}

static enum fdt_tok property(struct fdt_iter *it, struct fdt_token *tok)
{
	const struct fdt *f = it->fdt;
	const uint8_t *block = f->blob + f->struct_off;
	uint32_t len, nameoff;
	long n;

	if (it->depth == 0 || !next_word(it, &len) || !next_word(it, &nameoff))
		return fail(it);
	if (!fits(it->pos, len, f->struct_size))
		return fail(it);
	n = str_len(f->blob + f->strings_off, nameoff, f->strings_size);
	if (n < 0)
		return fail(it);
	tok->name = (const char *)f->blob + f->strings_off + nameoff;
	tok->value = block + it->pos;
	tok->len = len;
	it->pos += (len + 3) & ~3u;
	return FDT_TOK_PROP;
}

enum fdt_tok fdt_next(struct fdt_iter *it, struct fdt_token *tok)
{
	uint32_t word;

	while (!it->done) {
		if (!next_word(it, &word))
			return fail(it);
		switch (word) {
		case FDT_BEGIN_NODE:
			return begin_node(it, tok);
		case FDT_PROP:
			return property(it, tok);
		case FDT_END_NODE:
			if (it->depth == 0)
				return fail(it);
			it->depth--;
			return FDT_TOK_END;
		case FDT_NOP:
			break;
		case FDT_END:
			if (it->depth != 0)
				return fail(it);
			it->done = true;
			return FDT_TOK_DONE;
		default:
			return fail(it);
		}
	}
	return FDT_TOK_DONE;
}

bool fdt_rsv_entry(const struct fdt *fdt, unsigned i, uint64_t *addr,
		   uint64_t *size)
{
	uint64_t off = fdt->rsvmap_off + (uint64_t)i * 16;
	const uint8_t *p;

	if (off + 16 > fdt->size)
		return false;
	p = fdt->blob + off;
	*addr = be64(p);
	*size = be64(p + 8);
	return *addr != 0 || *size != 0;
}

bool fdt_read_cells(const uint8_t *val, uint32_t len, uint32_t *pos,
		    unsigned cells, uint64_t *out)
{
	if (cells < 1 || cells > 2 || !fits(*pos, cells * 4, len))
		return false;
	*out = cells == 2 ? be64(val + *pos) : fdt_be32(val + *pos);
	*pos += cells * 4;
	return true;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

bool fdt_strlist_has(const uint8_t *val, uint32_t len, const char *s)
{
	uint32_t pos = 0;

	while (pos < len) {
		long n = str_len(val, pos, len);

		if (n < 0)
			return false;
		if (str_eq((const char *)val + pos, s))
			return true;
		pos += (uint32_t)n + 1;
	}
	return false;
}

bool fdt_str_is(const uint8_t *val, uint32_t len, const char *s)
{
	return len > 0 && str_len(val, 0, len) == (long)len - 1 &&
	       str_eq((const char *)val, s);
}
