/*
 * Fork bombs (issue 11, item 4): every process of the bomb forks two
 * children, which do the same, until fork fails. With RLIMIT_NPROC at 32
 * the bomb must stop at 32 processes with EAGAIN (the bomb's own: it runs
 * as a user of its own, and root is exempt, as on Linux); without a
 * limit it runs the machine out of memory (each process also holds 64
 * KiB of its own), and fork must fail with ENOMEM or EAGAIN (no kernel
 * stack or pid left) while the kernel goes on; a process whose page
 * fault found no memory may be killed by the out-of-memory killer. Then
 * the bomb is taken down, a new child must run, and the kernel's free
 * frames and heap must be what they were before (PR_KEEL_MEM_USAGE).
 *
 * How the parent knows that the bomb is done without knowing its size:
 * every bomb process holds the write end of the status pipe, writes one
 * byte saying how its forks went and closes it; the parent reads up to
 * end of file. The bomb ends when the parent closes the go pipe: each
 * process reaps its children, then exits.
 *
 * The bomb runs as uid 4242 (setresuid in its first process), so that it
 * is counted where the count is per user with root exempt, as on Linux:
 * then the 32 are the bomb's own; where every task counts, the parent is
 * one of them and the bomb has 31.
 *
 * Off Keel (natively root is not held by RLIMIT_NPROC and the host has
 * no memory to spare) it prints "forkbomb: not on Keel" and exits 0;
 * runner/keeltool/suite_user.py checks the lines.
 */
#include <proc_raw.h>

#define HOLD_BYTES (64ul << 10)
#define BOMB_UID 4242
#if defined(__x86_64__)
#define NR_SETRESUID 117
#else
#define NR_SETRESUID 147
#endif
#define NPROC_LIMIT 32
#define RLIM_INFINITY (~0ul)

/* A status byte: how the two forks went (F_*), plus the forks that
 * succeeded (0..2) in the low bits. */
#define F_DONE 0x10   /* both succeeded */
#define F_EAGAIN 0x20
#define F_ENOMEM 0x40
#define F_OTHER 0x80

static int status_w, go_r;

static unsigned char fork_result(long r)
{
	if (r == -EAGAIN)
		return F_EAGAIN;
	if (r == -ENOMEM)
		return F_ENOMEM;
	return F_OTHER;
}

/* Reaps every child of the caller. */
static void reap_all(void)
{
	int status;

	while (raw_wait(-1, &status) > 0)
		;
}

/* The life of one bomb process: hold some memory, fork twice (the
 * children start here too), report, wait for the end, reap, exit. */
static __attribute__((noreturn)) void bomb(void)
{
	unsigned char byte = 0;
	int forks = 0;
	char c;

	for (;;) {
		long a = raw_mmap(HOLD_BYTES, 0);

		if (!raw_is_err(a))
			memset((void *)a, 1, HOLD_BYTES);
		for (; forks < 2; forks++) {
			long pid = raw_fork();

			if (pid == 0)
				break;
			if (pid < 0) {
				byte |= fork_result(pid);
				break;
			}
		}
		if (forks < 2 && !byte) {
			/* The child: a bomb process of its own. */
			forks = 0;
			continue;
		}
		break;
	}
	if (!byte)
		byte = F_DONE;
	byte |= (unsigned char)forks;
	sys_write(status_w, &byte, 1);
	sys_close(status_w);
	sys_read(go_r, &c, 1); /* end of file: the parent closed it */
	reap_all();
	sys_exit_group(0);
}

/* Runs a bomb under RLIMIT_NPROC cur; prints the forks and how they
 * failed (with count_forks, the number). */
static void run_bomb(const char *name, unsigned long nproc, bool count_forks)
{
	int status_p[2], go_p[2], status;
	unsigned seen = 0;
	unsigned long forks = 0;
	unsigned char byte;
	long root, r;

	raw_pipe(status_p);
	raw_pipe(go_p);
	r = raw_setrlimit(RLIMIT_NPROC, nproc, nproc);
	if (r)
		uprintf("%s: setrlimit %s\n", name, errname(r));
	root = raw_fork();
	if (root == 0) {
		/* Where RLIMIT_NPROC counts per real uid and exempts root
		 * (Linux), the bomb must be someone else's; where set*id or
		 * the per-user count do not exist yet, this changes nothing. */
		sys_call6(NR_SETRESUID, BOMB_UID, BOMB_UID, BOMB_UID, 0, 0, 0);
		sys_close(status_p[0]);
		sys_close(go_p[1]);
		status_w = status_p[1];
		go_r = go_p[0];
		bomb();
	}
	sys_close(status_p[1]);
	sys_close(go_p[0]);
	while (sys_read(status_p[0], &byte, 1) == 1) {
		seen |= byte & 0xf0;
		forks += byte & 3;
	}
	/* The root's own fork counts as the bomb's first process. */
	if (count_forks)
		uprintf("%s: %lu processes", name, forks + 1);
	else
		uprintf("%s:", name);
	uprintf(" fork failed with%s%s%s\n", seen & F_EAGAIN ? " EAGAIN" : "",
		seen & F_ENOMEM ? " ENOMEM" : "", seen & F_OTHER ? " OTHER" : "");
	raw_setrlimit(RLIMIT_NPROC, 4096, 4096);
	sys_close(go_p[1]);
	r = raw_wait(root, &status);
	sys_close(status_p[0]);
	if (r != root)
		uprintf("%s: wait4 %s\n", name, errname(r));
}

int main(int argc __attribute__((unused)), char **argv __attribute__((unused)))
{
	struct mem_usage_u before;
	int status;
	long pid;

	if (mem_usage(&before)) {
		uprintf("forkbomb: not on Keel\n");
		return 0;
	}
	/* The first bomb fills the caches (task stacks ...) it uses. */
	run_bomb("warm-up", NPROC_LIMIT, true);
	mem_usage(&before);
	run_bomb("limit 32", NPROC_LIMIT, true);
	report_memory("limit 32", &before);
	run_bomb("no limit", RLIM_INFINITY, false);
	pid = raw_fork();
	if (pid == 0)
		sys_exit_group(7);
	raw_wait(pid, &status);
	uprintf("after: a child exited %d\n", W_EXITSTATUS(status));
	return 0;
}
