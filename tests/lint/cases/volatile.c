/*
 * lint-expect: volatile
 * lint-path: demo/volatile.c
 *
 * volatile means device or shared-memory access: core business.
 */
#include <keel/types.h>

static volatile uint32_t demo_flag;

uint32_t demo_poll(void);

uint32_t demo_poll(void)
{
	return demo_flag;
}
