/*
 * A minimal clean services tree for the lint tests: every fixture in
 * tests/lint/cases/ is dropped into a copy of it, so that a failure can
 * only come from the fixture.
 */
#ifndef DEMO_DEMO_H
#define DEMO_DEMO_H

#include <keel/types.h>

/* Sums the bytes of buf. */
unsigned demo_sum(const uint8_t *buf, size_t len);

#endif
