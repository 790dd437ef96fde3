/*
 * Isolation (issue 11, item 6): what user code can reach. Reads and
 * writes of kernel addresses (the upper half: x86-64's kernel text at
 * -2 GiB and its direct map, riscv64's Sv39 kernel half; the hosted stub
 * maps nothing of the kernel there either) and of non-canonical ones
 * fault with SIGSEGV; a child's private memory stays its own (the parent
 * sees its own copy after the child changed it); and memory a dead child
 * filled comes back zeroed to the next process that maps memory, so no
 * frame carries another process's data. Natively the same program is the
 * oracle: Linux gives the same answers.
 */
#include <proc_raw.h>

static volatile int faults;
static volatile unsigned long fault_addr;
static volatile unsigned long resume_at;

static void on_fault(int sig, struct usiginfo *info, void *uc)
{
	(void)sig;
	faults++;
	fault_addr = info->u.fault.addr;
	*uc_pc(uc) = resume_at;
}

/* Whether a read and a write of addr both fault with SIGSEGV. */
static bool unreachable(unsigned long addr)
{
	int before = faults;

	resume_at = (unsigned long)fault_load_resume;
	fault_load(addr);
	resume_at = (unsigned long)fault_store_resume;
	fault_store(addr);
	return faults == before + 2;
}

static const struct {
	const char *what;
	unsigned long addr;
} kernel_addresses[] = {
	{ "the first non-canonical address", 0x800000000000ul },
	{ "the middle of the hole", 0x8000000000000000ul },
	{ "the kernel half's start", 0xffff800000000000ul },
	{ "x86-64's direct map", 0xffff888000000000ul },
	{ "riscv64's kernel half", 0xffffffc000000000ul },
	{ "the kernel image at -2 GiB", 0xffffffff80000000ul },
	{ "the kernel image plus 1 MiB", 0xffffffff80100000ul },
	{ "the last page", 0xfffffffffffff000ul },
};

#define PATTERN 0x5eced5eced5ecedul
#define CHILD_BYTES (8ul << 20)

/* A child that fills len bytes of fresh memory with the pattern and
 * exits 0. */
static void filler(unsigned long len)
{
	long pid = raw_fork();

	if (pid == 0) {
		long a = raw_mmap(len, 0);

		if (raw_is_err(a))
			sys_exit_group(1);
		for (unsigned long *p = (unsigned long *)a;
		     p < (unsigned long *)(a + len); p++)
			*p = PATTERN;
		sys_exit_group(0);
	}
	int status;

	raw_wait(pid, &status);
}

/* Whether fresh memory of len bytes is zero everywhere. */
static bool fresh_is_zero(unsigned long len)
{
	long a = raw_mmap(len, 0);

	if (raw_is_err(a))
		return false;
	for (unsigned long *p = (unsigned long *)a;
	     p < (unsigned long *)(a + len); p++)
		if (*p)
			return false;
	return true;
}

static unsigned long secret = 1;

int main(int argc __attribute__((unused)), char **argv __attribute__((unused)))
{
	int status;
	long pid;

	sig_install(SIGSEGV, on_fault, 0, 0, NULL);
	for (unsigned i = 0; i < sizeof(kernel_addresses) /
					 sizeof(kernel_addresses[0]); i++)
		uprintf("%s: %s\n", kernel_addresses[i].what,
			unreachable(kernel_addresses[i].addr) ? "faults"
							      : "REACHABLE");
	pid = raw_fork();
	if (pid == 0) {
		secret = 2;
		sys_exit_group(secret == 2 ? 0 : 1);
	}
	raw_wait(pid, &status);
	uprintf("child's write to its copy: exit %d, ours still %lu\n",
		W_EXITSTATUS(status), secret);
	filler(CHILD_BYTES);
	uprintf("memory after a child's exit is zeroed: %s\n",
		fresh_is_zero(2 * CHILD_BYTES) ? "yes" : "NO");
	return 0;
}
