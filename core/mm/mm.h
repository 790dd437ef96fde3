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
#include <keel/uaccess.h>
#include <keel/vm.h>

/* Brings up the frame allocator over bi->mem, then the kernel heap. */
void mm_init(const struct hal_boot_info *bi);

/* The backend's state for vs, for hal_user_run. */
struct hal_as *vm_space_hal(struct vm_space *vs);

/*
 * Resolves a fault at va (any alignment) with access USER_ACCESS_*: breaks
 * copy-on-write sharing, else asks the pager of the object mapping there,
 * else the space's fault handler. Returns 0 if the access can now be
 * retried, -EFAULT if it cannot (a pager's error included), -ENOMEM when
 * memory ran out. Call without vs's lock.
 */
int vm_resolve_fault(struct vm_space *vs, uintptr_t va, unsigned access);

/* vm_resolve_fault with the reason a fault stays unresolved: -EFAULT
 * (nothing there, or the access is not allowed), -ENOMEM, or the error an
 * object's pager returned (-EIO, -ENXIO ...). user_run reports it. */
int vm_handle_fault(struct vm_space *vs, uintptr_t va, unsigned access);

/*
 * <keel/uaccess.h> on an explicit address space (the public functions use
 * the current task's). User addresses are plain integers here. Return 0
 * (strncpy: the length), -EFAULT for an address user code could not make
 * that access to (unmapped and not resolvable by vm_resolve_fault, not a
 * user page, read-only for a write, outside [user_va_min, user_va_max) or
 * wrapping), -ENOMEM if breaking copy-on-write ran out of memory, and
 * -ENAMETOOLONG from strncpy when max bytes hold no NUL. A copy that fails
 * part-way may have done the pages before the bad one. Must be called
 * without vs's lock (faults are resolved, and may call the space's fault
 * handler).
 */
int vm_copy_from_user(struct vm_space *vs, void *dst, uintptr_t src,
		      size_t len);
int vm_copy_to_user(struct vm_space *vs, uintptr_t dst, const void *src,
		    size_t len);
int vm_clear_user(struct vm_space *vs, uintptr_t dst, size_t len);
ssize_t vm_strncpy_from_user(struct vm_space *vs, char *dst, uintptr_t src,
			     size_t max);

/*
 * The other <keel/uaccess.h> families on an explicit space, with the same
 * contracts: short copies (the count, or -errno when nothing was copied),
 * no-fault copies, fault-in, and the 32-bit word operations, whose flags
 * is 0 or UACCESS_NOFAULT (never resolve a fault: the _nofault variants).
 */
#define UACCESS_NOFAULT 1u

ssize_t vm_copy_from_user_partial(struct vm_space *vs, void *dst,
				  uintptr_t src, size_t len);
ssize_t vm_copy_to_user_partial(struct vm_space *vs, uintptr_t dst,
				const void *src, size_t len);
ssize_t vm_clear_user_partial(struct vm_space *vs, uintptr_t dst, size_t len);
int vm_copy_from_user_nofault(struct vm_space *vs, void *dst, uintptr_t src,
			      size_t len);
int vm_copy_to_user_nofault(struct vm_space *vs, uintptr_t dst,
			    const void *src, size_t len);
int vm_fault_in_user_writeable(struct vm_space *vs, uintptr_t va);
int vm_get_user_u32(struct vm_space *vs, uint32_t *val, uintptr_t src,
		    unsigned flags);
int vm_put_user_u32(struct vm_space *vs, uintptr_t dst, uint32_t val,
		    unsigned flags);
int vm_user_atomic_op_u32(struct vm_space *vs, uintptr_t uaddr,
			  enum user_atomic_op op, uint32_t arg, uint32_t *old,
			  unsigned flags);
int vm_user_cmpxchg_u32(struct vm_space *vs, uintptr_t uaddr,
			uint32_t expected, uint32_t desired, uint32_t *old,
			unsigned flags);

#endif
