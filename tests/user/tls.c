/*
 * Thread-local storage: makes a control block the thread pointer
 * (arch_prctl(ARCH_SET_FS) on x86-64, tp on riscv64) and reads its first
 * word back through the thread pointer, twice with different blocks.
 * Exits 0 when both reads see the block's self pointer.
 */
#include <user.h>

struct tcb {
	struct tcb *self;
	unsigned long magic;
};

static struct tcb first, second;

static int try_block(struct tcb *t, const char *name)
{
	long r;
	int ok;

	t->self = t;
	t->magic = 0x6b65656c;
	r = tls_set(t);
	ok = r == 0 && tls_load0() == (unsigned long)t;
	uprintf("tls %s: set %ld, read back %s\n", name, r,
		ok ? "ok" : "WRONG");
	return ok;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int ok = try_block(&first, "first");

	ok &= try_block(&second, "second");
	return ok ? 0 : 1;
}
