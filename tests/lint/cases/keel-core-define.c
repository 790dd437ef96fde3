/*
 * lint-expect: keel-core
 * lint-path: demo/sneaky.c
 *
 * Defining KEEL_CORE would let a service past the #error guards of the
 * HAL and core-internal headers.
 */
#define KEEL_CORE 1
#include <keel/types.h>
