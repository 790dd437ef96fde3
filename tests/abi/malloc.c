/* The libc allocator over brk, mmap, mremap and munmap: small and large
 * blocks (glibc and musl map large ones), growing a large block with
 * realloc (glibc uses mremap), contents kept, freed memory reusable. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"

static int filled(const unsigned char *p, size_t n, unsigned char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

int main(void)
{
	unsigned char *small[64], *big, *bigger;
	int ok = 1;

	for (int i = 0; i < 64; i++) {
		small[i] = malloc(16 + i * 24);
		ok &= small[i] != NULL;
		memset(small[i], i, 16 + i * 24);
	}
	for (int i = 0; i < 64; i++)
		ok &= filled(small[i], 16 + i * 24, (unsigned char)i);
	abi_yes("64 small blocks keep their bytes", ok);
	for (int i = 0; i < 64; i += 2)
		free(small[i]);
	big = malloc(1 << 20);
	abi_yes("a 1 MiB block", big != NULL);
	memset(big, 0x11, 1 << 20);
	bigger = realloc(big, 8 << 20);
	abi_yes("realloc to 8 MiB", bigger != NULL);
	abi_yes("  first MiB kept", filled(bigger, 1 << 20, 0x11));
	memset(bigger, 0x22, 8 << 20);
	abi_yes("  all writable", filled(bigger, 8 << 20, 0x22));
	bigger = realloc(bigger, 64 << 10);
	abi_yes("realloc down to 64 KiB", bigger && filled(bigger, 64 << 10, 0x22));
	free(bigger);
	big = calloc(3 << 20, 1);
	abi_yes("calloc 3 MiB is zero", big && filled(big, 3 << 20, 0));
	free(big);
	for (int round = 0; round < 20; round++) {
		big = malloc(512 << 10);
		ok &= big != NULL;
		memset(big, round, 512 << 10);
		free(big);
	}
	abi_yes("20 rounds of 512 KiB malloc/free", ok);
	for (int i = 1; i < 64; i += 2)
		ok &= filled(small[i], 16 + i * 24, (unsigned char)i);
	abi_yes("odd small blocks survive", ok);
	return 0;
}
