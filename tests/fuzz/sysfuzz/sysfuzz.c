/*
 * sysfuzz: a system-call fuzzer that runs as a user program on Keel (issue
 * 11 item 3, in the spirit of trinity and syzkaller's random mode). It
 * issues random system calls, numbers from the kernel's own list
 * (services/arch/<arch>/include/svc/syscall_list.h: every Linux call,
 * implemented or not) plus random numbers, with random, boundary and
 * hostile arguments: bad pointers (NULL, kernel, non-canonical, the hosted
 * stub's area, unmapped), pointers into its own code and stack, buffers
 * ending at an unmapped page, huge and negative sizes, negative and stale
 * fds, random flags. The kernel must answer each with a result or -errno
 * and never panic, hang or trip a sanitizer; the program itself may die
 * of its own signals (the runner then starts the next one).
 *
 * usage: sysfuzz [seed=N] [calls=N] [log=1] [from=N] [race=0|1]
 * Prints "sysfuzz: seed N, N calls" first, a progress line every
 * PROGRESS calls and "sysfuzz: done, N calls, seed N" at the end. The
 * calls are made by a forked child (the supervisor only waits): a call
 * that kills it (a garbage rt_sigreturn, exit_group, a racing unmap)
 * costs a line "sysfuzz: call N killed the fuzzer (signal S)" or "...
 * (exit S)", and a new child goes on with the next call, drawn from the
 * random stream where the dead one left it (a page shared with the
 * supervisor holds the stream's state). Without race=1 (the default)
 * the run depends only on the seed (and the kernel): `seed=N` replays it,
 * `log=1` prints each call before it is made, `from=N` skips the calls
 * before the Nth (they are still drawn, so the later ones stay the same:
 * a bisection finds the calls a failure needs). With race=1 each child
 * also runs a racer thread that closes and dup2s fds and unmaps, maps
 * and protects arena pages while the calls use them (issue 11's racing
 * threads), and some pointers point into the racer's stack; its timing
 * is not reproducible. It refuses to run anywhere but on Keel (uname
 * release "...-keel"): random calls as root on a real Linux would
 * reboot, unmount or worse.
 *
 * What it avoids, because it would end the run rather than test the
 * kernel: exit (the racer would live on), execve(at), fork, vfork,
 * clone(3) (a second fuzzer in the same stream), reboot, kexec; signals
 * to anyone except harmless ones
 * (0, SIGCHLD, SIGURG, SIGWINCH); memory calls on its own image, stack and
 * buffers (other addresses stay hostile); its output fd. It closes fds 0-2
 * (nothing it does reaches the console but its own lines) and keeps a
 * SIGALRM interval timer, re-armed after any call that could have
 * disturbed it, so that a call that blocks returns with EINTR; until
 * setitimer exists, calls that wait get short or faulting timeouts and new
 * pipes, eventfds and sockets are non-blocking (bound_waits). One call
 * in eight runs with one of its first eight kernel allocations failing
 * (Keel's prctl PR_KEEL_FAILALLOC), so failure paths are fuzzed too.
 */
#include <user.h>

/* ---- The kernel's list of calls --------------------------------------- */

struct call {
	long nr;
	const char *name;
};

#define SYSCALL_NR(nr, name) { nr, #name },
static const struct call table[] = {
#include <svc/syscall_list.h>
};
#undef SYSCALL_NR

#define NCALLS (sizeof(table) / sizeof(table[0]))

/* Calls that would end the run (see above). */
static const char *const never[] = {
	"exit", "execve", "execveat", "fork", "vfork", "clone",
	"clone3", "reboot", "kexec_load", "kexec_file_load",
	/* only a signal ends these: the watchdog's SIGALRM does, but they
	 * would cost a period each for nothing */
	"pause", "rt_sigsuspend",
	/* wait without a timeout argument and would, once they exist, with
	 * nothing ready: pipe (no flags: pipe2 is drawn instead), eventfd,
	 * inotify_init, accept, epoll_create's waits are bounded above */
	"pipe", "eventfd", "inotify_init", "accept", "signalfd",
};

static long nr_of(const char *name)
{
	for (unsigned i = 0; i < NCALLS; i++)
		if (strcmp(table[i].name, name) == 0)
			return table[i].nr;
	return -1;
}

static const char *name_of(long nr)
{
	for (unsigned i = 0; i < NCALLS; i++)
		if (table[i].nr == nr)
			return table[i].name;
	return "?";
}

static int in_list(const char *name, const char *const *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return 1;
	return 0;
}

#define IN(name, list) in_list(name, list, sizeof(list) / sizeof(list[0]))

/* ---- Randomness: splitmix64, one stream from the seed ------------------ */

static unsigned long rng_state;

static unsigned long rnd(void)
{
	unsigned long z = (rng_state += 0x9e3779b97f4a7c15ul);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
	return z ^ (z >> 31);
}

static unsigned long below(unsigned long n)
{
	return rnd() % n;
}

/* ---- Memory the arguments point into ---------------------------------- */

#define PAGE 4096ul
#define SCRATCH_PAGES 16ul
#define ARENA_SIZE (4ul << 20)
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20

/* scratch: buffers for the calls, then one PROT_NONE page (a buffer that
 * runs off its end faults there). arena: where memory calls may map,
 * unmap and protect as they like. */
static char *scratch, *arena;
/* The racer thread's stack (race=1; NULL without): RACER_STACK bytes, of
 * which the lowest RACER_SPARE are never used by the racer itself, so
 * calls may be pointed there. */
#define RACER_STACK (64ul << 10)
#define RACER_SPARE (16ul << 10)
static char *racer_stack;
static unsigned long stack_mark; /* an address in main's frame */

/* Shared between the supervisor and its fuzzing child (MAP_SHARED): the
 * next call's number and the random stream's state just before it, kept
 * up to date by the child before every call. */
struct shared_state {
	unsigned long next;
	unsigned long rng;
	int finished; /* the child made the last call */
};
static struct shared_state *shared;
static int out_fd = 1;
static int log_calls;
static unsigned long first_call = 1; /* from=N: calls before N skipped */
extern char __executable_start[], _end[];

static const char *const paths[] = {
	"/", ".", "..", "", "/tmp", "/tmp/sysfuzz", "/tmp/sysfuzz/f",
	"/tmp/sysfuzz-file", "/dev/null", "/dev/zero", "/dev/full",
	"/dev/urandom", "/proc/self/maps", "/proc/self/status", "/proc",
	"/sysfuzz", "a/b/../../c", "//////tmp//", "/tmp/sysfuzz/../../tmp",
	"/nonexistent/x", "/dev/null/x", "/proc/self/fd/3",
};

/* Fills the scratch pages afresh for a call: random bytes, path strings
 * (one too long for PATH_MAX, one with a 300-byte component), an iovec
 * array into scratch, small timespecs, zeros. */
static void scratch_fill(void)
{
	unsigned long *words = (unsigned long *)scratch;
	char *paths_page = scratch + 4 * PAGE;
	unsigned long *iov = (unsigned long *)(scratch + 8 * PAGE);
	unsigned long *ts = (unsigned long *)(scratch + 9 * PAGE);

	for (unsigned long i = 0; i < 4 * PAGE / 8; i++)
		words[i] = rnd();
	/* page 4: a path from the list; page 5-6: a 6000-byte path; page
	 * 7: a 300-byte component */
	{
		const char *p = paths[below(sizeof(paths) / sizeof(paths[0]))];
		size_t n = strlen(p);

		memcpy(paths_page, p, n + 1);
	}
	memset(scratch + 5 * PAGE, 'a', 6000);
	scratch[5 * PAGE] = '/';
	scratch[5 * PAGE + 6000] = '\0';
	memcpy(scratch + 7 * PAGE, "/tmp/", 5);
	memset(scratch + 7 * PAGE + 5, 'b', 300);
	scratch[7 * PAGE + 305] = '\0';
	for (int i = 0; i < 16; i++) {
		iov[2 * i] = (unsigned long)(scratch + below(4 * PAGE));
		iov[2 * i + 1] = below(4) ? below(PAGE) : rnd();
	}
	/* Short or invalid: a sleep or wait given one never lasts. */
	for (int i = 0; i < 8; i++) {
		ts[2 * i] = 0;
		ts[2 * i + 1] = below(2) ? below(1000) : rnd();
	}
	memset(scratch + 10 * PAGE, 0, 6 * PAGE);
}

/* ---- Arguments ------------------------------------------------------ */

#define MAX_FDS 64
static long fds[MAX_FDS];
static unsigned nfds;

static void fd_note(long fd)
{
	if (fd >= 0 && fd < 4096 && fd != out_fd)
		fds[nfds++ % MAX_FDS] = fd;
}

/* An address someone might pass in error or in malice. */
static unsigned long hostile_address(void)
{
	static const unsigned long fixed[] = {
		0, 1, PAGE - 1, PAGE, 0x10000,             /* low */
		0x7f0000000000ul - PAGE, 0x7f0000000000ul, /* hosted limit */
		0x7f8000000000ul,                          /* hosted stub */
		0x7ffffffff000ul, 0x7ffffffffffful,        /* top of user */
		0x800000000000ul,                          /* non-canonical */
		0xffff800000000000ul, 0xffffffff80000000ul, /* kernel */
		0xfffffffffffff000ul, ~0ul,
	};

	switch (below(4)) {
	case 0:
		return rnd();
	case 1:
		return rnd() & ~(PAGE - 1);
	default:
		return fixed[below(sizeof(fixed) / sizeof(fixed[0]))];
	}
}

/* One argument of no known type: any of the kinds. */
static long any_arg(void)
{
	switch (below(17)) {
	case 0:
		return 0;
	case 1:
		return (long)below(17);
	case 2:
		return -(long)below(5) - 1;
	case 3:
		return nfds ? fds[below(nfds < MAX_FDS ? nfds : MAX_FDS)] : 3;
	case 4:
		return -100; /* AT_FDCWD */
	case 5:
		return (long)(scratch + below(SCRATCH_PAGES) * PAGE);
	case 6: /* a buffer that ends just before the guard page */
		return (long)(scratch + SCRATCH_PAGES * PAGE - 1 - below(64));
	case 7:
		return (long)hostile_address();
	case 8: /* its own code: readable, never writable */
		return (long)((unsigned long)main + below(256));
	case 9: /* its own stack, at main's frame (which never returns) */
		return (long)(stack_mark - below(512));
	case 10:
		return (long)(1ul << below(64));
	case 11:
		return (long)((1ul << below(64)) - 1);
	case 12:
		return (long)below(1ul << 16);
	case 13:
		return (long)(rnd() & 0xffffffffu);
	case 14:
		return (long)(scratch + 4 * PAGE + below(4) * PAGE); /* paths */
	case 15: /* the racer thread's stack, below what it uses */
		if (racer_stack)
			return (long)(racer_stack + below(RACER_SPARE));
		return (long)rnd();
	default:
		return (long)rnd();
	}
}

/* ---- Keeping the fuzzer alive ------------------------------------------ */

static const char *const memory_calls[] = {
	"mmap", "munmap", "mprotect", "mremap", "madvise", "msync", "mlock",
	"mlock2", "munlock", "remap_file_pages", "mbind", "pkey_mprotect",
	"mseal", "map_shadow_stack", "shmdt",
};

static int overlaps(unsigned long a, unsigned long len, unsigned long lo,
		    unsigned long hi)
{
	unsigned long end = a + len;

	if (end < a) /* wraps: the kernel must refuse it anyway */
		end = ~0ul;
	return a < hi && end > lo;
}

/* Whether [a, a+len) touches what the fuzzer lives on: its image, its
 * stack (main's frame up to the arguments above it), its buffers. */
static int own_memory(unsigned long a, unsigned long len)
{
	if (len == 0)
		len = 1;
	return overlaps(a, len, (unsigned long)__executable_start,
			(unsigned long)_end + PAGE) ||
	       overlaps(a, len, stack_mark - (8ul << 20),
			stack_mark + (1ul << 20)) ||
	       overlaps(a, len, (unsigned long)scratch,
			(unsigned long)scratch + (SCRATCH_PAGES + 1) * PAGE) ||
	       (racer_stack &&
		overlaps(a, len, (unsigned long)racer_stack,
			 (unsigned long)racer_stack + RACER_STACK)) ||
	       overlaps(a, len, (unsigned long)shared,
			(unsigned long)shared + PAGE);
}

/* An address and length pair for a memory call: in the arena, or hostile
 * but clear of its own memory. */
static void memory_range(long *addr, long *len)
{
	if (below(2)) {
		unsigned long off = below(ARENA_SIZE / PAGE) * PAGE;

		if (!below(8))
			off += below(PAGE);
		*addr = (long)((unsigned long)arena + off);
		if ((unsigned long)*len > ARENA_SIZE - off)
			*len = (long)((ARENA_SIZE - off) >> below(4));
		return;
	}
	*addr = (long)hostile_address();
	if (own_memory((unsigned long)*addr, (unsigned long)*len))
		*len = (long)below(4 * PAGE);
	if (own_memory((unsigned long)*addr, (unsigned long)*len))
		*addr = (long)arena, *len = (long)PAGE;
}

#define SIGCHLD_ 17
#define SIGURG_ 23
#define SIGWINCH_ 28
#define SIGALRM_ 14

/* The position of the signal argument of calls that send one. */
static int signal_arg(const char *name)
{
	static const char *const at1[] = { "kill", "tkill", "rt_sigqueueinfo",
					   "pidfd_send_signal" };
	static const char *const at2[] = { "tgkill", "rt_tgsigqueueinfo" };

	if (IN(name, at1))
		return 1;
	if (IN(name, at2))
		return 2;
	return -1;
}

#define FUTEX_CMD_MASK 0x7f
/* The futex operations that wait (WAIT, LOCK_PI, WAIT_BITSET,
 * WAIT_REQUEUE_PI, LOCK_PI2). */
static int futex_waits(long op)
{
	long cmd = op & FUTEX_CMD_MASK;

	return cmd == 0 || cmd == 6 || cmd == 9 || cmd == 11 || cmd == 13;
}

/* A wait's timeout: zero (it returns at once), or an address that faults.
 * A wait without one lasts until someone wakes it, which nobody would;
 * until setitimer exists the watchdog cannot interrupt it either. */
static long short_timeout(void)
{
	return below(2) ? (long)(scratch + 10 * PAGE) /* zeros */
			: (long)(hostile_address() | 1);
}

/* Calls that may wait, and the argument that bounds the wait: a
 * pointer to a timeout (NULL would mean forever), or a count of
 * milliseconds (negative: forever). */
struct wait_arg {
	const char *name;
	int arg;
	int is_ms;
};

static const struct wait_arg waits[] = {
	{ "poll", 2, 1 },        { "epoll_wait", 3, 1 },
	{ "epoll_pwait", 3, 1 }, { "ppoll", 2, 0 },
	{ "select", 4, 0 },      { "pselect6", 4, 0 },
	{ "epoll_pwait2", 3, 0 }, { "rt_sigtimedwait", 2, 0 },
	{ "nanosleep", 0, 0 },   { "clock_nanosleep", 2, 0 },
	{ "futex_waitv", 3, 0 }, { "io_getevents", 4, 0 },
	{ "semtimedop", 3, 0 },  { "mq_timedreceive", 4, 0 },
	{ "recvmmsg", 4, 0 },
};

#define O_NONBLOCK_ 04000 /* also SOCK_NONBLOCK, EFD_NONBLOCK ... */
#define S_IFMT_ 0170000
#define S_IFIFO_ 0010000
#define S_IFREG_ 0100000
#define LOCK_NB_ 4
#define F_SETLKW_ 7
#define F_OFD_SETLKW_ 38

/* Bounds every wait a call could start: until the watchdog can
 * interrupt one (setitimer), a wait nobody ends would hang the run.
 * Waits get a short or faulting timeout; new pipes, eventfds and sockets
 * are non-blocking; mknod makes regular files, not FIFOs (whose open
 * waits for the other end). */
static void bound_waits(const char *name, long *a)
{
	for (unsigned i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		if (strcmp(name, waits[i].name) != 0)
			continue;
		a[waits[i].arg] = waits[i].is_ms ? (long)below(3)
						 : short_timeout();
	}
	if (strcmp(name, "futex") == 0 && futex_waits(a[1]))
		a[3] = short_timeout();
	if (strcmp(name, "pipe2") == 0 || strcmp(name, "eventfd2") == 0 ||
	    strcmp(name, "inotify_init1") == 0 ||
	    strcmp(name, "timerfd_create") == 0)
		a[1] |= O_NONBLOCK_;
	if (strcmp(name, "signalfd4") == 0)
		a[3] |= O_NONBLOCK_;
	if (strcmp(name, "socket") == 0 || strcmp(name, "socketpair") == 0)
		a[1] |= O_NONBLOCK_;
	if (strcmp(name, "accept4") == 0)
		a[3] |= O_NONBLOCK_;
	/* A lock held through another of its own open files would wait
	 * forever: never wait for one. */
	if (strcmp(name, "flock") == 0)
		a[1] |= LOCK_NB_;
	if (strcmp(name, "fcntl") == 0 && (a[1] == F_SETLKW_ ||
					   a[1] == F_OFD_SETLKW_))
		a[1] -= 1; /* F_SETLK, F_OFD_SETLK */
	if (strcmp(name, "mknod") == 0 && (a[1] & S_IFMT_) == S_IFIFO_)
		a[1] = (a[1] & ~(long)S_IFMT_) | S_IFREG_;
	if (strcmp(name, "mknodat") == 0 && (a[2] & S_IFMT_) == S_IFIFO_)
		a[2] = (a[2] & ~(long)S_IFMT_) | S_IFREG_;
}

/* Makes args safe for the fuzzer to survive, changing nothing else. */
static void shape(const char *name, long *a)
{
	static const int harmless[] = { 0, SIGCHLD_, SIGURG_, SIGWINCH_ };
	int sig = signal_arg(name);

	if (sig >= 0)
		a[sig] = harmless[below(4)];
	if (IN(name, memory_calls)) {
		memory_range(&a[0], &a[1]);
		if (strcmp(name, "mremap") == 0 &&
		    own_memory((unsigned long)a[4], (unsigned long)a[2]))
			memory_range(&a[4], &a[2]);
	}
	if ((strcmp(name, "dup2") == 0 || strcmp(name, "dup3") == 0) &&
	    a[1] == out_fd)
		a[1] = out_fd + 1;
	if (strcmp(name, "close") == 0 && a[0] == out_fd)
		a[0] = -1;
	if (strcmp(name, "close_range") == 0 &&
	    (unsigned long)a[0] <= (unsigned long)out_fd &&
	    (unsigned long)a[1] >= (unsigned long)out_fd)
		a[1] = out_fd - 1;
	bound_waits(name, a);
	/* The watchdog's signal keeps its handler. */
	if ((strcmp(name, "rt_sigaction") == 0 ||
	     strcmp(name, "signal") == 0) && a[0] == SIGALRM_)
		a[0] = SIGWINCH_;
}

/* The watchdog: SIGALRM every 20 ms, whose handler returns, so that a
 * call that blocks is interrupted (EINTR). Without setitimer (not yet
 * implemented) nothing the kernel offers blocks. */
static void on_alarm(int sig, struct usiginfo *info, void *uc)
{
	(void)sig;
	(void)info;
	(void)uc;
}

static void watchdog_arm(void)
{
	static const long period[4] = { 0, 20000, 0, 20000 };
	unsigned long alarm_mask = 1ul << (SIGALRM_ - 1);

	sig_install(SIGALRM_, on_alarm, 0, 0, NULL);
	sys_rt_sigprocmask(SIG_UNBLOCK, &alarm_mask, NULL, 8);
	sys_call6(nr_of("setitimer"), 0, (long)period, 0, 0, 0, 0);
}

/* Calls after which the watchdog is set up again. */
static const char *const disturb_watchdog[] = {
	"rt_sigaction", "rt_sigprocmask", "setitimer", "alarm", "signal",
	"sigaltstack", "rt_sigreturn", "timer_settime",
};

/* ---- The run -------------------------------------------------------- */

#define PROGRESS 1000
#define FDS_RETURNED_BY "open openat creat dup dup2 dup3 fcntl openat2 " \
	"memfd_create eventfd eventfd2 epoll_create epoll_create1 socket " \
	"timerfd_create signalfd signalfd4 inotify_init inotify_init1 " \
	"pidfd_open userfaultfd perf_event_open"

static int returns_fd(const char *name)
{
	const char *list = FDS_RETURNED_BY;
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		const char *w = p;

		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) == n && memcmp(w, name, n) == 0)
			return 1;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/*
 * On this project's machines the host's hypervisor (PVM) takes x86-64
 * system call 335 for itself: the host kills the caller with SIGILL
 * before seccomp sees the call, so on the hosted backend it never reaches
 * Keel (hal/hosted/README.md). Not a Keel call to test, on any target.
 */
#define HOST_RESERVED_NR 335

/* A call number: mostly from the table, sometimes any number. A garbage
 * rt_sigreturn mostly kills the fuzzer, so it is drawn 1/32 as often;
 * exit_group always does, 1/8 as often. */
static long pick_nr(void)
{
	for (;;) {
		long nr;

		switch (below(16)) {
		case 0:
			nr = (long)below(1024);
			break;
		case 1:
			nr = (long)rnd();
			break;
		default:
			nr = table[below(NCALLS)].nr;
		}
		if ((unsigned)nr == HOST_RESERVED_NR || IN(name_of(nr), never))
			continue;
		if (strcmp(name_of(nr), "rt_sigreturn") == 0 && below(32))
			continue;
		/* Ends the child: a new one costs a fork and its set-up. */
		if (strcmp(name_of(nr), "exit_group") == 0 && below(8))
			continue;
		return nr;
	}
}

/* Keel's allocation fault injection (docs/hardening.md): one call in
 * FAILALLOC_ONE_IN has one of its first allocations fail. */
#define PR_KEEL_FAILALLOC 0x4b454c01
#define PR_KEEL_FAILALLOC_FIRED 0x4b454c02
#define FAILALLOC_ONE_IN 8

static void one_call(unsigned long n)
{
	long nr = pick_nr(), a[6];
	const char *name = name_of(nr);
	long fail_nth = below(FAILALLOC_ONE_IN) ? 0 : 1 + (long)below(8);
	long ret;

	scratch_fill();
	for (int i = 0; i < 6; i++)
		a[i] = any_arg();
	shape(name, a);
	/* A new child resumes after this call if it kills this one. */
	shared->rng = rng_state;
	shared->next = n + 1;
	if (n < first_call)
		return; /* generated all the same: the later calls stay */
	if (log_calls)
		udprintf(out_fd, "#%lu %s(%ld) %lx %lx %lx %lx %lx %lx%s%ld\n",
			 n, name, nr, a[0], a[1], a[2], a[3], a[4], a[5],
			 fail_nth ? " failalloc=" : "", fail_nth);
	if (fail_nth)
		sys_call6(nr_of("prctl"), PR_KEEL_FAILALLOC, fail_nth, 0, 0, 0,
			  0);
	ret = sys_call6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (fail_nth)
		sys_call6(nr_of("prctl"), PR_KEEL_FAILALLOC_FIRED, 0, 0, 0, 0,
			  0);
	if (returns_fd(name))
		fd_note(ret);
	if (IN(name, disturb_watchdog))
		watchdog_arm();
}

/* The value of key=N among the arguments, else def. */
static unsigned long option(int argc, char **argv, const char *key,
			    unsigned long def)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (memcmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return (unsigned long)parse_long(argv[i] + n + 1,
							 (long)def);
	return def;
}

static int on_keel(void)
{
	char uts[6 * 65];
	const char *release = uts + 65 * 2;
	size_t n;

	if (sys_call6(nr_of("uname"), (long)uts, 0, 0, 0, 0, 0) != 0)
		return 0;
	n = strlen(release);
	return n >= 5 && strcmp(release + n - 5, "-keel") == 0;
}

static void *map(unsigned long len, int prot)
{
	long p = sys_call6(nr_of("mmap"), 0, (long)len, prot,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p < 0 && p > -4096 ? NULL : (void *)p;
}

/* ---- The racer thread (race=1) ----------------------------------------- */

#define CLONE_THREAD_FLAGS 0x50f00 /* VM FS FILES SIGHAND THREAD SYSVSEM */
#define MAP_FIXED_ 0x10

/* Closes, dup2s, unmaps, maps and protects under the calls' feet, with a
 * random stream of its own, until the child ends (exit_group takes it).
 * It never touches the output fd or the fuzzer's own memory, and runs
 * only raw system calls (no stack beyond its frame). */
static void racer(void *arg)
{
	unsigned long state = (unsigned long)arg, page, z;
	unsigned long alarm_mask = 1ul << (SIGALRM_ - 1);
	long nr_munmap = nr_of("munmap"), nr_mmap = nr_of("mmap");

	/* The watchdog's SIGALRM is for the calls' thread: a wait there
	 * must end, whichever thread the kernel would pick. */
	sys_rt_sigprocmask(SIG_BLOCK, &alarm_mask, NULL, 8);
	for (;;) {
		z = (state += 0x9e3779b97f4a7c15ul);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ul;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebul;
		z ^= z >> 31;
		/* The last 8 pages of the arena are never a start: an
		 * unmap of up to 8 pages stays inside it. */
		page = (z >> 8) % (ARENA_SIZE / PAGE - 8);
		switch (z % 6) {
		case 0:
			if ((long)(3 + (z >> 16) % 64) != out_fd)
				sys_close((int)(3 + (z >> 16) % 64));
			break;
		case 1:
			if ((long)(3 + (z >> 16) % 64) != out_fd)
				sys_dup3((int)(3 + (z >> 24) % 64),
					 (int)(3 + (z >> 16) % 64), 0);
			break;
		case 2:
			sys_call6(nr_munmap, (long)(arena + page * PAGE),
				  (long)(PAGE << (z >> 40) % 4), 0, 0, 0, 0);
			break;
		case 3:
			sys_call6(nr_mmap, (long)(arena + page * PAGE),
				  (long)PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_, -1,
				  0);
			break;
		case 4:
			sys_mprotect((unsigned long)(arena + page * PAGE), PAGE,
				     (z >> 32) % 8);
			break;
		default:
			sys_sched_yield();
		}
	}
}

static void racer_start(unsigned long seed)
{
	racer_stack = map(RACER_STACK, PROT_READ | PROT_WRITE);
	if (!racer_stack)
		return;
	if (thread_spawn(CLONE_THREAD_FLAGS, racer_stack + RACER_STACK, racer,
			 (void *)(seed * 0x2545f4914f6cdd1dul + 1)) < 0)
		racer_stack = NULL;
}

/* ---- The child and its supervisor ------------------------------------ */

/* The fuzzing child: its buffers, fds and watchdog afresh, then the calls
 * from shared->next to calls, drawn from the stream shared->rng left.
 * The fuzzer's own state is in globals and in this frame, which lies
 * below main's: the calls may scribble on main's frame, never on it. */
static __attribute__((noinline, noreturn)) void fuzz_child(unsigned long seed,
							   unsigned long calls,
							   int race)
{
	static const char *const opened[] = { "/dev/null", "/dev/zero", "/",
					      "/tmp" };

	scratch = map((SCRATCH_PAGES + 1) * PAGE, PROT_READ | PROT_WRITE);
	arena = map(ARENA_SIZE, PROT_READ | PROT_WRITE);
	if (!scratch || !arena) {
		udprintf(out_fd, "sysfuzz: no memory for the buffers\n");
		sys_exit_group(2);
	}
	sys_mprotect((unsigned long)scratch + SCRATCH_PAGES * PAGE, PAGE, 0);
	for (unsigned i = 0; i < sizeof(opened) / sizeof(opened[0]); i++)
		fd_note(sys_openat(-100, opened[i], O_RDONLY, 0));
	fd_note(sys_openat(-100, "/tmp/sysfuzz-file", O_RDWR | O_CREAT, 0600));
	watchdog_arm();
	if (race)
		racer_start(seed + shared->next);
	rng_state = shared->rng;
	for (unsigned long n = shared->next; n <= calls; n++) {
		one_call(n);
		if (n % PROGRESS == 0 && n < calls)
			udprintf(out_fd, "sysfuzz: %lu calls\n", n);
	}
	shared->finished = 1;
	sys_exit_group(0);
}

#define NR_CLONE_FORK 17 /* clone(SIGCHLD): fork */
#define MAP_SHARED_ 1
#define DEATHS_WITHOUT_PROGRESS 3

/* Runs the calls in children until one has made the last; says which
 * call killed a child. Returns 0, or 2 when children die before making
 * any call. */
static int supervise(unsigned long seed, unsigned long calls, int race)
{
	unsigned stuck = 0;

	shared->next = 1;
	shared->rng = seed;
	udprintf(out_fd, "sysfuzz: seed %lu, %lu calls, %u in the table\n",
		 seed, calls, (unsigned)NCALLS);
	while (!shared->finished && shared->next <= calls) {
		unsigned long from = shared->next;
		long pid = sys_call6(nr_of("clone"), NR_CLONE_FORK, 0, 0, 0, 0,
				     0);
		int status = 0;

		if (pid == 0)
			fuzz_child(seed, calls, race);
		if (pid < 0) {
			udprintf(out_fd, "sysfuzz: fork: %s\n", errname(pid));
			return 2;
		}
		while (sys_call6(nr_of("wait4"), pid, (long)&status, 0, 0, 0,
				 0) == -4)
			; /* EINTR */
		if (shared->finished)
			break;
		if ((status & 0x7f) == 0)
			udprintf(out_fd, "sysfuzz: call %lu killed the fuzzer "
				 "(exit %d)\n", shared->next - 1,
				 (status >> 8) & 0xff);
		else
			udprintf(out_fd, "sysfuzz: call %lu killed the fuzzer "
				 "(signal %d)\n", shared->next - 1,
				 status & 0x7f);
		stuck = shared->next == from ? stuck + 1 : 0;
		if (stuck >= DEATHS_WITHOUT_PROGRESS) {
			udprintf(out_fd, "sysfuzz: the fuzzer dies before its "
				 "first call\n");
			return 2;
		}
	}
	udprintf(out_fd, "sysfuzz: done, %lu calls, seed %lu\n", calls, seed);
	return 0;
}

int main(int argc, char **argv)
{
	char frame[8192]; /* what calls given a stack pointer scribble on */
	unsigned long seed = option(argc, argv, "seed", 1);
	unsigned long calls = option(argc, argv, "calls", 20000);

	int race = (int)option(argc, argv, "race", 0);

	log_calls = (int)option(argc, argv, "log", 0);
	first_call = option(argc, argv, "from", 1);
	if (!on_keel()) {
		uprintf("sysfuzz: not on Keel: refusing to fuzz this kernel\n");
		return 2;
	}
	/* Its own lines go to a high fd; 0-2 are closed, so no call
	 * reaches the console or waits for its input. */
	out_fd = (int)sys_fcntl(1, F_DUPFD, 100);
	if (out_fd < 0) {
		uprintf("sysfuzz: F_DUPFD: %s\n", errname(out_fd));
		return 2;
	}
	for (int fd = 0; fd < 3; fd++)
		sys_close(fd);
	frame[0] = 0;
	stack_mark = (unsigned long)&frame[sizeof(frame) / 2];
	shared = (struct shared_state *)sys_call6(
		nr_of("mmap"), 0, PAGE, PROT_READ | PROT_WRITE,
		MAP_SHARED_ | MAP_ANONYMOUS, -1, 0);
	if ((long)shared < 0 && (long)shared > -4096) {
		uprintf("sysfuzz: no shared page\n");
		return 2;
	}
	return supervise(seed, calls, race);
}
