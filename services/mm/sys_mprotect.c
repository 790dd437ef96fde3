/*
 * mprotect(2): decode and check the protection; the work (regions, the
 * -ENOMEM for addresses in no region, the pages) is vmar_protect's
 * (protect.c).
 */
#include <keel/errno.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <svc/vmar.h>
#include <uapi/mman.h>

_Static_assert(PROT_READ == VM_READ && PROT_WRITE == VM_WRITE &&
		       PROT_EXEC == VM_EXEC,
	       "PROT_* and VM_* agree");

/* mprotect(start, len, prot): 0, -EINVAL (unaligned start, unknown prot
 * bits, PROT_GROWSDOWN/UP, which Keel's regions do not have), -ENOMEM
 * (part of the range is in no region). PROT_SEM means nothing here, as on
 * most Linux machines. */
SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len, unsigned long,
		prot)
{
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC |
				    PROT_SEM))
		return -EINVAL;
	return vmar_protect(proc->vmar, start, len,
			    (unsigned)prot & (VM_READ | VM_WRITE | VM_EXEC));
}
