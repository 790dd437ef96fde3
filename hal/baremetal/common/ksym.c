/*
 * Kernel symbol lookup for symbolized backtraces on bare metal.
 *
 * The table is generated from `nm` of the pass-1 link by scripts/gen-ksyms
 * and linked into pass 2 (the linker script puts it last, so no other
 * address moves). Layout of the .ksyms section, all little-endian:
 *
 *     u64 count
 *     struct { u64 addr; u64 name_offset; } entries[count], sorted by addr
 *     char names[]   NUL-terminated names, name_offset counts from here
 *
 * Pass 1 links an empty table (count 0), so lookups then return NULL.
 */
#include "bm.h"

struct ksym_entry {
	uint64_t addr;
	uint64_t name_offset;
};

struct ksym_header {
	uint64_t count;
	struct ksym_entry entries[];
};

extern const char __ksyms_start[], __ksyms_end[];

/* Index of the last entry whose address is <= addr, or -1. */
static long ksym_find(const struct ksym_header *h, uintptr_t addr)
{
	long lo = 0, hi = (long)h->count - 1, found = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (h->entries[mid].addr <= addr) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	const struct ksym_header *h = (const void *)__ksyms_start;
	const char *names;
	long i;

	if ((size_t)(__ksyms_end - __ksyms_start) < sizeof(*h) ||
	    h->count == 0)
		return NULL;
	i = ksym_find(h, addr);
	/* The last entry is the end-of-text marker: past it is not code. */
	if (i < 0 || (uint64_t)i + 1 >= h->count)
		return NULL;
	names = (const char *)&h->entries[h->count];
	if (offset)
		*offset = addr - h->entries[i].addr;
	return names + h->entries[i].name_offset;
}

void bm_print_frame_note(unsigned depth, uintptr_t pc, const char *note)
{
	uintptr_t off = 0;
	const char *name = ksym_lookup(pc, &off);

	if (name)
		bm_printf("  #%u 0x%lx %s+0x%lx%s\n", depth, (unsigned long)pc,
			  name, (unsigned long)off, note);
	else
		bm_printf("  #%u 0x%lx ?%s\n", depth, (unsigned long)pc, note);
}

void bm_print_frame(unsigned depth, uintptr_t pc)
{
	bm_print_frame_note(depth, pc, "");
}
