/*
 * The inside of an address space, shared by vm.c (which owns it) and
 * uaccess.c (which walks it to reach user memory).
 */
#ifndef CORE_MM_VM_SPACE_H
#define CORE_MM_VM_SPACE_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/hal.h>
#include <keel/sync.h>
#include <keel/vm.h>

#include "mm/pt.h"

struct vm_space {
	struct spinlock lock; /* guards the tables, nframes, the handler */
	const struct pt_format *fmt;
	hal_paddr_t root;
	struct hal_as as;
	unsigned refs;        /* atomic */
	size_t nframes;       /* pages mapped (shared ones count in each) */
	vm_fault_handler_t fault_fn;
	void *fault_arg;
};

/* Would user code be allowed an access (USER_ACCESS_*) to a page whose
 * leaf has PT_* flags? */
bool vm_access_ok(unsigned flags, unsigned access);

/* Is [va, va+len) inside the user range, without wrapping? (len > 0) */
bool vm_user_range(uintptr_t va, size_t len);

#endif
