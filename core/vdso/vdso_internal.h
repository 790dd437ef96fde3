/*
 * The vDSO inside the core: boot set-up and the clock publication that
 * core/time calls (see <keel/vdso.h> for the services' half).
 */
#ifndef CORE_VDSO_INTERNAL_H
#define CORE_VDSO_INTERNAL_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <keel/types.h>

#include "vdso/vvar.h"

/* Copies the embedded image into pages, checks it and sets up the vvar
 * page. Boot, after time_init; panics if the image is malformed (a build
 * bug) or memory runs out. */
void vdso_init(void);

/* Starts publishing to vd (the vvar page, zeroed): the realtime offset
 * and the HAL's first clock description. Called by vdso_init. */
void vvar_init(struct vvar_data *vd);

/*
 * Publishes the clock to the vvar page: asks the HAL to keep its clock
 * to its reference (hal_clock_sync) with readers held off, at most once a
 * millisecond. Any context; skips when another CPU is at it.
 */
void vdso_clock_sync(void);

/* Publishes the present realtime offset (after clock_settime). Any
 * context. */
void vdso_publish_realtime(void);

/* The seqlock writer's steps on a vvar page (exposed for unit tests). */
void vvar_write_begin(struct vvar_data *vd);
void vvar_write_end(struct vvar_data *vd);
void vvar_store_clock(struct vvar_data *vd, const struct hal_clock_desc *d);
void vvar_store_offsets(struct vvar_data *vd, uint64_t realtime_offset_ns,
			uint64_t boottime_offset_ns);

/* The ELF image's symbol lookup on any image (exposed for unit tests):
 * the offset of function name in *off; -ENOENT if absent, -ENOEXEC if
 * the image is not a well-formed 64-bit ELF shared object. */
int vdso_elf_lookup(const uint8_t *image, size_t len, const char *name,
		    uintptr_t *off);

#endif
