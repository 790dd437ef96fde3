/*
 * Shared between the files of the vmar service (regions and the break).
 */
#ifndef SERVICES_MM_VMAR_INTERNAL_H
#define SERVICES_MM_VMAR_INTERNAL_H

#include <svc/vmar.h>

/* Links r (not overlapping any region) into the sorted list.
 * Needs v->lock. */
void vmar_link_region(struct vmar *v, struct vmar_region *r);

/* Does [start, end) overlap a region other than skip? Needs v->lock. */
bool vmar_range_busy(struct vmar *v, uintptr_t start, uintptr_t end,
		     const struct vmar_region *skip);

/* The first region ending above va, or NULL. Needs v->lock. */
struct vmar_region *vmar_first_ending_above(struct vmar *v, uintptr_t va);

/* Splits the region containing va (if it starts below va) into two at va,
 * using *spare (consumed: set to NULL; must not be NULL when a split is
 * needed). Needs v->lock. */
void vmar_split_at(struct vmar *v, uintptr_t va, struct vmar_region **spare);

/* Removes [start, end) from the regions (splitting those it cuts, with
 * spare[0..1]) and unmaps its pages; nothing when start >= end. Needs
 * v->lock. 0 or -ENOMEM (vm_unmap). */
int vmar_unmap_locked(struct vmar *v, uintptr_t start, uintptr_t end,
		      struct vmar_region **spare);

/* The highest free range of len bytes below the mmap base (mmap.c), or 0
 * when none fits. Needs v->lock. */
uintptr_t vmar_find_gap(struct vmar *v, size_t len);

#endif
