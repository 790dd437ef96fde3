/*
 * A small, defensive reader of flattened device trees (DTB, version 16+).
 * It trusts nothing in the blob: every offset and length is checked
 * against the header's blocks and the bytes the caller says are readable,
 * and every string must end inside its block. Malformed input ends the
 * walk with FDT_TOK_ERROR; it never reads out of bounds.
 */
#ifndef HAL_RISCV64_FDT_H
#define HAL_RISCV64_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fdt {
	const uint8_t *blob;
	uint32_t size;          /* totalsize, <= what the caller could read */
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
	uint32_t rsvmap_off;
};

enum fdt_tok {
	FDT_TOK_BEGIN, /* a node starts: name */
	FDT_TOK_PROP,  /* a property of the current node: name, value, len */
	FDT_TOK_END,   /* the current node ends */
	FDT_TOK_DONE,  /* the tree ended cleanly */
	FDT_TOK_ERROR, /* malformed blob: stop */
};

struct fdt_token {
	const char *name;
	const uint8_t *value;
	uint32_t len;
};

struct fdt_iter {
	const struct fdt *fdt;
	uint32_t pos;   /* offset into the structure block */
	int depth;
	bool done;
};

/* Checks the header of the blob at base, of which avail bytes are
 * readable. Returns false if it is not a sane DTB. */
bool fdt_init(struct fdt *fdt, const void *base, size_t avail);

/* The blob's total size from its header (8 readable bytes at base), or 0
 * when the magic is wrong. */
uint32_t fdt_total_size(const void *base);

void fdt_iter_start(struct fdt_iter *it, const struct fdt *fdt);
enum fdt_tok fdt_next(struct fdt_iter *it, struct fdt_token *tok);

/* Entry i of the memory reservation block; false past the last one (or
 * if the block runs out of the blob). */
bool fdt_rsv_entry(const struct fdt *fdt, unsigned i, uint64_t *addr,
		   uint64_t *size);

uint32_t fdt_be32(const uint8_t *p);

/* Reads a cells-wide (1 or 2) big-endian number at *pos of a property
 * value of len bytes and advances *pos. False if it does not fit. */
bool fdt_read_cells(const uint8_t *val, uint32_t len, uint32_t *pos,
		    unsigned cells, uint64_t *out);

/* Does the string-list property value contain s? */
bool fdt_strlist_has(const uint8_t *val, uint32_t len, const char *s);

/* Is the property value a NUL-terminated string equal to s? */
bool fdt_str_is(const uint8_t *val, uint32_t len, const char *s);

#endif
