/*
 * What the two x86-64 backends (hosted and bare-metal x86_64) share of
 * the test and introspection primitives (<hal/probe.h>): the probe
 * routines and the landing their kernel-fault handlers resume at
 * (probe_x86_64.c), and the walk of an x86-64 4-level page table
 * (pt_audit_x86_64.c). Each backend arms the probe in its own
 * hal_probe_access and builds the fault report from its own trap state.
 */
#ifndef HAL_SHARED_PROBE_X86_64_H
#define HAL_SHARED_PROBE_X86_64_H

#ifndef KEEL_CORE
#error "hal-internal header"
#endif

#include <hal/probe.h>

/*
 * Runs one probe of kind at va on this CPU, which the caller keeps (its
 * interrupts are off). Returns 1 if the access faulted and the fault
 * handler landed it (*fault filled), 0 if it completed, -EINVAL for an
 * unknown kind.
 */
int x86_probe_run(uintptr_t va, enum hal_probe kind,
		  struct hal_probe_fault *fault);

/*
 * Called by a kernel-fault handler before it treats a fault as a kernel
 * bug. seen: the fault as the backend reads it (seen->ip is where it
 * happened). If it is the armed probe's access, records it, disarms, and
 * rewrites the interrupted registers so that the probe routine returns 1
 * to its caller (rip = the return address on top of the stack, rsp past
 * it, rax = 1); returns true. Otherwise changes nothing and returns false.
 */
bool x86_probe_catch(const struct hal_probe_fault *seen, uint64_t *rip,
		     uint64_t *rsp, uint64_t *rax);

/* The access an x86 page-fault error code reports (I/D, W bits). */
unsigned x86_pf_access(uint64_t error);

#define X86_PF_PRESENT (1u << 0)
#define X86_PF_WRITE (1u << 1)
#define X86_PF_USER (1u << 2)
#define X86_PF_INSTR (1u << 4)

/* hal_pt_audit of an x86-64 4-level table at root (hal_phys_to_virt). */
void x86_pt_audit(hal_paddr_t root, struct hal_pt_audit *out);

#endif
