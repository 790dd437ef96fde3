/*
 * Memory management inside the core: what other core parts (the scheduler,
 * boot, user mode) need from core/mm beyond the public <keel/vm.h>.
 */
#ifndef CORE_MM_MM_H
#define CORE_MM_MM_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/hal.h>
#include <keel/vm.h>

/* Brings up the frame allocator over bi->mem, then the kernel heap. */
void mm_init(const struct hal_boot_info *bi);

/* The backend's state for vs, for hal_user_run. */
struct hal_as *vm_space_hal(struct vm_space *vs);

/*
 * Resolves a fault at va (any alignment) with access USER_ACCESS_*: breaks
 * copy-on-write sharing, else asks the space's fault handler. Returns 0 if
 * the access can now be retried, -EFAULT if it cannot, -ENOMEM when memory
 * ran out.
 */
int vm_resolve_fault(struct vm_space *vs, uintptr_t va, unsigned access);

#endif
