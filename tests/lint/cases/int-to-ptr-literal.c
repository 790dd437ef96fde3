/*
 * lint-expect: int-to-ptr
 * lint-path: demo/mmio.c
 *
 * A fixed address turned into a pointer (which clang-tidy lets through,
 * hence the lexical check).
 */
#include <keel/types.h>

uint32_t demo_mmio(void);

uint32_t demo_mmio(void)
{
	const uint32_t *reg = (const uint32_t *)0x10000000;

	return *reg;
}
