/*
 * The probe of <hal/probe.h> on x86-64, shared by the hosted and the
 * bare-metal backend: three tiny routines, each of which makes its one
 * access and returns 0, and a per-CPU armed probe that the kernel-fault
 * handler (bare metal: x86_kernel_trap; hosted: the SIGSEGV handler)
 * consults. A fault at the routine's access (or, for exec, at the target
 * itself) lands back in the routine's caller with 1, as if the routine
 * had returned it; any other fault stays a kernel fault.
 *
 * The routines are leaves that touch no stack, so at the fault the top of
 * the stack is the return address into x86_probe_run: the landing is a
 * simulated `ret` with rax = 1.
 */
#include "probe_x86_64.h"

#include <keel/errno.h>

/* uint64_t x86_probe_read(uintptr_t va) and friends: 0 once done. */
__asm__(".pushsection .text\n"
	".globl x86_probe_read, x86_probe_read_at\n"
	".globl x86_probe_write, x86_probe_write_at, x86_probe_exec\n"
	"x86_probe_read:\n"
	"	xorl %eax, %eax\n"
	"x86_probe_read_at:\n"
	"	movb (%rdi), %cl\n"
	"	ret\n"
	"x86_probe_write:\n"
	"	xorl %eax, %eax\n"
	"x86_probe_write_at:\n"
	"	movb $0, (%rdi)\n"
	"	ret\n"
	/* A tail jump: the `ret` at va returns to our caller with 0. */
	"x86_probe_exec:\n"
	"	xorl %eax, %eax\n"
	"	jmp *%rdi\n"
	".popsection\n");

uint64_t x86_probe_read(uintptr_t va);
uint64_t x86_probe_write(uintptr_t va);
uint64_t x86_probe_exec(uintptr_t va);
extern const char x86_probe_read_at[], x86_probe_write_at[];

struct x86_probe {
	bool armed;
	enum hal_probe kind;
	uintptr_t va;
	struct hal_probe_fault *out;
};

static struct x86_probe probes[HAL_MAX_CPUS];

unsigned x86_pf_access(uint64_t error)
{
	if (error & X86_PF_INSTR)
		return HAL_ACCESS_EXEC;
	if (error & X86_PF_WRITE)
		return HAL_ACCESS_WRITE;
	return HAL_ACCESS_READ;
}

/* Is ip where the armed probe p makes its access? */
static bool probe_ip(const struct x86_probe *p, uintptr_t ip)
{
	switch (p->kind) {
	case HAL_PROBE_READ:
		return ip == (uintptr_t)x86_probe_read_at;
	case HAL_PROBE_WRITE:
		return ip == (uintptr_t)x86_probe_write_at;
	case HAL_PROBE_EXEC:
		return ip == p->va;
	}
	return false;
}

bool x86_probe_catch(const struct hal_probe_fault *seen, uint64_t *rip,
		     uint64_t *rsp, uint64_t *rax)
{
	struct x86_probe *p = &probes[hal_cpu_id()];

	if (!__atomic_load_n(&p->armed, __ATOMIC_ACQUIRE) ||
	    !probe_ip(p, seen->ip))
		return false;
	*p->out = *seen;
	__atomic_store_n(&p->armed, false, __ATOMIC_RELEASE);
	*rip = *(const uint64_t *)(uintptr_t)*rsp;
	*rsp += 8;
	*rax = 1;
	return true;
}

int x86_probe_run(uintptr_t va, enum hal_probe kind,
		  struct hal_probe_fault *fault)
{
	struct x86_probe *p = &probes[hal_cpu_id()];
	uint64_t faulted;

	if (kind != HAL_PROBE_READ && kind != HAL_PROBE_WRITE &&
	    kind != HAL_PROBE_EXEC)
		return -EINVAL;
	*fault = (struct hal_probe_fault){ 0 };
	p->kind = kind;
	p->va = va;
	p->out = fault;
	/* The handler runs on this CPU: the compiler must not move the
	 * stores past the arming, nor the access before it. */
	__atomic_store_n(&p->armed, true, __ATOMIC_SEQ_CST);
	if (kind == HAL_PROBE_READ)
		faulted = x86_probe_read(va);
	else if (kind == HAL_PROBE_WRITE)
		faulted = x86_probe_write(va);
	else
		faulted = x86_probe_exec(va);
	__atomic_store_n(&p->armed, false, __ATOMIC_SEQ_CST);
	return faulted ? 1 : 0;
}
