/*
 * Raw process, memory and Keel-only calls for the exhaustion tests
 * (tests/user/oom.c, forkbomb.c): fork as clone(SIGCHLD), wait4, pipe2,
 * mmap, and Keel's PR_KEEL_MEM_USAGE prctl (free frames and live heap
 * objects, services/sys), by this architecture's numbers. Static
 * functions only: each test is one file.
 */
#ifndef PROC_RAW_H
#define PROC_RAW_H

#include <stdbool.h>
#include <user.h>

#if defined(__x86_64__)
#define NR_MMAP 9
#define NR_MUNMAP 11
#define NR_PIPE2 293
#define NR_CLONE 56
#define NR_WAIT4 61
#define NR_PRCTL 157
#define NR_PRLIMIT64 302
#else
#define NR_MMAP 222
#define NR_MUNMAP 215
#define NR_PIPE2 59
#define NR_CLONE 220
#define NR_WAIT4 260
#define NR_PRCTL 167
#define NR_PRLIMIT64 261
#endif

#define PR_KEEL_MEM_USAGE 0x4b454c03
#define PROT_RW 3
#define MAP_PRIVATE_ANON 0x22
#define MAP_NORESERVE 0x4000
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define PAGE 4096ul

/* What the kernel's memory holds (Keel's struct mem_usage). */
struct mem_usage_u {
	unsigned long frames_free, heap_objects, heap_bytes;
};

struct rlimit_u {
	unsigned long cur, max;
};

/* 0 when on Keel (the prctl is Keel's own), else -EINVAL. */
static inline long mem_usage(struct mem_usage_u *u)
{
	return sys_call6(NR_PRCTL, PR_KEEL_MEM_USAGE, (long)u, 0, 0, 0, 0);
}

/* fork(2): the child's pid, 0 in the child, or -errno. */
static inline long raw_fork(void)
{
	return sys_call6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
}

/* wait4(pid, &status, 0, NULL). */
static inline long raw_wait(long pid, int *status)
{
	return sys_call6(NR_WAIT4, pid, (long)status, 0, 0, 0, 0);
}

static inline long raw_pipe(int fds[2])
{
	return sys_call6(NR_PIPE2, (long)fds, 0, 0, 0, 0, 0);
}

static inline long raw_mmap(unsigned long len, long flags)
{
	return sys_call6(NR_MMAP, 0, (long)len, PROT_RW,
			 MAP_PRIVATE_ANON | flags, -1, 0);
}

static inline long raw_setrlimit(int resource, unsigned long cur,
				 unsigned long max)
{
	struct rlimit_u r = { cur, max };

	return sys_call6(NR_PRLIMIT64, 0, resource, (long)&r, 0, 0, 0);
}

static inline bool raw_is_err(long r)
{
	return r < 0 && r > -4096;
}

/*
 * Whether the kernel's memory is as in *before (*after: what it is). A
 * dead task's struct goes when the next task on its CPU has switched in,
 * which may be just after its parent's wait4 returned: so the last look
 * is after up to 1000 yields, never a time.
 */
static inline bool given_back(const struct mem_usage_u *before,
			      struct mem_usage_u *after)
{
	for (int i = 0; i < 1000; i++) {
		mem_usage(after);
		if (after->frames_free == before->frames_free &&
		    after->heap_objects == before->heap_objects)
			return true;
		sys_sched_yield();
	}
	return false;
}

/* Prints "NAME: memory all given back", or a LEAK line with the counts,
 * as given_back finds the kernel's memory against *before. */
static inline void report_memory(const char *name,
				 const struct mem_usage_u *before)
{
	struct mem_usage_u after;

	if (given_back(before, &after))
		uprintf("%s: memory all given back\n", name);
	else
		uprintf("LEAK %s: frames %lu -> %lu, heap objects %lu -> %lu\n",
			name, before->frames_free, after.frames_free,
			before->heap_objects, after.heap_objects);
}

/* Status decoding, as <sys/wait.h>. */
#define W_SIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define W_TERMSIG(s) ((s) & 0x7f)
#define W_EXITSTATUS(s) (((s) >> 8) & 0xff)

#endif
