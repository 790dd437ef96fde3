/*
 * lint-expect: include
 * lint-path: demo/include_internal.c
 *
 * A quoted include that climbs out of services/ into core internals.
 */
#include "../../core/mm/mm.h"
