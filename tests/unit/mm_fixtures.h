/*
 * Fixtures shared by the memory-management unit tests: taking every free
 * frame away (to drive allocations into -ENOMEM) and giving them back, and
 * an address space with its vmar that checks on teardown that every frame
 * came back.
 */
#ifndef TESTS_UNIT_MM_FIXTURES_H
#define TESTS_UNIT_MM_FIXTURES_H

#include "unit.h" /* first: check.h before the keel headers */

#include <stddef.h>

#include <hal/hal.h>
#include <svc/vmar.h>

/*
 * Allocates every free frame of the global pool, chaining them through
 * their first word. Returns the head of the hoard (0 when none was free);
 * frames_free() is 0 afterwards.
 */
hal_paddr_t hoard_frames(void);

/* Frees up to n frames of the hoard; returns what is left of it
 * ((size_t)-1 frees them all). */
hal_paddr_t release_frames(hal_paddr_t head, size_t n);

/* Boots mm if needed and creates an empty address space (a Check
 * failure if it cannot). */
struct vm_space *new_space(void);

/* The frame and PT_* flags (flags may be NULL) behind va in vs, which
 * must be mapped (a Check failure if not): the tests look inside. */
hal_paddr_t leaf_of(struct vm_space *vs, uintptr_t va, unsigned *flags);

/* A fresh address space with an empty vmar bound to it. */
struct space {
	struct vm_space *vs;
	struct vmar vmar;
	size_t frames_before; /* frames_free() before the space existed */
};

/* Boots mm if needed and creates the space (a Check failure if it
 * cannot). */
void space_open(struct space *s);

/* Tears the space down and checks that every frame came back. */
void space_close(struct space *s);

#endif
