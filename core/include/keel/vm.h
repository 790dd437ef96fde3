/*
 * Address spaces (the core's VmSpace): page tables plus the frames they
 * map, reference counted, with copy-on-write. Services decide *what* to map
 * (regions, mmap, the ELF loader); the core does the mapping and guarantees
 * that nothing but user pages within [user_va_min, user_va_max) is ever
 * reachable from user mode.
 *
 * All addresses and lengths must be page aligned (else -EINVAL) and inside
 * the user range (else -EINVAL). Functions return 0 or -errno; on failure
 * nothing changed unless stated otherwise.
 */
#ifndef KEEL_VM_H
#define KEEL_VM_H

#include <keel/types.h>

struct vm_space;

#define VM_READ 1u
#define VM_WRITE 2u
#define VM_EXEC 4u

/* NULL when memory runs out. The caller holds the only reference. */
struct vm_space *vm_space_create(void);
void vm_space_get(struct vm_space *vs);
/* Dropping the last reference tears the space down and frees every frame
 * and page table it alone held. */
void vm_space_put(struct vm_space *vs);

/* Maps fresh zero-filled frames over [va, va+len). -EEXIST if any page is
 * already mapped, -ENOMEM when frames run out (nothing stays mapped). */
int vm_map_zero(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot);

/* Unmaps whatever is mapped in [va, va+len) (holes are fine). */
int vm_unmap(struct vm_space *vs, uintptr_t va, size_t len);

/* Changes the protection of every mapped page in the range; -ENOMEM if a
 * page in the range is not mapped (as Linux mprotect). */
int vm_protect(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot);

/* Is va (any alignment) mapped? Sets *prot; -ENOENT if not. */
int vm_query(struct vm_space *vs, uintptr_t va, unsigned *prot);

/* A copy of src for fork: every page is shared copy-on-write. */
int vm_space_fork(struct vm_space *src, struct vm_space **out);

/*
 * Reads or writes the memory of vs from the kernel regardless of page
 * protection (as the ELF loader and ptrace need); -EFAULT if any page in
 * the range is not mapped. Writes break copy-on-write sharing first.
 */
int vm_read(struct vm_space *vs, uintptr_t va, void *buf, size_t len);
int vm_write(struct vm_space *vs, uintptr_t va, const void *buf, size_t len);

/*
 * A services-provided handler for faults the core cannot resolve itself
 * (not-present pages, say, for demand paging). Called in the faulting
 * task's context, for user faults and for uaccess from the kernel alike;
 * returns 0 once va is mapped so that the access can be retried, or
 * -EFAULT.  va is the exact address; access is USER_ACCESS_*.
 */
typedef int (*vm_fault_handler_t)(struct vm_space *vs, uintptr_t va,
				  unsigned access, void *arg);
void vm_set_fault_handler(struct vm_space *vs, vm_fault_handler_t fn,
			  void *arg);

/* Frames in use by this space (for tests and /proc). */
size_t vm_space_frames(const struct vm_space *vs);

/* Free frames in the whole machine (for tests and meminfo). */
size_t frames_free(void);

#endif
