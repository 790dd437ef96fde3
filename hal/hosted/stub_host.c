/*
 * User mode on the hosted backend, kernel side. Each address space gets a
 * stub process (stub/stub.c), spawned lazily at its first hal_user_run, in
 * which its user code runs. The kernel and the stub share a context page
 * (a memfd; layout and handshake in stub_abi.h): hal_user_run writes the
 * registers and the queued mapping operations there, wakes the stub with a
 * futex and waits for its report, which it turns into a HAL trap.
 *
 * The "TLB": hal_tlb_update/invalidate queue mmap/munmap operations for
 * the stub (coalesced where pages are contiguous in both virtual and
 * physical addresses); they reach the stub before it next runs user code.
 * hal_tlb_flush makes that "before the core frees a frame": if another
 * vCPU is running the stub's user code, it kicks the stub out and waits
 * until the queue has been handed over (or nobody runs the stub).
 *
 * Interrupts: when an interrupt is dispatched while this CPU waits for a
 * stub, the handler kicks the stub (hosted_user_interrupted), which then
 * reports, and hal_user_run returns HAL_TRAP_INTERRUPT. A stub that dies
 * is noticed within STUB_POLL_NS and reported as an exception, never a
 * hang.
 */
#include "hosted.h"
#include "stub_abi.h"
#include "../shared/uctx_x86_64.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define STUB_POLL_NS 50000000l /* how often a waiting kernel checks the
				* stub is alive */
#define HIGH_FD 100             /* fds handed to the stub are kept above
				* this, so dup2 to 3 and 4 cannot clash */
#define MAX_STUBS 1024

struct hosted_stub {
	pid_t pid;                /* 0: not spawned yet */
	bool dead;                /* the process is gone (and reaped) */
	bool broken;              /* a mapping op failed: user memory is
				   * not what the core believes */
	int ctx_fd;               /* the page's memfd, until the spawn */
	struct stub_shared *sh;   /* the context page, kernel mapping */
	pthread_mutex_t run_lock; /* one vCPU drives the stub at a time */
	int queue_lock;           /* spinlock for the op queue */
	struct stub_op *q;        /* ops not yet handed to the stub */
	size_t nq, capq;
	uint64_t queued;          /* ops ever queued (queue_lock) */
	uint64_t handed;          /* of those, ops in the context page or
				   * applied: the stub applies them before
				   * it runs user code (queue_lock) */
	struct hosted_tlb_calls calls; /* for tests (queue_lock) */
	int slot;                 /* index in live_pids, or -1 */
};

static char stub_path[PATH_MAX];
static pid_t live_pids[MAX_STUBS]; /* for hal_power_off */
static int phys_fd_high = -1;

/* ---- Stub binary and process bookkeeping --------------------------------- */

void hosted_stub_set_path(const char *path)
{
	const char *env = getenv("KEEL_STUB");
	char exe[PATH_MAX - 16];
	ssize_t n;
	char *slash;

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

/* Marks s dead and reaps it; status is from waitpid when known. */
static void stub_reaped(struct hosted_stub *s)
{
	s->dead = true;
	if (s->slot >= 0)
		__atomic_store_n(&live_pids[s->slot], 0, __ATOMIC_SEQ_CST);
	s->slot = -1;
}

static void stub_kill(struct hosted_stub *s)
{
	if (s->pid <= 0 || s->dead)
		return;
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, NULL, __WALL) < 0 && errno == EINTR)
		;
	stub_reaped(s);
}

/* ---- Futex handshake ----------------------------------------------------- */

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Is the stub still alive? Reaps it if not. */
static bool stub_alive(struct hosted_stub *s)
{
	int status;
	pid_t r;

	if (s->dead)
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

/* Waits for the stub's report; false if it died instead. */
static bool stub_wait_report(struct hosted_stub *s)
{
	struct timespec poll = { 0, STUB_POLL_NS };

	for (;;) {
		uint32_t v = __atomic_load_n(&s->sh->state, __ATOMIC_SEQ_CST);

		if (v == STUB_REPORTED)
			return true;
		/* Timed out or interrupted: the stub may have died. */
		if (syscall(SYS_futex, &s->sh->state, FUTEX_WAIT, v, &poll,
			    NULL, 0) != 0 &&
		    errno != EAGAIN && !stub_alive(s))
			return false;
	}
}

/* Lets the stub go with cmd; it owns the page until its next report. */
static void stub_go(struct hosted_stub *s, enum stub_cmd cmd)
{
	s->sh->cmd = cmd;
	__atomic_store_n(&s->sh->state, STUB_GO, __ATOMIC_SEQ_CST);
	futex_wake(&s->sh->state);
}

/* ---- Spawning ------------------------------------------------------------ */

static int fd_above(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
}

/* Creates the context page of s; 0 or -errno. */
static int stub_make_page(struct hosted_stub *s)
{
	int fd = memfd_create("keel-stub-ctx", MFD_CLOEXEC);
	void *p;

	if (fd < 0)
		return hosted_errno(errno);
	s->ctx_fd = fd_above(fd);
	close(fd);
	if (s->ctx_fd < 0)
		return hosted_errno(errno);
	if (ftruncate(s->ctx_fd, STUB_CTX_SIZE) != 0)
		return hosted_errno(errno);
	p = mmap(NULL, STUB_CTX_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 s->ctx_fd, 0);
	if (p == MAP_FAILED)
		return hosted_errno(errno);
	s->sh = p;
	s->sh->fpu_size = x86_uctx_machine()->fpu_size;
	s->sh->fpu_features = x86_uctx_machine()->features;
	return 0;
}

/* Starts the stub process of s and waits until it is ready; -errno. */
static int stub_spawn(struct hosted_stub *s)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	char parent[24];
	char *argv[] = { stub_path, parent, NULL };
	char *envp[] = { NULL };
	int r;

	if (!stub_path[0])
		hosted_stub_set_path(NULL);
	if (phys_fd_high < 0)
		phys_fd_high = fd_above(hosted_phys_fd());
	if (phys_fd_high < 0)
		return hosted_errno(errno);
	r = stub_make_page(s);
	if (r)
		return r;
	snprintf(parent, sizeof(parent), "%d", (int)getpid());
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, s->ctx_fd, STUB_CTX_FD);
	posix_spawn_file_actions_adddup2(&fa, phys_fd_high, STUB_PHYS_FD);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	if (hosted_launcher_active()) /* confined: no exec of our own */
		r = hosted_launcher_spawn(s->ctx_fd, &s->pid);
	else
		r = posix_spawn(&s->pid, stub_path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	/* The mapping keeps the page: no fd per address space. */
	close(s->ctx_fd);
	s->ctx_fd = -1;
	if (r) {
		char msg[PATH_MAX + 64];

		snprintf(msg, sizeof(msg), "keel: cannot start stub %s: %s\n",
			 stub_path, strerror(r));
		hal_console_write(msg, strlen(msg));
		s->pid = 0;
		return hosted_errno(r);
	}
	s->slot = live_add(s->pid);
	if (!stub_wait_report(s))
		return hosted_errno(ECHILD);
	return 0;
}

/* ---- Address spaces and the op queue ------------------------------------- */

int hal_as_init(struct hal_as *as, hal_paddr_t root)
{
	struct hosted_stub *s = calloc(1, sizeof(*s));

	as->root = root;
	as->stub = s;
	if (!s)
		return hosted_errno(ENOMEM);
	s->ctx_fd = -1;
	s->slot = -1;
	pthread_mutex_init(&s->run_lock, NULL);
	return 0;
}

void hal_as_destroy(struct hal_as *as)
{
	struct hosted_stub *s = as->stub;

	if (!s)
		return;
	stub_kill(s);
	if (s->sh)
		munmap(s->sh, STUB_CTX_SIZE);
	if (s->ctx_fd >= 0)
		close(s->ctx_fd);
	pthread_mutex_destroy(&s->run_lock);
	free(s->q);
	free(s);
	as->stub = NULL;
}

void hosted_tlb_calls(const struct hal_as *as, struct hosted_tlb_calls *out)
{
	struct hosted_stub *s = as->stub;

	out->updates = __atomic_load_n(&s->calls.updates, __ATOMIC_RELAXED);
	out->invalidates =
		__atomic_load_n(&s->calls.invalidates, __ATOMIC_RELAXED);
	out->flushes = __atomic_load_n(&s->calls.flushes, __ATOMIC_RELAXED);
}

pid_t hosted_stub_pid(const struct hal_as *as)
{
	const struct hosted_stub *s = as->stub;

	if (!s)
		return 0;
	return s->dead ? -1 : s->pid;
}

static void queue_lock(struct hosted_stub *s)
{
	while (__atomic_exchange_n(&s->queue_lock, 1, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
}

static void queue_unlock(struct hosted_stub *s)
{
	__atomic_store_n(&s->queue_lock, 0, __ATOMIC_RELEASE);
}

/* Can op extend the last queued op (same kind and prot, contiguous)? */
static bool queue_merge(struct hosted_stub *s, const struct stub_op *op)
{
	struct stub_op *last = s->nq ? &s->q[s->nq - 1] : NULL;

	if (!last || last->kind != op->kind || last->prot != op->prot ||
	    last->va + last->len != op->va)
		return false;
	if (op->kind == STUB_OP_MAP && last->pa + last->len != op->pa)
		return false;
	last->len += op->len;
	return true;
}

static bool stub_flush_ops(struct hosted_stub *s);
static bool stub_sync(struct hosted_stub *s);

/*
 * Queues op for the stub. Once a context page's worth of ops is waiting
 * and the stub is idle, they are applied now (a round trip) rather than
 * letting the queue grow. Running out of memory for the queue stops the
 * machine: a lost TLB update would corrupt user memory silently.
 */
static void queue_op(struct hosted_stub *s, const struct stub_op *op)
{
	bool full;

	queue_lock(s);
	s->queued++;
	if (!queue_merge(s, op)) {
		if (s->nq == s->capq) {
			size_t cap = s->capq ? s->capq * 2 : 64;
			struct stub_op *q = realloc(s->q, cap * sizeof(*q));

			if (!q) {
				queue_unlock(s);
				hosted_die_write("keel: no TLB op memory\n");
				abort();
			}
			s->q = q;
			s->capq = cap;
		}
		s->q[s->nq++] = *op;
	}
	full = s->nq >= STUB_MAX_OPS;
	queue_unlock(s);
	if (full && s->pid > 0 && !s->dead &&
	    pthread_mutex_trylock(&s->run_lock) == 0) {
		/* A failure makes the next hal_user_run an exception. */
		if (stub_flush_ops(s) && s->sh->nops)
			stub_sync(s);
		pthread_mutex_unlock(&s->run_lock);
	}
}

static uint32_t host_prot(unsigned prot)
{
	uint32_t p = 0;

	if (prot & HAL_PROT_READ)
		p |= PROT_READ;
	if (prot & HAL_PROT_WRITE)
		p |= PROT_WRITE;
	if (prot & HAL_PROT_EXEC)
		p |= PROT_EXEC;
	return p;
}

void hal_tlb_update(struct hal_as *as, uintptr_t va, hal_paddr_t pa,
		    unsigned prot)
{
	struct stub_op op = {
		.va = va & ~(HAL_PAGE_SIZE - 1), .len = HAL_PAGE_SIZE,
		.pa = pa & ~(HAL_PAGE_SIZE - 1), .kind = STUB_OP_MAP,
		.prot = host_prot(prot),
	};

	if (op.va >= HAL_USER_VA_MAX || op.pa >= hosted_phys_size())
		abort(); /* a core bug: never a user-mode consequence */
	__atomic_fetch_add(&as->stub->calls.updates, 1, __ATOMIC_RELAXED);
	queue_op(as->stub, &op);
}

void hal_tlb_invalidate(struct hal_as *as, uintptr_t va, size_t len)
{
	struct stub_op op = { .kind = STUB_OP_UNMAP };
	uintptr_t end = (va + len + HAL_PAGE_SIZE - 1) & ~(HAL_PAGE_SIZE - 1);

	op.va = va & ~(HAL_PAGE_SIZE - 1);
	if (end > HAL_USER_VA_MAX)
		end = HAL_USER_VA_MAX;
	if (end <= op.va)
		return;
	op.len = end - op.va;
	__atomic_fetch_add(&as->stub->calls.invalidates, 1, __ATOMIC_RELAXED);
	queue_op(as->stub, &op);
}

/* Has every op queued up to target reached the context page? */
static bool ops_handed(struct hosted_stub *s, uint64_t target)
{
	bool done;

	queue_lock(s);
	done = s->handed >= target;
	queue_unlock(s);
	return done;
}

/*
 * Waits until the stub cannot run user code on translations queued for
 * removal: either nobody drives it (the next hal_user_run hands the queue
 * over first), or the vCPU that does has handed the queue over since. A
 * stub running user code is kicked out of it (a kick that arrives while it
 * waits stays pending and stops it at once when it resumes). Waiting here
 * with the core's lock held cannot deadlock: the vCPU running the stub
 * needs nothing but the stub to give it back.
 */
void hal_tlb_flush(struct hal_as *as)
{
	struct hosted_stub *s = as->stub;
	uint64_t target;
	unsigned spins = 0;

	if (!s)
		return;
	__atomic_fetch_add(&s->calls.flushes, 1, __ATOMIC_RELAXED);
	if (s->pid <= 0 || s->dead)
		return; /* never started, or gone: no user code runs */
	queue_lock(s);
	target = s->queued;
	queue_unlock(s);
	for (;;) {
		if (pthread_mutex_trylock(&s->run_lock) == 0) {
			pthread_mutex_unlock(&s->run_lock);
			return;
		}
		if (ops_handed(s, target))
			return;
		if (spins++ % 1024 == 0)
			kill(s->pid, STUB_SIG_KICK);
		sched_yield();
	}
}

/* Did the stub fail an op? Prints it and marks the stub broken. */
static bool stub_ops_failed(struct hosted_stub *s)
{
	struct stub_shared *sh = s->sh;
	char msg[120];

	if (!sh->op_err)
		return s->broken;
	snprintf(msg, sizeof(msg),
		 "keel: stub could not map 0x%llx: errno %lld\n",
		 (unsigned long long)sh->op_va, (long long)-sh->op_err);
	hal_console_write(msg, strlen(msg));
	sh->op_err = 0;
	s->broken = true;
	return true;
}

/* Has the (waiting) stub apply the ops in the context page now. */
static bool stub_sync(struct hosted_stub *s)
{
	stub_go(s, STUB_CMD_SYNC);
	return stub_wait_report(s) && !stub_ops_failed(s);
}

/*
 * Moves queued ops into the context page (the stub must be waiting),
 * with SYNC round trips while they do not fit. Returns false if the stub
 * died or failed an op (the failure is printed).
 */
static bool stub_flush_ops(struct hosted_stub *s)
{
	struct stub_shared *sh = s->sh;

	for (;;) {
		size_t n;

		queue_lock(s);
		n = s->nq;
		if (n > STUB_MAX_OPS - sh->nops)
			n = STUB_MAX_OPS - sh->nops;
		memcpy(&sh->ops[sh->nops], s->q, n * sizeof(*s->q));
		sh->nops += (uint32_t)n;
		memmove(s->q, s->q + n, (s->nq - n) * sizeof(*s->q));
		s->nq -= n;
		n = s->nq;
		if (n == 0)
			s->handed = s->queued;
		queue_unlock(s);
		if (n == 0)
			return !stub_ops_failed(s);
		if (!stub_sync(s))
			return false;
	}
}

/* ---- Running user code --------------------------------------------------- */

void hosted_user_interrupted(void)
{
	struct hosted_cpu *c = hosted_cpu_self();
	pid_t pid;

	__atomic_store_n(&c->user_kicked, 1, __ATOMIC_SEQ_CST);
	pid = __atomic_load_n(&c->user_pid, __ATOMIC_SEQ_CST);
	if (pid > 0)
		kill(pid, STUB_SIG_KICK);
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
static enum hal_trap exception(const struct stub_shared *sh,
			       struct hal_trap_info *info, enum hal_exception e)
{
	info->exception = e;
	info->addr = (uintptr_t)sh->addr;
	info->code = sh->code;
	info->trapno = (unsigned)sh->trapno;
	info->error = sh->err;
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

static enum hal_trap decode_fpe(const struct stub_shared *sh,
				struct hal_trap_info *info)
{
	return exception(sh, info, sh->code == FPE_INTDIV ||
			 sh->code == FPE_INTOVF ? HAL_EXC_DIVIDE :
			 HAL_EXC_FPU);
}

/* Turns the stub's report (a signal in user code) into a HAL trap. */
static enum hal_trap decode_report(const struct stub_shared *sh,
				   struct hal_uctx *ctx,
				   struct hal_trap_info *info)
{
	x86_uctx_trapped(ctx, false);
	switch (sh->signo) {
	case SIGSYS:
		if (sh->arch == AUDIT_ARCH_X86_64) {
			ctx->rax = (uint64_t)sh->sysnr;
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
		if (sh->code == SI_KERNEL) /* #GP: privileged instruction,
					    * non-canonical address */
			return exception(sh, info, HAL_EXC_PROTECTION);
		info->addr = (uintptr_t)sh->addr;
		info->access = fault_access(sh->err);
		info->trapno = (unsigned)sh->trapno;
		info->error = sh->err;
		return HAL_TRAP_PAGE_FAULT;
	case SIGBUS:
		return exception(sh, info, sh->code == BUS_ADRALN ?
				 HAL_EXC_ALIGN : HAL_EXC_PROTECTION);
	case SIGILL:
		return exception(sh, info, HAL_EXC_ILLEGAL);
	case SIGFPE:
		return decode_fpe(sh, info);
	case SIGTRAP:
		return exception(sh, info, HAL_EXC_BREAKPOINT);
	case STUB_SIG_KICK:
	default:
		return HAL_TRAP_INTERRUPT;
	}
}

/* One round trip: run ctx until the stub reports; the run lock is held. */
static enum hal_trap stub_run_locked(struct hosted_stub *s,
				     struct hal_uctx *ctx,
				     struct hal_trap_info *info)
{
	struct hosted_cpu *c = hosted_cpu_self();
	enum hal_trap trap;
	bool ok;

	if (s->dead || s->broken || (!s->pid && stub_spawn(s) != 0))
		return backend_failure(info);
	if (!stub_flush_ops(s))
		return backend_failure(info);
	x86_uctx_sanitise(ctx);
	memcpy(&s->sh->regs, ctx, sizeof(*ctx));

	__atomic_store_n(&c->user_pid, s->pid, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->user_kicked, __ATOMIC_SEQ_CST)) {
		/* An interrupt came before the stub could be kicked. */
		__atomic_store_n(&c->user_pid, 0, __ATOMIC_SEQ_CST);
		return HAL_TRAP_INTERRUPT;
	}
	stub_go(s, STUB_CMD_RUN);
	ok = stub_wait_report(s);
	__atomic_store_n(&c->user_pid, 0, __ATOMIC_SEQ_CST);
	if (!ok || stub_ops_failed(s))
		return backend_failure(info);

	memcpy(ctx, &s->sh->regs, sizeof(*ctx));
	trap = decode_report(s->sh, ctx, info);
	return trap;
}

/*
 * The kick flag is cleared with interrupts off; interrupts are then
 * enabled for the run, and every interrupt dispatched from there on,
 * including one that was pending because the caller had disabled them
 * (irq_replay), sets the flag or kicks the stub: none is lost.
 */
enum hal_trap hal_user_run(struct hal_uctx *ctx, struct hal_as *as,
			   struct hal_trap_info *info)
{
	struct hosted_stub *s = as->stub;
	unsigned long irq = hal_irq_save();
	enum hal_trap trap;

	memset(info, 0, sizeof(*info));
	/* From here on, an interrupt means "return HAL_TRAP_INTERRUPT"
	 * (even one during the spawn or the flush, which can be slow). */
	__atomic_store_n(&hosted_cpu_self()->user_kicked, 0, __ATOMIC_SEQ_CST);
	hal_irq_enable();
	pthread_mutex_lock(&s->run_lock);
	trap = stub_run_locked(s, ctx, info);
	pthread_mutex_unlock(&s->run_lock);
	hal_irq_restore(irq);
	return trap;
}
