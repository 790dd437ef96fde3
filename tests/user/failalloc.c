/*
 * Allocation fault injection over system-call paths (issue 11, item 4;
 * docs/hardening.md): for each path (a call and what undoes it), with
 * N = 1, 2, ... the Nth kernel allocation of the call fails (Keel's
 * prctl PR_KEEL_FAILALLOC), until the call makes fewer than N. Every
 * failed allocation must end in a clean answer, -ENOMEM or success (an
 * allocation the path can do without), and leave the kernel's memory as
 * it was: free frames, live heap objects and their bytes (prctl
 * PR_KEEL_MEM_USAGE) the same before the call and after its undo. Each
 * path runs once first, so caches it fills are filled before counting.
 *
 * Prints one line per path, "PATH: N allocations, failed: ENOMEM xK[,
 * ok xJ]", and for a problem "BAD PATH n=N: ..." (another errno) or
 * "LEAK PATH n=N: ...". Off Keel (the prctl options are Keel's own) it
 * prints "failalloc: not on Keel" and exits 0: the native run is the
 * user suite's oracle only for the exit status.
 */
#include <user.h>

#define PR_KEEL_FAILALLOC 0x4b454c01
#define PR_KEEL_FAILALLOC_FIRED 0x4b454c02
#define PR_KEEL_MEM_USAGE 0x4b454c03
#define NR_PRCTL_X86 157
#define NR_PRCTL_RISCV 167
#define MAX_N 400

#if defined(__x86_64__)
#define NR_PRCTL NR_PRCTL_X86
#define NR_MMAP 9
#define NR_MUNMAP 11
#define NR_MREMAP 25
#define NR_PIPE2 293
#define NR_CLONE 56
#define NR_WAIT4 61
#else
#define NR_PRCTL NR_PRCTL_RISCV
#define NR_MMAP 222
#define NR_MUNMAP 215
#define NR_MREMAP 216
#define NR_PIPE2 59
#define NR_CLONE 220
#define NR_WAIT4 260
#endif
#define PROT_RW 3
#define MAP_PRIVATE_ANON 0x22
#define MREMAP_MAYMOVE 1

static long prctl(long option, long arg)
{
	return sys_call6(NR_PRCTL, option, arg, 0, 0, 0, 0);
}

struct usage {
	unsigned long frames, objects, bytes;
};

static int usage(struct usage *u)
{
	return prctl(PR_KEEL_MEM_USAGE, (long)u) == 0;
}

/* ---- The paths: an operation and its undo ----------------------------- */

static char buf[3 * 4096];
static int file_fd = -1;

static long op_open_create(void)
{
	return sys_openat(AT_FDCWD, "/tmp/fa-new", O_CREAT | O_RDWR, 0600);
}

/* A failure after the file was made leaves it, as on Linux. */
static void undo_open_create_failed(void)
{
	sys_unlinkat(AT_FDCWD, "/tmp/fa-new", 0);
}

static void undo_open_create(long fd)
{
	sys_close((int)fd);
	undo_open_create_failed();
}

static long op_open_existing(void)
{
	return sys_openat(AT_FDCWD, "/tmp/fa-file", O_RDONLY, 0);
}

static void undo_close(long fd)
{
	sys_close((int)fd);
}

static long op_write(void)
{
	return sys_pwrite64(file_fd, buf, sizeof(buf), 4096);
}

/* A failed write may have stored part of the data. */
static void undo_write_failed(void)
{
	sys_ftruncate(file_fd, 0);
}

static void undo_write(long n)
{
	(void)n;
	undo_write_failed();
}

static long op_mmap(void)
{
	return sys_call6(NR_MMAP, 0, 16 * 4096, PROT_RW, MAP_PRIVATE_ANON, -1,
			 0);
}

static void undo_mmap(long addr)
{
	sys_call6(NR_MUNMAP, addr, 16 * 4096, 0, 0, 0, 0);
}

/* mprotect of the middle of a fresh mapping: the area splits in three.
 * The mapping goes in the undo, whatever the result. */
static long split_base;

static long op_mprotect_split(void)
{
	long a = sys_call6(NR_MMAP, 0, 3 * 4096, PROT_RW, MAP_PRIVATE_ANON,
			   -1, 0);

	split_base = a;
	if (a < 0 && a > -4096)
		return a;
	return sys_mprotect((unsigned long)a + 4096, 4096, 1);
}

static void undo_mprotect_split_failed(void)
{
	if (!(split_base < 0 && split_base > -4096))
		sys_call6(NR_MUNMAP, split_base, 3 * 4096, 0, 0, 0, 0);
}

static void undo_mprotect_split(long r)
{
	(void)r;
	undo_mprotect_split_failed();
}

static long op_mremap(void)
{
	long a = op_mmap();

	if (a < 0 && a > -4096)
		return a;
	split_base = a; /* the mapping to move */
	return sys_call6(NR_MREMAP, a, 16 * 4096, 64 * 4096, MREMAP_MAYMOVE,
			 0, 0);
}

static void undo_mremap(long addr)
{
	sys_call6(NR_MUNMAP, addr, 64 * 4096, 0, 0, 0, 0);
}

/* A failed mremap leaves the first mapping: undone apart. */
static void undo_mremap_failed(void)
{
	if (!(split_base < 0 && split_base > -4096))
		undo_mmap(split_base);
}

static unsigned long brk_base;

static long op_brk(void)
{
	long r = sys_brk(brk_base + 64 * 1024);

	return (unsigned long)r == brk_base + 64 * 1024 ? 0 : -ENOMEM;
}

static void undo_brk(long r)
{
	(void)r;
	sys_brk(brk_base);
}

static long op_mkdir(void)
{
	return sys_mkdirat(AT_FDCWD, "/tmp/fa-dir", 0755);
}

static void undo_mkdir(long r)
{
	(void)r;
	sys_unlinkat(AT_FDCWD, "/tmp/fa-dir", AT_REMOVEDIR);
}

static long op_symlink(void)
{
	return sys_symlinkat("/tmp/fa-file", AT_FDCWD, "/tmp/fa-link");
}

static void undo_symlink(long r)
{
	(void)r;
	sys_unlinkat(AT_FDCWD, "/tmp/fa-link", 0);
}

static long op_dup(void)
{
	return sys_dup(file_fd);
}

static long op_stat(void)
{
	struct kstat st;

	return sys_newfstatat(AT_FDCWD, "/tmp/fa-file", &st, 0);
}

static long op_getdents(void)
{
	long fd = sys_openat(AT_FDCWD, "/tmp", O_RDONLY | O_DIRECTORY, 0);
	long r;

	if (fd < 0)
		return fd;
	r = sys_getdents64((int)fd, buf, sizeof(buf));
	sys_close((int)fd);
	return r;
}

static void undo_nothing(long r)
{
	(void)r;
}

static int pipe_fds[2];

static long op_pipe2(void)
{
	return sys_call6(NR_PIPE2, (long)pipe_fds, 0, 0, 0, 0, 0);
}

static void undo_pipe2(long r)
{
	(void)r;
	sys_close(pipe_fds[0]);
	sys_close(pipe_fds[1]);
}

/* fork (clone(SIGCHLD)): the child exits at once, the undo reaps it. */
static long op_fork(void)
{
	long pid = sys_call6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);

	if (pid == 0)
		sys_exit_group(0);
	return pid;
}

static void undo_fork(long pid)
{
	int status;

	sys_call6(NR_WAIT4, pid, (long)&status, 0, 0, 0, 0);
}

struct path {
	const char *name;
	long (*op)(void);
	void (*undo)(long result);  /* after a success */
	void (*undo_failed)(void);  /* after a failure, if it leaves state */
	int returns_address;        /* success is an address, not >= 0 */
};

static const struct path paths[] = {
	{ "openat O_CREAT", op_open_create, undo_open_create,
	  undo_open_create_failed, 0 },
	{ "openat", op_open_existing, undo_close, NULL, 0 },
	{ "pwrite64", op_write, undo_write, undo_write_failed, 0 },
	{ "mmap", op_mmap, undo_mmap, NULL, 1 },
	{ "mmap, mprotect split", op_mprotect_split, undo_mprotect_split,
	  undo_mprotect_split_failed, 0 },
	{ "mremap", op_mremap, undo_mremap, undo_mremap_failed, 1 },
	{ "brk", op_brk, undo_brk, NULL, 0 },
	{ "mkdirat", op_mkdir, undo_mkdir, NULL, 0 },
	{ "symlinkat", op_symlink, undo_symlink, NULL, 0 },
	{ "dup", op_dup, undo_close, NULL, 0 },
	{ "newfstatat", op_stat, undo_nothing, NULL, 0 },
	{ "getdents64", op_getdents, undo_nothing, NULL, 0 },
	{ "pipe2", op_pipe2, undo_pipe2, NULL, 0 },
	{ "fork", op_fork, undo_fork, NULL, 0 },
};

static int failed(const struct path *p, long r)
{
	return p->returns_address ? (r < 0 && r > -4096) : r < 0;
}

static void finish(const struct path *p, long r)
{
	if (!failed(p, r))
		p->undo(r);
	else if (p->undo_failed)
		p->undo_failed();
}

static int problems;

/* Whether the kernel's memory is as in *before (*after: what it is). A
 * reaped child's task goes when the next task on its CPU has switched
 * in, which may be just after wait4 returned: so the last look is after
 * up to 1000 yields. */
static int same_usage(const struct usage *before, struct usage *after)
{
	for (int i = 0; i < 1000; i++) {
		usage(after);
		if (before->frames == after->frames &&
		    before->objects == after->objects &&
		    before->bytes == after->bytes)
			return 1;
		sys_sched_yield();
	}
	return 0;
}

/* One call of path p with its nth allocation failing (0: none). Returns
 * whether the failure fired. */
static int run_once(const struct path *p, unsigned n, long *result)
{
	struct usage before, after;
	long fired;

	usage(&before);
	prctl(PR_KEEL_FAILALLOC, n);
	*result = p->op();
	fired = prctl(PR_KEEL_FAILALLOC_FIRED, 0);
	finish(p, *result);
	if (!same_usage(&before, &after)) {
		uprintf("LEAK %s n=%u: frames free %ld, heap objects %ld, heap "
			"bytes %ld (result %s)\n", p->name, n,
			(long)(after.frames - before.frames),
			(long)(after.objects - before.objects),
			(long)(after.bytes - before.bytes), errname(*result));
		problems++;
	}
	return fired == 1;
}

static void sweep(const struct path *p)
{
	unsigned n, enomem = 0, ok = 0;
	long r;

	run_once(p, 0, &r); /* warm the caches; a leak here is reported too */
	if (failed(p, r)) {
		uprintf("BAD %s: fails without fault injection: %s\n", p->name,
			errname(r));
		problems++;
		return;
	}
	for (n = 1; n <= MAX_N && run_once(p, n, &r); n++) {
		if (r == -ENOMEM) {
			enomem++;
		} else if (!failed(p, r)) {
			ok++;
		} else {
			uprintf("BAD %s n=%u: %s, not ENOMEM\n", p->name, n,
				errname(r));
			problems++;
		}
	}
	uprintf("%s: %u allocations, failed: ENOMEM x%u", p->name, n - 1,
		enomem);
	if (ok)
		uprintf(", ok x%u", ok);
	uprintf("\n");
}

int main(int argc, char **argv)
{
	struct usage u;
	long fd;

	(void)argc;
	(void)argv;
	/* The buffer's pages are the program's: faulted in now, not by the
	 * kernel's first copy from it during a measured call. */
	memset(buf, 'x', sizeof(buf));
	if (!usage(&u)) {
		uprintf("failalloc: not on Keel\n");
		return 0;
	}
	fd = sys_openat(AT_FDCWD, "/tmp/fa-file", O_CREAT | O_RDWR, 0600);
	if (fd < 0) {
		uprintf("failalloc: cannot create /tmp/fa-file: %s\n",
			errname(fd));
		return 1;
	}
	file_fd = (int)fd;
	brk_base = (unsigned long)sys_brk(0);
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		sweep(&paths[i]);
	uprintf("failalloc: %d problems\n", problems);
	return problems ? 1 : 0;
}
