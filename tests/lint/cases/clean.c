/*
 * lint-expect: clean
 * lint-path: demo/clean.c
 *
 * Legal code that looks suspicious to a naive grep: a volatile or an
 * asm("nop") in a comment, the words in strings, NULL as (void *)0, a
 * quoted include of the service's own header and a user address carried
 * as uptr_t. #ifdef __x86_64__ in a comment is fine too.
 */
#include "../include/demo/demo.h"
#include <keel/log.h>
#include <keel/uaccess.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEMO_FEATURE 1

int demo_clean(uptr_t dst, int c);

int demo_clean(uptr_t dst, int c) // volatile in a line comment
{
	static const char *words = "asm volatile __asm__ (char *)0x1000";
	char ch = '"';
	void *none = (void *)0;
	uint8_t byte = (uint8_t)c;

#if DEMO_FEATURE
	pr_debug("%s %c %p\n", words, ch, none);
#endif
	return copy_to_user(dst, &byte, 1);
}
