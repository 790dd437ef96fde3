/*
 * The out-of-memory killer (issue 11, item 4; services/proc/oom.c): a
 * memory hog touches page after page of a 4 GiB mapping, far beyond the
 * machine's memory, while a bystander holds 2 MiB of its own and the
 * parent waits. The hog, the process with the most resident memory, must
 * die by SIGKILL (the kernel names it on the console); the bystander's
 * memory must be intact and it must exit normally, a new child must still
 * get memory afterwards, and once everything is reaped the kernel's free
 * frames and heap must be what they were before (PR_KEEL_MEM_USAGE).
 *
 * Off Keel (natively the hog would meet the host's OOM killer, or none)
 * it prints "oom: not on Keel" and exits 0: the native run is the user
 * suite's oracle only for the exit status; runner/keeltool/suite_user.py
 * checks the lines below.
 */
#include <proc_raw.h>

#define HOG_BYTES (4ul << 30)
#define BYSTANDER_BYTES (2ul << 20)

/* Touches every page of [p, p + len) with its page number. */
static void fill(unsigned char *p, unsigned long len)
{
	for (unsigned long off = 0; off < len; off += PAGE)
		p[off] = (unsigned char)(off / PAGE);
}

static bool intact(const unsigned char *p, unsigned long len)
{
	for (unsigned long off = 0; off < len; off += PAGE)
		if (p[off] != (unsigned char)(off / PAGE))
			return false;
	return true;
}

/* A child that touches len bytes and exits with 0 (1 if it cannot). */
static long small_child(unsigned long len)
{
	long pid = raw_fork();

	if (pid == 0) {
		long a = raw_mmap(len, 0);

		if (raw_is_err(a))
			sys_exit_group(1);
		fill((unsigned char *)a, len);
		sys_exit_group(0);
	}
	return pid;
}

/* The bystander: fills its memory, says so on ready, waits for a byte on
 * go, and exits 0 if its memory is still what it wrote. */
static long bystander(int ready, int go)
{
	long pid = raw_fork();
	char c = 0;

	if (pid == 0) {
		long a = raw_mmap(BYSTANDER_BYTES, 0);

		if (raw_is_err(a))
			sys_exit_group(1);
		fill((unsigned char *)a, BYSTANDER_BYTES);
		sys_write(ready, "r", 1);
		if (sys_read(go, &c, 1) != 1)
			sys_exit_group(2);
		sys_exit_group(intact((unsigned char *)a, BYSTANDER_BYTES) ? 0
									   : 3);
	}
	return pid;
}

static long hog(void)
{
	long pid = raw_fork();

	if (pid == 0) {
		long a = raw_mmap(HOG_BYTES, MAP_NORESERVE);

		if (raw_is_err(a))
			sys_exit_group(1);
		fill((unsigned char *)a, HOG_BYTES);
		sys_exit_group(4); /* 4 GiB fit: not what this test is for */
	}
	return pid;
}

/* Waits for pid and prints how it ended. */
static void report(const char *who, long pid)
{
	int status = 0;
	long r = raw_wait(pid, &status);

	if (r != pid)
		uprintf("%s: wait4 %s\n", who, errname(r));
	else if (W_SIGNALED(status))
		uprintf("%s: killed by signal %d\n", who, W_TERMSIG(status));
	else
		uprintf("%s: exited %d\n", who, W_EXITSTATUS(status));
}

/* The bystander, and while it holds its memory either the hog or (for
 * the warm-up) a small child; then a child that needs memory afterwards. */
static void round(const char *what, bool with_hog, int ready[2], int go[2])
{
	long by = bystander(ready[1], go[0]);
	char c;

	uprintf("%s:\n", what);
	if (sys_read(ready[0], &c, 1) != 1)
		uprintf("bystander: not ready\n");
	report("hog", with_hog ? hog() : small_child(PAGE));
	sys_write(go[1], "g", 1);
	report("bystander", by);
	report("after", small_child(BYSTANDER_BYTES));
}

int main(int argc __attribute__((unused)), char **argv __attribute__((unused)))
{
	struct mem_usage_u before;
	int ready[2], go[2];

	if (mem_usage(&before)) {
		uprintf("oom: not on Keel\n");
		return 0;
	}
	raw_pipe(ready);
	raw_pipe(go);
	/* Once without the hog first, so that the caches the round fills
	 * (task stacks, pipe buffers) are full before counting. */
	round("warm-up", false, ready, go);
	mem_usage(&before);
	round("hog", true, ready, go);
	report_memory("after the hog", &before);
	return 0;
}
