/*
 * lint-expect: asm
 * lint-path: demo/asm_inline.c
 *
 * Inline assembly belongs in the core or the HAL.
 */
void demo_pause(void);

void demo_pause(void)
{
	__asm__("pause");
}
