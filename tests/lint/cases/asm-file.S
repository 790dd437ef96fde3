/*
 * lint-expect: asm
 * lint-path: demo/entry.S
 *
 * Assembly sources have no place in services.
 */
	.text
	ret
