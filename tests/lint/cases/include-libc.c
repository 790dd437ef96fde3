/*
 * lint-expect: include
 * lint-path: demo/include_libc.c
 *
 * Services are freestanding: no libc headers.
 */
#include <string.h>
