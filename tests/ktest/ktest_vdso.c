/*
 * In-kernel tests of the vDSO on every backend: the embedded image has
 * the architecture's functions inside its text, the span maps at a page
 * boundary (its pages come on first touch: vvar read-only, text
 * read+execute, the ELF header at the text's start) and refuses bad or
 * busy addresses leaving nothing mapped,
 * and the vvar page a process sees follows clock_settime (the realtime
 * offset) under an even sequence count.
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/user.h>
#include <keel/vdso.h>
#include <keel/vm.h>

#include "mm/mm.h"
#include "time/time.h"
#include "vdso/vvar.h"

static const char *const every_arch_functions[] = {
	"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres",
	"__vdso_getcpu",
};

/* A page-aligned address well inside the user range. */
static uintptr_t test_base(void)
{
	return ALIGN_DOWN(user_va_min() + (64ul << 20), PAGE_SIZE);
}

KTEST(vdso, image_has_the_functions)
{
	size_t text = vdso_size() - vdso_text_offset();
	uintptr_t off;

	KT_ASSERT(t, vdso_size() > vdso_text_offset());
	KT_EXPECT_EQ(t, vdso_size() % PAGE_SIZE, 0);
	for (size_t i = 0; i < ARRAY_SIZE(every_arch_functions); i++) {
		KT_EXPECT_EQ(t, vdso_symbol_offset(every_arch_functions[i],
						   &off), 0);
		KT_EXPECT(t, off > 0 && off < text);
	}
	KT_EXPECT_EQ(t, vdso_symbol_offset("__vdso_no_such", &off), -ENOENT);
	KT_EXPECT_EQ(t, vdso_symbol_offset("vdso_read_clock", &off), -ENOENT);
}

KTEST(vdso, maps_readonly_with_the_elf_header)
{
	struct vm_space *vs = vm_space_create();
	uintptr_t base = test_base(), text = base + vdso_text_offset();
	unsigned prot = 0;
	uint8_t magic[4];

	KT_ASSERT(t, vs);
	KT_ASSERT(t, vdso_map(vs, base) == 0);
	/* Nothing until touched, then the pages with their protection. */
	KT_EXPECT_EQ(t, vm_query(vs, base, &prot), -ENOENT);
	KT_EXPECT_EQ(t, vm_resolve_fault(vs, base, USER_ACCESS_READ), 0);
	KT_EXPECT_EQ(t, vm_resolve_fault(vs, text, USER_ACCESS_READ), 0);
	KT_EXPECT_EQ(t, vm_resolve_fault(vs, base, USER_ACCESS_WRITE),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_query(vs, base, &prot), 0);
	KT_EXPECT_EQ(t, prot, VM_READ);
	KT_EXPECT_EQ(t, vm_query(vs, text, &prot), 0);
	KT_EXPECT_EQ(t, prot, VM_READ | VM_EXEC);
	KT_EXPECT_EQ(t, vm_query(vs, base + vdso_size(), &prot), -ENOENT);
	KT_EXPECT_EQ(t, vm_read(vs, text, magic, sizeof(magic)), 0);
	KT_EXPECT(t, memcmp(magic, "\177ELF", 4) == 0);
	/* Busy: nothing more mapped, the first mapping intact. */
	KT_EXPECT_EQ(t, vdso_map(vs, base), -EEXIST);
	KT_EXPECT_EQ(t, vm_query(vs, text, &prot), 0);
	vm_space_put(vs);
}

KTEST(vdso, refuses_bad_addresses)
{
	struct vm_space *vs = vm_space_create();
	uintptr_t base = test_base();

	KT_ASSERT(t, vs);
	KT_EXPECT_EQ(t, vdso_map(vs, base + 1), -EINVAL);
	KT_EXPECT_EQ(t, vdso_map(vs, ALIGN_DOWN(user_va_max(), PAGE_SIZE)),
		     -EINVAL);
	KT_EXPECT_EQ(t, vm_query(vs, base, NULL), -ENOENT);
	vm_space_put(vs);
}

/* The vvar page as a process sees it (faulted in by a read). */
static int read_vvar(struct vm_space *vs, uintptr_t base,
		     struct vvar_data *vd)
{
	int err = vm_resolve_fault(vs, base, USER_ACCESS_READ);

	return err ? err : vm_read(vs, base, vd, sizeof(*vd));
}

KTEST(vdso, vvar_follows_settime)
{
	struct vm_space *vs = vm_space_create();
	uintptr_t base = test_base();
	uint64_t was = time_realtime_ns(), moved = was + 3600 * NSEC_PER_SEC;
	struct vvar_data vd;

	KT_ASSERT(t, vs);
	KT_ASSERT(t, vdso_map(vs, base) == 0);
	KT_ASSERT(t, read_vvar(vs, base, &vd) == 0);
	KT_EXPECT_EQ(t, vd.seq % 2, 0);
	KT_EXPECT_EQ(t, vd.realtime_offset_ns, time_realtime_offset_ns());
	KT_EXPECT_EQ(t, vd.boottime_offset_ns, 0);
	KT_ASSERT(t, time_set_realtime_ns(moved) == 0);
	KT_ASSERT(t, read_vvar(vs, base, &vd) == 0);
	KT_EXPECT_EQ(t, vd.seq % 2, 0);
	KT_EXPECT_EQ(t, vd.realtime_offset_ns, time_realtime_offset_ns());
	/* A user reader adds it to the monotonic clock: the new time. */
	KT_EXPECT(t, time_now_ns() + vd.realtime_offset_ns >= moved);
	KT_EXPECT_EQ(t, time_set_realtime_ns(time_realtime_ns() -
					     3600 * NSEC_PER_SEC),
		     0);
	vm_space_put(vs);
}

KTEST(vdso, vvar_clock_is_the_hals)
{
	struct vm_space *vs = vm_space_create();
	uintptr_t base = test_base();
	struct vvar_data vd;

	KT_ASSERT(t, vs);
	KT_ASSERT(t, vdso_map(vs, base) == 0);
	KT_ASSERT(t, read_vvar(vs, base, &vd) == 0);
	KT_EXPECT(t, vd.clock.counter == HAL_CLOCK_COUNTER_NONE ||
			     vd.clock.counter == HAL_CLOCK_COUNTER_CPU);
	if (vd.clock.counter == HAL_CLOCK_COUNTER_CPU) {
		/* Published at or before now: its base is not ahead. */
		KT_EXPECT(t, vd.clock.mult > 0);
		KT_EXPECT(t, vd.clock.shift <= 63);
		KT_EXPECT(t, vd.clock.base_ns <= time_now_ns());
	}
	vm_space_put(vs);
}
