/*
 * Test and introspection primitives of the HAL: what the isolation ktests
 * (tests/ktest/ktest_isolation.c) need to show that the machine keeps the
 * kernel and user memory apart. Not part of the kernel's running contract:
 * nothing in the core's own code paths calls them and services cannot (they
 * never see <hal/...>). Every backend implements all of them
 * (docs/hal.md, "Test and introspection primitives").
 *
 * The three answer three questions:
 *   - hal_probe_access: does a kernel-mode access to this address fault,
 *     and how does the machine report it?
 *   - hal_probe_guards: which of the machine's guards against the kernel
 *     using user pages does this CPU have, and which are on?
 *   - hal_pt_audit: can user mode reach any kernel page through a page
 *     table?
 */
#ifndef HAL_PROBE_H
#define HAL_PROBE_H

#include <hal/hal.h>

enum hal_probe {
	HAL_PROBE_READ,  /* load one byte from va */
	HAL_PROBE_WRITE, /* store a zero byte at va */
	HAL_PROBE_EXEC,  /* call va as a function without arguments: it must
			  * hold a return instruction should the call work */
};

/* What the machine reported for a probe that faulted. */
struct hal_probe_fault {
	uintptr_t ip;    /* the faulting instruction (exec: va itself) */
	uintptr_t addr;  /* the fault address (x86 CR2, riscv stval, hosted
			  * si_addr) */
	unsigned access; /* HAL_ACCESS_* as the machine reported the access
			  * (hosted: from the host's error code, which a
			  * fault under Valgrind may lack) */
	bool mapped;     /* a translation was present and the machine refused
			  * the access; false: there was none at all */
	unsigned trapno; /* x86 vector, riscv scause, hosted the host signal */
	uint64_t error;  /* x86 error code, riscv stval, hosted the error
			  * code the host reported (REG_ERR) */
};

/*
 * Makes one access of kind to va in kernel mode, with interrupts disabled
 * and as active on this CPU (NULL: the kernel's own table; hosted: the
 * kernel process, whatever as), with a landing armed that the kernel's
 * trap handler resumes at if that very access faults. Returns 1 if it
 * faulted (*fault filled), 0 if it completed, -EINVAL for an unknown
 * kind. Any other fault is a kernel fault as always. For tests only: a
 * probe that completes has touched va.
 */
int hal_probe_access(struct hal_as *as, uintptr_t va, enum hal_probe kind,
		     struct hal_probe_fault *fault);

/* Guards against the kernel using user pages (bits of hal_probe_guards). */
#define HAL_GUARD_NO_USER_EXEC 1u /* kernel mode cannot execute user pages:
				   * x86 CR4.SMEP; always on riscv */
#define HAL_GUARD_NO_USER_DATA 2u /* kernel mode cannot read or write user
				   * pages: x86 CR4.SMAP with RFLAGS.AC
				   * clear; riscv sstatus.SUM clear */
#define HAL_GUARD_SEPARATE 4u     /* user pages are not in the kernel's
				   * address space at all (hosted: they live
				   * in the stub process only) */

/*
 * The guards in force on the calling CPU now; *available (may be NULL)
 * gets those the CPU has (x86: CPUID), in force or not. Call with
 * interrupts disabled to be sure of the CPU asked.
 */
unsigned hal_probe_guards(unsigned *available);

/* What hal_pt_audit found, in pages of HAL_PAGE_SIZE. */
struct hal_pt_audit {
	size_t kernel_roots;     /* valid root entries of the kernel half */
	size_t user_pages;       /* user-half pages user mode can reach */
	size_t exposed_pages;    /* kernel-half pages user mode can reach */
	uintptr_t first_exposed; /* the lowest of those (0 if none) */
};

/*
 * Walks the page table at root (a space's root as the core built it and
 * hal_as_init completed it) as the machine would, and counts. A page is
 * reachable from user mode when every level of its translation allows
 * user access (x86: U/S at all four levels; Sv39: U on the leaf). Hosted
 * walks the core's table, which is what the stub is told to map (what
 * the stub really maps is tested from outside: tests/unit/test_stub_maps.c).
 */
void hal_pt_audit(hal_paddr_t root, struct hal_pt_audit *out);

#endif /* HAL_PROBE_H */
