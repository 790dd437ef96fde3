/*
 * In-kernel tests of the kernel's own memory protection (issue 11,
 * "Isolation tests"), on every backend through the HAL's test primitives
 * (<hal/probe.h>):
 *   - the guards: on every CPU, each guard the CPU has is on (x86 SMEP and
 *     SMAP, riscv64 SUM clear; hosted: user pages live in another process);
 *     a CPU without them skips, with the reason;
 *   - a kernel-mode read, write and jump to a mapped, present user page
 *     through its user address, with that space active on the CPU, fault
 *     (bare metal: a protection fault on a present page, with the
 *     machine's error code and address; hosted: the address is not mapped
 *     in the kernel process at all), the write leaves the page as it was,
 *     while the same probes of kernel memory succeed;
 *   - no kernel page is user-reachable in a fresh space, one with the
 *     vDSO, one that ran user code, or its fork child, and the audit that
 *     says so does find a user-reachable kernel page planted in a table.
 */
#include <hal/hal.h>
#include <hal/probe.h>

#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vdso.h>
#include <keel/vm.h>

#include "ktest_code.h"
#include "mm/mm.h"
#include "mm/pt.h"
#include "mm/vm_space.h"

#define UA 0x600000ul /* where the tests map user pages */
#define OFF 0x123     /* the byte of the page the probes touch */
#define PATTERN 0x5a

#define BOTH_GUARDS (HAL_GUARD_NO_USER_EXEC | HAL_GUARD_NO_USER_DATA)

#if defined(HAL_PT_X86_64)
static const uint8_t code_ret[] = { 0xc3 }; /* ret */
static const uint8_t code_push_syscall[] = {
	0x50,       /* push %rax */
	0x0f, 0x05, /* syscall */
};
#elif defined(HAL_PT_SV39)
static const uint8_t code_ret[] = { 0x67, 0x80, 0x00, 0x00 }; /* ret */
static const uint8_t code_push_syscall[] = {
	0x23, 0x3c, 0x01, 0xfe, /* sd zero, -8(sp) */
	0x73, 0x00, 0x00, 0x00, /* ecall */
};
#else
#error "unknown page-table format: which instruction set is this?"
#endif

/* ---- Guards on every CPU ------------------------------------------------ */

struct guard_seen {
	unsigned on, available, cpu;
};

static void read_guards(void *arg)
{
	struct guard_seen *g = arg;
	unsigned long irq = hal_irq_save();

	g->cpu = hal_cpu_id();
	g->on = hal_probe_guards(&g->available);
	hal_irq_restore(irq);
}

/* The guards of CPU cpu, read by a task pinned there. */
static bool guards_of(struct ktest_ctx *t, unsigned cpu, struct guard_seen *g)
{
	struct task *w = task_create("guards", read_guards, g);

	if (!w) {
		ktest_fail_at(t, __FILE__, __LINE__, "task_create");
		return false;
	}
	task_set_affinity(w, 1ull << cpu);
	task_start(w);
	task_join(w);
	task_put(w);
	return true;
}

KTEST(isolation, guards_are_on_on_every_cpu)
{
	unsigned lacking = 0, n = cpu_count();

	for (unsigned cpu = 0; cpu < n; cpu++) {
		struct guard_seen g = { 0 };

		KT_ASSERT(t, guards_of(t, cpu, &g));
		KT_EXPECT_EQ(t, g.cpu, cpu);
		/* Whatever the CPU has is in force. */
		if ((g.on & g.available) != g.available)
			ktest_fail_at(t, __FILE__, __LINE__,
				      "CPU %u has guards 0x%x but only 0x%x "
				      "are on", cpu, g.available, g.on);
		if ((g.available & BOTH_GUARDS) != BOTH_GUARDS)
			lacking |= 1u << cpu;
	}
	if (lacking)
		ktest_skip(t, "CPUs 0x%x lack SMEP or SMAP (QEMU: -cpu max)",
			   lacking);
	else if (!t->failed)
		kprintf("# isolation: kernel guards on on %u CPUs\n", n);
}

/* ---- Kernel-mode probes of user pages ----------------------------------- */

/* Skips (true) if this CPU lacks guard; fails if it has it but it is off. */
static bool lacks_guard(struct ktest_ctx *t, unsigned guard, const char *name)
{
	unsigned available, on = hal_probe_guards(&available);

	if (!(available & guard)) {
		ktest_skip(t, "this CPU has no %s (QEMU: -cpu max)", name);
		return true;
	}
	if (!(on & guard))
		ktest_fail_at(t, __FILE__, __LINE__, "%s is off", name);
	return false;
}

static bool separate(void)
{
	return hal_probe_guards(NULL) & HAL_GUARD_SEPARATE;
}

/* A space with one page at UA of prot, code at its start and PATTERN at
 * UA + OFF; NULL (reported) if that fails. */
static struct vm_space *user_page(struct ktest_ctx *t, unsigned prot,
				  const void *code, size_t len)
{
	struct vm_space *vs = vm_space_create();
	const uint8_t pattern = PATTERN;
	struct hal_pt_audit a;

	if (!vs) {
		ktest_fail_at(t, __FILE__, __LINE__, "vm_space_create");
		return NULL;
	}
	if (vm_map_zero(vs, UA, PAGE_SIZE, prot) != 0 ||
	    (len && vm_write(vs, UA, code, len) != 0) ||
	    vm_write(vs, UA + OFF, &pattern, 1) != 0) {
		ktest_fail_at(t, __FILE__, __LINE__, "mapping the user page");
		vm_space_put(vs);
		return NULL;
	}
	/* Mapped and present, for user mode, in the table the CPU uses. */
	hal_pt_audit(vs->root, &a);
	if (a.user_pages != 1) {
		ktest_fail_at(t, __FILE__, __LINE__,
			      "%zu user pages in the table, not 1",
			      a.user_pages);
		vm_space_put(vs);
		return NULL;
	}
	return vs;
}

/*
 * Checks what a probe of va that must fault reported: the address, and
 * on bare metal a refused (present) page with the access and the
 * machine's own code for it; on hosted, an address the kernel process
 * does not map at all.
 */
static void expect_fault(struct ktest_ctx *t, int r,
			 const struct hal_probe_fault *f, uintptr_t va,
			 unsigned access)
{
	KT_EXPECT_EQ(t, r, 1);
	if (r != 1)
		return;
	KT_EXPECT_EQ(t, f->addr, va);
	if (access == HAL_ACCESS_EXEC)
		KT_EXPECT_EQ(t, f->ip, va);
	else
		KT_EXPECT(t, f->ip != va);
	if (separate()) {
		KT_EXPECT(t, !f->mapped); /* hosted: SEGV_MAPERR */
		return;
	}
	KT_EXPECT(t, f->mapped);
	KT_EXPECT_EQ(t, f->access, access);
#if defined(HAL_PT_X86_64)
	/* #PF, present, supervisor: W for the write, I/D for the fetch. */
	KT_EXPECT_EQ(t, f->trapno, 14);
	KT_EXPECT_EQ(t, f->error, access == HAL_ACCESS_WRITE  ? 0x3
				  : access == HAL_ACCESS_EXEC ? 0x11
							      : 0x1);
#else
	/* Load, store/AMO or instruction page fault; stval the address. */
	KT_EXPECT_EQ(t, f->trapno, access == HAL_ACCESS_WRITE  ? 15
				   : access == HAL_ACCESS_EXEC ? 12
							       : 13);
	KT_EXPECT_EQ(t, f->error, va);
#endif
}

/* The byte at UA + OFF as the core's copy (the direct map) sees it. */
static int user_byte(struct vm_space *vs)
{
	uint8_t b = 0;

	if (vm_copy_from_user(vs, &b, UA + OFF, 1) != 0)
		return -1;
	return b;
}

/* A kernel read or write (kind, access) of a read-write user page. */
static void probe_user_data(struct ktest_ctx *t, enum hal_probe kind,
			    unsigned access)
{
	struct vm_space *vs;
	struct hal_probe_fault f;

	if (lacks_guard(t, HAL_GUARD_NO_USER_DATA, "SMAP/SUM"))
		return;
	vs = user_page(t, VM_READ | VM_WRITE, "", 0);
	KT_ASSERT(t, vs != NULL);
	expect_fault(t, hal_probe_access(vm_space_hal(vs), UA + OFF, kind, &f),
		     &f, UA + OFF, access);
	KT_EXPECT_EQ(t, user_byte(vs), PATTERN); /* a write did not land */
	vm_space_put(vs);
}

KTEST(isolation, kernel_read_of_a_user_page_faults)
{
	probe_user_data(t, HAL_PROBE_READ, HAL_ACCESS_READ);
}

KTEST(isolation, kernel_write_to_a_user_page_faults)
{
	probe_user_data(t, HAL_PROBE_WRITE, HAL_ACCESS_WRITE);
}

KTEST(isolation, kernel_jump_to_a_user_page_faults)
{
	struct vm_space *vs;
	struct hal_probe_fault f;

	if (lacks_guard(t, HAL_GUARD_NO_USER_EXEC, "SMEP"))
		return;
	/* Executable for user mode: only the guard stops the kernel. */
	vs = user_page(t, VM_READ | VM_EXEC, code_ret, sizeof(code_ret));
	KT_ASSERT(t, vs != NULL);
	expect_fault(t, hal_probe_access(vm_space_hal(vs), UA, HAL_PROBE_EXEC,
					 &f),
		     &f, UA, HAL_ACCESS_EXEC);
	vm_space_put(vs);
}

static uint8_t kernel_byte = PATTERN;

static void kernel_ret(void)
{
	__asm__ volatile("" : : : "memory");
}

/* The probes themselves: they complete on kernel memory, a bad kind is
 * refused, and an address mapped nowhere is reported as such. */
KTEST(isolation, probes_of_kernel_memory_complete)
{
	struct vm_space *vs = vm_space_create();
	struct hal_as *as;
	struct hal_probe_fault f;
	uintptr_t hole = UA + 16 * PAGE_SIZE;

	KT_ASSERT(t, vs != NULL);
	as = vm_space_hal(vs);
	KT_EXPECT_EQ(t, hal_probe_access(as, (uintptr_t)&kernel_byte,
					 HAL_PROBE_READ, &f),
		     0);
	KT_EXPECT_EQ(t, hal_probe_access(as, (uintptr_t)&kernel_byte,
					 HAL_PROBE_WRITE, &f),
		     0);
	KT_EXPECT_EQ(t, __atomic_load_n(&kernel_byte, __ATOMIC_RELAXED), 0);
	KT_EXPECT_EQ(t, hal_probe_access(as, (uintptr_t)kernel_ret,
					 HAL_PROBE_EXEC, &f),
		     0);
	KT_EXPECT_EQ(t, hal_probe_access(NULL, (uintptr_t)&kernel_byte,
					 HAL_PROBE_READ, &f),
		     0);
	KT_EXPECT_EQ(t, hal_probe_access(as, (uintptr_t)&kernel_byte,
					 (enum hal_probe)7, &f),
		     -EINVAL);
	/* Nothing at all there, on every backend. */
	KT_EXPECT_EQ(t, hal_probe_access(as, hole, HAL_PROBE_READ, &f), 1);
	KT_EXPECT_EQ(t, f.addr, hole);
	KT_EXPECT(t, !f.mapped);
	vm_space_put(vs);
}

/* ---- No kernel page reachable from user mode ---------------------------- */

/* Audits vs's table: nothing of the kernel half reachable, the kernel
 * half there (bare metal) or absent (hosted), user_pages user pages. */
static void expect_clean(struct ktest_ctx *t, struct vm_space *vs,
			 size_t user_pages)
{
	struct hal_pt_audit a;

	hal_pt_audit(vs->root, &a);
	if (a.exposed_pages)
		ktest_fail_at(t, __FILE__, __LINE__,
			      "%zu kernel pages user-reachable, the first at "
			      "0x%lx", a.exposed_pages,
			      (unsigned long)a.first_exposed);
	if (separate())
		KT_EXPECT_EQ(t, a.kernel_roots, 0);
	else
		KT_EXPECT(t, a.kernel_roots > 0);
	KT_EXPECT_EQ(t, a.user_pages, user_pages);
}

KTEST(isolation, no_kernel_page_is_user_reachable_in_a_fresh_space)
{
	struct vm_space *vs = vm_space_create();

	KT_ASSERT(t, vs != NULL);
	expect_clean(t, vs, 0);
	vm_space_put(vs);
}

/* The vDSO is kernel-made but user memory by design: its pages count as
 * user pages, in the user half. */
KTEST(isolation, no_kernel_page_is_user_reachable_with_the_vdso)
{
	struct vm_space *vs = vm_space_create();
	uintptr_t base = ALIGN_DOWN(user_va_min() + (64ul << 20), PAGE_SIZE);
	uint8_t b;

	KT_ASSERT(t, vs != NULL);
	KT_ASSERT(t, vdso_map(vs, base) == 0);
	/* Its pages come on first touch. */
	for (size_t off = 0; off < vdso_size(); off += PAGE_SIZE)
		KT_EXPECT_EQ(t, vm_copy_from_user(vs, &b, base + off, 1), 0);
	expect_clean(t, vs, vdso_size() / PAGE_SIZE);
	vm_space_put(vs);
}

KTEST(isolation, no_kernel_page_is_user_reachable_after_running_and_fork)
{
	struct vm_space *vs = kt_code_space(t, code_push_syscall,
					    sizeof(code_push_syscall));
	struct vm_space *child = NULL;
	struct user_event_info i;

	KT_ASSERT(t, vs != NULL);
	KT_EXPECT_EQ(t, kt_run_code(vs, &i), USER_EVENT_SYSCALL);
	expect_clean(t, vs, 2); /* the code and the stack page it wrote */
	KT_EXPECT_EQ(t, vm_space_fork(vs, &child), 0);
	if (child) {
		expect_clean(t, child, 2);
		KT_EXPECT_EQ(t, kt_run_code(child, &i), USER_EVENT_SYSCALL);
		expect_clean(t, child, 2);
		vm_space_put(child);
	}
	expect_clean(t, vs, 2);
	vm_space_put(vs);
}

/* The audit can fail: a user-reachable page planted in the kernel half
 * of a table of our own (never loaded) is found, a kernel-only one and a
 * user page of the user half are not exposed. */
KTEST(isolation, audit_finds_a_planted_user_kernel_page)
{
	const struct pt_format *fmt = pt_active();
	uintptr_t kva = (uintptr_t)0xffffffffc0000000ul; /* top root entry */
	hal_paddr_t root = pt_root_alloc(), pa = 0x200000;
	struct hal_pt_audit a;

	KT_ASSERT(t, root != 0);
	KT_ASSERT(t, pt_map(fmt, root, kva, pa, PT_READ | PT_USER) == 0);
	KT_ASSERT(t, pt_map(fmt, root, kva + PAGE_SIZE, pa, PT_READ) == 0);
	KT_ASSERT(t, pt_map(fmt, root, UA, pa, PT_READ | PT_USER) == 0);
	hal_pt_audit(root, &a);
	KT_EXPECT_EQ(t, a.kernel_roots, 1);
	KT_EXPECT_EQ(t, a.exposed_pages, 1);
	KT_EXPECT_EQ(t, a.first_exposed, kva);
	KT_EXPECT_EQ(t, a.user_pages, 1);
	KT_EXPECT_EQ(t, pt_unmap(fmt, root, kva, NULL, NULL), 0);
	hal_pt_audit(root, &a);
	KT_EXPECT_EQ(t, a.exposed_pages, 0);
	KT_EXPECT_EQ(t, pt_unmap(fmt, root, kva + PAGE_SIZE, NULL, NULL), 0);
	KT_EXPECT_EQ(t, pt_unmap(fmt, root, UA, NULL, NULL), 0);
	pt_root_free(root); /* the unmaps freed the emptied tables */
}
