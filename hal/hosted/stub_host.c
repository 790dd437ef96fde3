/*
 * User mode on the hosted backend, kernel side. Each address space gets a
 * stub process (stub/), spawned lazily at its first hal_user_run, in
 * which its user code runs: one stub thread per vCPU that runs the space,
 * started on that vCPU's first run, each with its own slot in the shared
 * context area (a memfd; layout and handshake in stub_abi.h). Only vCPU c
 * drives thread c, so hal_user_run needs no lock: it writes the
 * registers into the slot, lets the thread go and waits for its report,
 * which it turns into a HAL trap. Threads of one space on different vCPUs
 * run at once.
 *
 * The fast path: both sides spin for a bounded, adaptive time on the
 * slot's state before they sleep on its futex, and a side wakes the other
 * only if that one sleeps. Spinning is off where it cannot pay: a host
 * with one CPU, and the kernel under Valgrind (which runs one thread at a
 * time). For measurements (docs/hosted-trap.md), $KEEL_HOSTED_SPIN_US sets
 * the longest spin (0: off) and $KEEL_HOSTED_SPIN_SIDES=kernel or stub
 * spins on one side only.
 *
 * Interrupts: when an interrupt is dispatched while this CPU waits for a
 * stub thread, the handler kicks that thread (hosted_user_interrupted,
 * tgkill), which then reports, and hal_user_run returns
 * HAL_TRAP_INTERRUPT. A stub that dies is noticed within STUB_POLL_NS and
 * reported as an exception, never a hang.
 *
 * The mapping-op queue ("TLB") is in stub_tlb.c.
 */
#include "stub_host.h"
#include "../shared/uctx_x86_64.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define HIGH_FD 100             /* fds handed to the stub are kept above
				* this, so dup2 to 3 and 4 cannot clash */
#define MAX_STUBS 1024

/* Spin budgets (µs): the longest spin of either side, and the least a
 * side keeps spinning after misses. */
#define SPIN_MAX_US 20
#define SPIN_MIN_US 1

static char stub_path[PATH_MAX];
static pid_t live_pids[MAX_STUBS]; /* for hal_power_off */
static int phys_fd_high = -1;

static pthread_once_t spin_once = PTHREAD_ONCE_INIT;
/* TSC ticks; 0: do not spin. The stub's own are in the header. */
static uint64_t kernel_spin_max, kernel_spin_min;
static uint64_t stub_spin_max, stub_spin_min;

static void spin_probe(void);

/* ---- Stub binary and process bookkeeping --------------------------------- */

void hosted_stub_set_path(const char *path)
{
	const char *env = getenv("KEEL_STUB");
	char exe[PATH_MAX - 16];
	ssize_t n;
	char *slash;

	/* Here, at boot, while the kernel may still ask the host about
	 * its CPUs (confinement comes later). */
	pthread_once(&spin_once, spin_probe);
	if (path || env) {
		snprintf(stub_path, sizeof(stub_path), "%s", path ? path : env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(stub_path, sizeof(stub_path), "keel-stub");
		return;
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		slash[1] = '\0';
	snprintf(stub_path, sizeof(stub_path), "%skeel-stub",
		 slash ? exe : "");
}

const char *hosted_stub_path(void)
{
	return stub_path;
}

static int live_add(pid_t pid)
{
	for (int i = 0; i < MAX_STUBS; i++) {
		pid_t zero = 0;

		if (__atomic_compare_exchange_n(&live_pids[i], &zero, pid,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return i;
	}
	return -1;
}

void hosted_stub_kill_all(void)
{
	for (int i = 0; i < MAX_STUBS; i++) {
		pid_t pid = __atomic_load_n(&live_pids[i], __ATOMIC_SEQ_CST);

		if (pid > 0)
			kill(pid, SIGKILL);
	}
}

/* Marks s dead (it is reaped or being killed). */
static void stub_reaped(struct hosted_stub *s)
{
	__atomic_store_n(&s->dead, true, __ATOMIC_SEQ_CST);
	if (s->slot >= 0)
		__atomic_store_n(&live_pids[s->slot], 0, __ATOMIC_SEQ_CST);
	s->slot = -1;
}

static void stub_kill(struct hosted_stub *s)
{
	if (s->pid <= 0 || __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
		return;
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, __WALL) < 0 && errno == EINTR)
		;
	stub_reaped(s);
}

bool stub_alive(struct hosted_stub *s)
{
	int status;
	pid_t r;

	if (__atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
		return false;
	r = waitpid(s->pid, &status, WNOHANG | __WALL);
	if (r == 0 || (r < 0 && errno == EINTR))
		return true;
	if (r == s->pid) {
		char msg[120];

		snprintf(msg, sizeof(msg),
			 "keel: stub %d died (%s %d)\n", (int)s->pid,
			 WIFSIGNALED(status) ? "signal" : "exit",
			 WIFSIGNALED(status) ? WTERMSIG(status) :
					       WEXITSTATUS(status));
		hal_console_write(msg, strlen(msg));
	}
	stub_reaped(s);
	return false;
}

/* ---- Spinning ------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* TSC ticks per microsecond, measured against CLOCK_MONOTONIC. */
static uint64_t tsc_per_us(void)
{
	uint64_t t0 = now_ns(), c0 = stub_rdtsc(), t1, c1;

	do
		t1 = now_ns();
	while (t1 - t0 < 200000);
	c1 = stub_rdtsc();
	return (c1 - c0) * 1000 / (t1 - t0);
}

uint64_t stub_kernel_spin(void)
{
	return kernel_spin_max;
}

static void spin_budgets(void)
{
	const char *env = getenv("KEEL_HOSTED_SPIN_US");
	const char *sides = getenv("KEEL_HOSTED_SPIN_SIDES");
	long max_us = env ? strtol(env, NULL, 10) : SPIN_MAX_US;
	cpu_set_t cpus;
	uint64_t per_us, max, min;

	/* Valgrind runs one thread at a time: the peer cannot answer while
	 * we spin. One host CPU: neither can it. */
	if (RUNNING_ON_VALGRIND || max_us <= 0)
		return;
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 &&
	    CPU_COUNT(&cpus) < 2)
		return;
	per_us = tsc_per_us();
	max = per_us * (uint64_t)max_us;
	min = per_us * (max_us < SPIN_MIN_US ? max_us : SPIN_MIN_US);
	if (!sides || strcmp(sides, "stub") != 0) {
		kernel_spin_max = max;
		kernel_spin_min = min;
	}
	if (!sides || strcmp(sides, "kernel") != 0) {
		stub_spin_max = max;
		stub_spin_min = min;
	}
}

static void spin_probe(void)
{
	spin_budgets();
	stub_place_probe(kernel_spin_max && stub_spin_max);
}

/* ---- The handshake ------------------------------------------------------- */

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Waits for t's report: spins, then sleeps (re-checking every
 * STUB_POLL_NS that the stub lives). False if it died instead. */
static bool stub_wait_report(struct hosted_stub *s, struct stub_thread *t)
{
	struct stub_slot *sl = t->sl;
	struct timespec poll = { 0, STUB_POLL_NS };
	uint64_t took;
	bool same_cpu = __atomic_load_n(&sl->stub_cpu, __ATOMIC_RELAXED) ==
			stub_host_cpu();
	int spun = stub_spin_until(&sl->state, STUB_REPORTED,
				   same_cpu ? 0 : t->spin, &took);
	bool ok = true;

	t->spin = stub_spin_next(t->spin, spun, took, kernel_spin_min,
				 kernel_spin_max, &t->spin_waits);
	if (spun)
		return true;
	__atomic_store_n(&sl->kernel_sleeps, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		uint32_t v = __atomic_load_n(&sl->state, __ATOMIC_SEQ_CST);

		if (v == STUB_REPORTED)
			break;
		/* Timed out or interrupted: the stub may have died. */
		if (syscall(SYS_futex, &sl->state, FUTEX_WAIT, v, &poll, NULL,
			    0) != 0 &&
		    errno != EAGAIN && !stub_alive(s)) {
			ok = false;
			break;
		}
	}
	__atomic_store_n(&sl->kernel_sleeps, 0, __ATOMIC_SEQ_CST);
	return ok;
}

/* Lets t go; it owns its slot until its next report. */
static void stub_go(struct stub_thread *t)
{
	struct stub_slot *sl = t->sl;

	__atomic_store_n(&sl->kernel_cpu, stub_host_cpu(), __ATOMIC_RELAXED);
	__atomic_store_n(&sl->state, STUB_GO, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sl->stub_sleeps, __ATOMIC_SEQ_CST))
		futex_wake(&sl->state);
}

/* Lets t go and waits for its report; false if the stub died. */
static bool stub_round_trip(struct hosted_stub *s, struct stub_thread *t)
{
	stub_go(t);
	return stub_wait_report(s, t);
}

/* ---- Spawning ------------------------------------------------------------ */

static int fd_above(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
}

/* Creates the context area of s (its memfd in *fd); 0 or -errno. */
static int stub_make_area(struct hosted_stub *s, int *fd)
{
	int raw = memfd_create("keel-stub-ctx", MFD_CLOEXEC);
	void *p;

	if (raw < 0)
		return hosted_errno(errno);
	*fd = fd_above(raw);
	close(raw);
	if (*fd < 0)
		return hosted_errno(errno);
	if (ftruncate(*fd, STUB_MAP_OFF + STUB_MAP_SIZE) != 0)
		return hosted_errno(errno);
	p = mmap(NULL, STUB_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, *fd,
		 STUB_MAP_OFF);
	if (p == MAP_FAILED)
		return hosted_errno(errno);
	s->map = p;
	s->req = stub_map_req(p);
	s->done = stub_map_done(p);
	p = mmap(NULL, STUB_CTX_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, *fd,
		 0);
	if (p == MAP_FAILED)
		return hosted_errno(errno);
	s->area = p;
	s->hdr = stub_hdr(p);
	s->hdr->fpu_size = x86_uctx_machine()->fpu_size;
	s->hdr->fpu_features = x86_uctx_machine()->features;
	pthread_once(&spin_once, spin_probe);
	s->hdr->spin_max = stub_spin_max;
	s->hdr->spin_min = stub_spin_min;
	s->req->spin = stub_spin_max;
	for (unsigned i = 0; i < STUB_SLOTS; i++)
		s->th[i].sl = stub_slot(p, i);
	return 0;
}

/* The stub path and the high copy of the physical-memory fd, made once
 * by whichever vCPU spawns first. */
static pthread_mutex_t spawn_setup_lock = PTHREAD_MUTEX_INITIALIZER;

static int stub_spawn_setup(void)
{
	int r = 0;

	pthread_mutex_lock(&spawn_setup_lock);
	if (!stub_path[0])
		hosted_stub_set_path(NULL);
	if (phys_fd_high < 0)
		phys_fd_high = fd_above(hosted_phys_fd());
	if (phys_fd_high < 0)
		r = hosted_errno(errno);
	pthread_mutex_unlock(&spawn_setup_lock);
	return r;
}

/* Starts the stub process of s (its threads come later); -errno. */
static int stub_spawn(struct hosted_stub *s)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	char parent[24];
	char *argv[] = { stub_path, parent, NULL };
	char *envp[] = { NULL };
	int r = stub_spawn_setup(), fd = -1;

	if (r)
		return r;
	r = stub_make_area(s, &fd);
	if (r) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	snprintf(parent, sizeof(parent), "%d", (int)getpid());
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, STUB_CTX_FD);
	posix_spawn_file_actions_adddup2(&fa, phys_fd_high, STUB_PHYS_FD);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	if (hosted_launcher_active()) /* confined: no exec of our own */
		r = hosted_launcher_spawn(fd, &s->pid);
	else
		r = posix_spawn(&s->pid, stub_path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	/* The mapping keeps the area: no fd per address space. */
	close(fd);
	if (r) {
		char msg[PATH_MAX + 64];

		snprintf(msg, sizeof(msg), "keel: cannot start stub %s: %s\n",
			 stub_path, strerror(r));
		hal_console_write(msg, strlen(msg));
		s->pid = 0;
		return hosted_errno(r);
	}
	s->slot = live_add(s->pid);
	return 0;
}

/* The stub process exists (spawned by whichever vCPU came first); false
 * if it cannot run user code. */
static bool stub_ready(struct hosted_stub *s)
{
	bool ok;

	if (__atomic_load_n(&s->pid, __ATOMIC_ACQUIRE) > 0)
		return !__atomic_load_n(&s->dead, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&s->spawn_lock);
	ok = s->pid > 0 || (!s->dead && stub_spawn(s) == 0);
	if (!ok)
		s->dead = true; /* a failed spawn is not retried */
	pthread_mutex_unlock(&s->spawn_lock);
	return ok && !__atomic_load_n(&s->dead, __ATOMIC_SEQ_CST);
}

/* Has the stub's main thread start thread c and waits for its first
 * report. */
static bool thread_start(struct hosted_stub *s, unsigned c)
{
	struct stub_thread *t = &s->th[c];

	__atomic_or_fetch(&s->hdr->start_req, 1u << c, __ATOMIC_SEQ_CST);
	futex_wake(&s->hdr->start_req);
	if (!stub_wait_report(s, t))
		return false;
	t->tid = __atomic_load_n(&t->sl->tid, __ATOMIC_SEQ_CST);
	/* The slot is writable by the process's other user threads, and the
	 * tid goes to sched_setaffinity (stub_place.c): keep it only if it
	 * is a thread of this stub, else the placement stays off for it. */
	if (t->tid <= 0 || syscall(SYS_tgkill, s->pid, t->tid, 0) != 0)
		t->tid = 0;
	t->started = true;
	return true;
}

/* ---- The pool of idle stubs ---------------------------------------------- */

/*
 * A destroyed address space leaves its stub here, scrubbed (nothing
 * mapped below HAL_USER_VA_MAX), for the next hal_as_init: execve and a
 * fork after an exit reuse a process instead of spawning one (posix_spawn
 * and the stub's start cost about a millisecond). Spinlock: hal_as_init
 * and hal_as_destroy may be called with the core's locks held.
 */
#define POOL_MAX 4
static struct hosted_stub *pool[POOL_MAX];
static unsigned pool_n;
static int pool_lock;

static void pool_lock_take(void)
{
	while (__atomic_exchange_n(&pool_lock, 1, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
}

static void pool_lock_drop(void)
{
	__atomic_store_n(&pool_lock, 0, __ATOMIC_RELEASE);
}

static void stub_free(struct hosted_stub *s)
{
	stub_kill(s);
	if (s->area)
		munmap(s->area, STUB_CTX_SIZE);
	if (s->map)
		munmap(s->map, STUB_MAP_SIZE);
	pthread_mutex_destroy(&s->spawn_lock);
	free(s->q);
	free(s);
}

/* A live pooled stub, ready for a new space; NULL if there is none. */
static struct hosted_stub *pool_take(void)
{
	for (;;) {
		struct hosted_stub *s = NULL;

		pool_lock_take();
		if (pool_n)
			s = pool[--pool_n];
		pool_lock_drop();
		if (!s || stub_alive(s)) {
			if (s)
				memset(&s->calls, 0, sizeof(s->calls));
			return s;
		}
		stub_free(s); /* it died while idle */
	}
}

void hosted_stub_pool_drain(void)
{
	struct hosted_stub *s;

	for (;;) {
		pool_lock_take();
		s = pool_n ? pool[--pool_n] : NULL;
		pool_lock_drop();
		if (!s)
			return;
		stub_free(s);
	}
}

/* Scrubs s (its mapper unmaps all of user space) and pools it; false
 * if it cannot be reused (never started, dead, no room). */
static bool pool_put(struct hosted_stub *s)
{
	bool pooled = false;

	if (s->pid <= 0 || __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
		return false;
	if (__atomic_load_n(&pool_n, __ATOMIC_RELAXED) >= POOL_MAX ||
	    !stub_scrub(s))
		return false;
	pool_lock_take();
	if (pool_n < POOL_MAX) {
		pool[pool_n++] = s;
		pooled = true;
	}
	pool_lock_drop();
	return pooled;
}

/* ---- Address spaces ------------------------------------------------------ */

int hal_as_init(struct hal_as *as, hal_paddr_t root)
{
	struct hosted_stub *s = pool_take();

	as->root = root;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			as->stub = NULL;
			return hosted_errno(ENOMEM);
		}
		s->slot = -1;
		pthread_mutex_init(&s->spawn_lock, NULL);
	}
	as->stub = s;
	return 0;
}

/* The stub is killed, or scrubbed and kept for the next space; either
 * way no host mapping of as is left when this returns (the core frees
 * the frames next). */
void hal_as_destroy(struct hal_as *as)
{
	struct hosted_stub *s = as->stub;

	if (!s)
		return;
	as->stub = NULL;
	if (!pool_put(s))
		stub_free(s);
}

pid_t hosted_stub_pid(const struct hal_as *as)
{
	const struct hosted_stub *s = as->stub;

	if (!s)
		return 0;
	return __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST) ? -1 : s->pid;
}

pid_t hosted_stub_thread_tid(const struct hal_as *as, unsigned cpu)
{
	const struct hosted_stub *s = as->stub;

	if (!s || cpu >= STUB_SLOTS || !s->th[cpu].started)
		return 0;
	return s->th[cpu].sl->tid;
}

/* ---- Running user code --------------------------------------------------- */

void hosted_user_interrupted(void)
{
	struct hosted_cpu *c = hosted_cpu_self();
	pid_t tid;

	__atomic_store_n(&c->user_kicked, 1, __ATOMIC_SEQ_CST);
	tid = __atomic_load_n(&c->user_tid, __ATOMIC_SEQ_CST);
	if (tid > 0)
		syscall(SYS_tgkill, __atomic_load_n(&c->user_pid,
						    __ATOMIC_SEQ_CST),
			tid, STUB_SIG_KICK);
}

static unsigned fault_access(uint64_t err)
{
	if (err & (1u << 4))
		return HAL_ACCESS_EXEC;
	if (err & (1u << 1))
		return HAL_ACCESS_WRITE;
	return HAL_ACCESS_READ;
}

/* An exception as the host reported it: Linux's own si_code, si_addr,
 * trap number and error code, which are what Keel reports too. */
static enum hal_trap exception(const struct stub_slot *sl,
			       struct hal_trap_info *info, enum hal_exception e)
{
	info->exception = e;
	info->addr = (uintptr_t)sl->addr;
	info->code = sl->code;
	info->trapno = (unsigned)sl->trapno;
	info->error = sl->err;
	return HAL_TRAP_EXCEPTION;
}

/* The stub cannot run user code (dead, failed to map or to spawn). */
static enum hal_trap backend_failure(struct hal_trap_info *info)
{
	info->exception = HAL_EXC_PROTECTION;
	info->code = HAL_SI_KERNEL;
	return HAL_TRAP_EXCEPTION;
}

#define X86_TRAP_GP 13
#define INT80_GP_ERROR ((0x80 << 3) | 2) /* #GP on IDT entry 0x80 */

static enum hal_trap decode_fpe(const struct stub_slot *sl,
				struct hal_trap_info *info)
{
	return exception(sl, info, sl->code == FPE_INTDIV ||
			 sl->code == FPE_INTOVF ? HAL_EXC_DIVIDE :
			 HAL_EXC_FPU);
}

/* Turns the thread's report (a signal in user code) into a HAL trap. */
static enum hal_trap decode_report(const struct stub_slot *sl,
				   struct hal_uctx *ctx,
				   struct hal_trap_info *info)
{
	x86_uctx_trapped(ctx, false);
	switch (sl->signo) {
	case SIGSYS:
		if (sl->arch == AUDIT_ARCH_X86_64) {
			ctx->rax = (uint64_t)sl->sysnr;
			x86_uctx_trapped(ctx, true);
			return HAL_TRAP_SYSCALL;
		}
		/* A 32-bit int $0x80 call. Keel has no IA-32 system calls;
		 * like x86_64 bare metal (and Linux without IA-32 emulation)
		 * it is the #GP of that IDT entry: SIGSEGV, SI_KERNEL. */
		info->exception = HAL_EXC_PROTECTION;
		info->code = HAL_SI_KERNEL;
		info->trapno = X86_TRAP_GP;
		info->error = INT80_GP_ERROR;
		return HAL_TRAP_EXCEPTION;
	case SIGSEGV:
		if (sl->code == SI_KERNEL) /* #GP: privileged instruction,
					    * non-canonical address */
			return exception(sl, info, HAL_EXC_PROTECTION);
		info->addr = (uintptr_t)sl->addr;
		info->access = fault_access(sl->err);
		info->trapno = (unsigned)sl->trapno;
		info->error = sl->err;
		return HAL_TRAP_PAGE_FAULT;
	case SIGBUS:
		return exception(sl, info, sl->code == BUS_ADRALN ?
				 HAL_EXC_ALIGN : HAL_EXC_PROTECTION);
	case SIGILL:
		return exception(sl, info, HAL_EXC_ILLEGAL);
	case SIGFPE:
		return decode_fpe(sl, info);
	case SIGTRAP:
		return exception(sl, info, HAL_EXC_BREAKPOINT);
	case STUB_SIG_KICK:
	default:
		return HAL_TRAP_INTERRUPT;
	}
}

/* The bytes of a context the stub reads and writes: the registers and
 * the FP state the kernel keeps (the rest of the 4 KiB area is unused),
 * so that a trap copies ~3 KiB less with AVX-512. */
static size_t uctx_used(void)
{
	return offsetof(struct hal_uctx, fpu) + x86_uctx_machine()->fpu_size;
}

/* One round trip of ctx through thread t (this vCPU's, claimed). */
static enum hal_trap run_on_thread(struct hosted_stub *s, unsigned cpu,
				   struct hal_uctx *ctx,
				   struct hal_trap_info *info)
{
	struct hosted_cpu *c = hosted_cpu_self();
	struct stub_thread *t = &s->th[cpu];
	enum hal_trap trap = HAL_TRAP_INTERRUPT;
	bool ok = true;

	if (!stub_ready(s) || (!t->started && !thread_start(s, cpu)))
		return backend_failure(info);
	/* In user mode from here on, for hal_tlb_flush: set before the
	 * queue is read (stub_apply_ops), so a flush either sees this bit or
	 * its ops are applied by this run. */
	__atomic_or_fetch(&s->in_user, 1u << cpu, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->user_pid, s->pid, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->user_tid, t->sl->tid, __ATOMIC_SEQ_CST);
	/* An interrupt that came before the stub could be kicked ends the
	 * run here, before ops are handed to the thread. */
	if (!__atomic_load_n(&c->user_kicked, __ATOMIC_SEQ_CST)) {
		ok = stub_apply_ops(s);
		if (ok) {
			x86_uctx_sanitise(ctx);
			memcpy(&t->sl->regs, ctx, uctx_used());
			stub_place_before_run(t);
			ok = stub_round_trip(s, t);
		}
		if (ok) {
			stub_place_after_run(t);
			memcpy(ctx, &t->sl->regs, uctx_used());
			trap = decode_report(t->sl, ctx, info);
		}
	}
	__atomic_store_n(&c->user_tid, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->user_pid, 0, __ATOMIC_SEQ_CST);
	__atomic_and_fetch(&s->in_user, ~(1u << cpu), __ATOMIC_SEQ_CST);
	return ok ? trap : backend_failure(info);
}

/*
 * The kick flag is cleared with interrupts off; interrupts are then
 * enabled for the run, and every interrupt dispatched from there on,
 * including one that was pending because the caller had disabled them
 * (irq_replay), sets the flag or kicks the stub thread: none is lost.
 */
enum hal_trap hal_user_run(struct hal_uctx *ctx, struct hal_as *as,
			   struct hal_trap_info *info)
{
	struct hosted_stub *s = as->stub;
	unsigned long irq = hal_irq_save();
	unsigned cpu = hal_cpu_id();
	enum hal_trap trap;

	memset(info, 0, sizeof(*info));
	/* From here on, an interrupt means "return HAL_TRAP_INTERRUPT"
	 * (even one during the spawn or the hand-over, which can be slow). */
	__atomic_store_n(&hosted_cpu_self()->user_kicked, 0, __ATOMIC_SEQ_CST);
	hal_irq_enable();
	if (cpu >= STUB_SLOTS ||
	    __atomic_exchange_n(&s->th[cpu].busy, 1, __ATOMIC_ACQUIRE)) {
		hosted_die_write("keel: two user runs on one vCPU's stub "
				 "thread\n");
		abort(); /* a HAL bug: one vCPU runs one thing at a time */
	}
	trap = run_on_thread(s, cpu, ctx, info);
	__atomic_store_n(&s->th[cpu].busy, 0, __ATOMIC_RELEASE);
	hal_irq_restore(irq);
	return trap;
}
