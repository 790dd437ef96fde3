/*
 * lint-expect: include
 * lint-path: demo/include_computed.c
 *
 * A computed include cannot be checked, so it is refused.
 */
#define DEMO_HEADER <keel/types.h>
#include DEMO_HEADER
