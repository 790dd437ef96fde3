/*
 * Fixtures shared by the memory-management unit tests (see
 * mm_fixtures.h).
 */
#include "mm_fixtures.h"

#include "mm/frame.h"
#include "mm/vm_space.h"

#include <keel/vm.h>

hal_paddr_t hoard_frames(void)
{
	hal_paddr_t head = 0, pa;

	while ((pa = frame_alloc(0)) != 0) {
		*(hal_paddr_t *)hal_phys_to_virt(pa) = head;
		head = pa;
	}
	return head;
}

hal_paddr_t release_frames(hal_paddr_t head, size_t n)
{
	while (head && n--) {
		hal_paddr_t next = *(hal_paddr_t *)hal_phys_to_virt(head);

		frame_free(head);
		head = next;
	}
	return head;
}

struct vm_space *new_space(void)
{
	struct vm_space *vs;

	unit_boot_mm();
	vs = vm_space_create();
	ck_assert_ptr_nonnull(vs);
	return vs;
}

hal_paddr_t leaf_of(struct vm_space *vs, uintptr_t va, unsigned *flags)
{
	hal_paddr_t pa = 0;

	ck_assert_int_eq(pt_lookup(vs->fmt, vs->root, va, &pa, flags), 0);
	return pa;
}

void space_open(struct space *s)
{
	unit_boot_mm();
	s->frames_before = frames_free();
	s->vs = vm_space_create();
	ck_assert_ptr_nonnull(s->vs);
	vmar_init(&s->vmar, s->vs);
}

void space_close(struct space *s)
{
	vmar_destroy(&s->vmar);
	vm_space_put(s->vs);
	ck_assert_uint_eq(frames_free(), s->frames_before);
}
