/*
 * The deliberate bugs behind the boot option `selftest=NAME` (see
 * <svc/selftest.h>). Each is a service function written to do what issue
 * 12's command-line parser did by mistake, so that the tests can show the
 * kernel stops it (a panic naming the file, line and function) or, for
 * the heap bugs, that memcheck reports it. The functions are noipa so the
 * compiler cannot see the bad index or size at build time and fold the
 * bug away or reject it; the sizes come in as arguments.
 */
#include <keel/boot.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <svc/selftest.h>

#define NOIPA __attribute__((noipa))

/* A kmalloc'ed object whose last member is an array, as init_cmdline. */
struct selftest_record {
	unsigned count;
	char tag[12];
};

/* Fills tag[0..last] of a fresh record: one past the end when last is
 * the array size (an off-by-one bound). The bounds check panics here. */
NOIPA static void selftest_index_overrun(size_t last)
{
	struct selftest_record *r = kmalloc(sizeof(*r));

	if (!r)
		return;
	for (size_t i = 0; i <= last; i++)
		r->tag[i] = 'x';
	r->count = (unsigned)last;
	kfree(r);
}

/* Writes n bytes at p: a pointer, so no bounds check sees the object. */
NOIPA static void fill(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = 'x';
}

/* Fills more than its local buffer: the stack protector panics when the
 * function returns. */
NOIPA static void selftest_stack_smash(size_t extra)
{
	char buf[32];

	fill(buf, sizeof(buf) + extra);
	kprintf("selftest: stack buffer starts with %c\n", buf[0]);
}

/* Copies one byte more than a fresh kmalloc object holds: the checked
 * memcpy knows the object's size from kmalloc's alloc_size and panics. */
NOIPA static void selftest_copy_overflow(size_t size)
{
	static const char source[64] = "a source longer than the object";
	char *p = kmalloc(size);

	if (!p)
		return;
	memcpy(p, source, size + 1);
	kfree(p);
}

/* Writes the byte just past a heap object of size bytes: inside the slab
 * slot, so only memcheck (exact-size blocks) or ASan can see it. */
NOIPA static void selftest_heap_overrun(size_t size)
{
	char *p = kmalloc(size);

	if (!p)
		return;
	fill(p, size + 1);
	kfree(p);
}

/* Reads a heap object after freeing it (memcheck and ASan see it). */
NOIPA static void selftest_heap_use_after_free(size_t size)
{
	char *p = kzalloc(size);
	char *stale = p;

	if (!p)
		return;
	kfree(p);
	kprintf("selftest: freed object held %d\n", stale[size / 2] == 'x');
}

/* Adds add to the largest int: a signed overflow, undefined behaviour
 * that the kernel's UBSan runtime turns into a panic (the hosted ASan +
 * UBSan build: GCC's runtime reports it). */
NOIPA static void selftest_signed_overflow(size_t add)
{
	int big = __INT_MAX__;
	int sum = big + (int)add;

	kprintf("selftest: sum %d\n", sum);
}

/* Recurses with 256 bytes of locals a level, levels deep: far more than
 * a kernel stack holds, so the guard below the stack turns it into a
 * panic naming the task. The locals are used after the call, so the call
 * cannot become a jump. */
NOIPA static size_t recurse(size_t levels)
{
	char frame[256];

	if (levels == 0)
		return 0;
	fill(frame, sizeof(frame));
	return recurse(levels - 1) + (size_t)frame[levels % sizeof(frame)];
}

NOIPA static void selftest_kernel_stack_overflow(size_t levels)
{
	kprintf("selftest: recursion returned %zu\n", recurse(levels));
}

struct selftest_bug {
	const char *name;
	void (*run)(size_t arg);
	size_t arg;
	bool caught_by_kernel; /* else by memcheck/ASan only */
};

static const struct selftest_bug bugs[] = {
	{ "bounds", selftest_index_overrun, 12, true },
	{ "stack", selftest_stack_smash, 16, true },
	{ "copy", selftest_copy_overflow, 13, true },
	{ "heap-overrun", selftest_heap_overrun, 13, false },
	{ "heap-uaf", selftest_heap_use_after_free, 24, false },
	{ "overflow", selftest_signed_overflow, 1, true },
	{ "kstack", selftest_kernel_stack_overflow, 1u << 20, true },
};

static const struct selftest_bug *find_bug(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(bugs); i++)
		if (kstrlen(bugs[i].name) == len &&
		    kstrncmp(bugs[i].name, name, len) == 0)
			return &bugs[i];
	return NULL;
}

void selftest_run_requested(void)
{
#ifdef KEEL_DEBUG
	const struct selftest_bug *bug;
	const char *name;
	size_t len;

	if (!boot_option("selftest", &name, &len))
		return;
	bug = find_bug(name, len);
	if (!bug) {
		kprintf("keel: selftest: unknown bug '%.*s'\n", (int)len, name);
		power_off(1);
	}
	kprintf("keel: selftest: running %s\n", bug->name);
	bug->run(bug->arg);
	if (bug->caught_by_kernel) {
		kprintf("keel: selftest: %s was NOT caught\n", bug->name);
		power_off(SELFTEST_MISSED);
	}
	kprintf("keel: selftest: %s done\n", bug->name);
#endif
}
