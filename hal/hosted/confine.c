/*
 * Self-confinement of the hosted kernel (issue 11, item 5): once the host
 * side of boot is done (physical memory, initrd, stub path, vCPU 0, the
 * console thread), the kernel process installs a seccomp allow-list of
 * exactly the host system calls it still makes, on every thread at once
 * (TSYNC). A kernel bug can then no longer open host files, connect
 * anywhere, exec or fork: any call off the list raises SIGSYS, which
 * panics naming the call. docs/hal.md ("Confinement") lists the calls and
 * why each is there.
 *
 * The kernel still has to start stub processes, which needs fork and exec.
 * Both move to a launcher process forked before confinement: it holds the
 * stub's path and the physical-memory fd, and its only input is a socket
 * on which the kernel sends a context-page fd; it starts the stub with
 * clone(CLONE_PARENT), so the stub is the kernel's child as before
 * (waitpid, PR_SET_PDEATHSIG), and answers with its pid. A compromised
 * kernel can make it start more stubs, nothing else.
 *
 * Off with the boot option `noconfine` (debugging: gdb's inferior calls,
 * strace -f's view of the kernel as it was), and under Valgrind, which
 * makes its own host calls on the kernel's behalf (reading debug info,
 * its own memory management) that no allow-list of the kernel's can
 * foresee.
 */
#include "hosted.h"

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <fcntl.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include <linux/sched.h>

#include "stub_abi.h"

/* The kernel's end of the launcher's socket; -1: no launcher, spawn
 * directly. */
static int launcher_fd = -1;
static bool confined;

/*
 * The host calls the kernel makes after boot. Anything else traps.
 * Grouped as docs/hal.md explains them.
 */
static const int allowed[] = {
	/* console output and input, the panic path */
	SCMP_SYS(write), SCMP_SYS(read),
	/* kernel heap of the C runtime (malloc, thread stacks, libunwind) */
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect),
	SCMP_SYS(madvise), SCMP_SYS(brk), SCMP_SYS(mremap),
	/* context pages of new stubs */
	SCMP_SYS(memfd_create), SCMP_SYS(ftruncate), SCMP_SYS(fcntl),
	SCMP_SYS(close),
	/* the launcher */
	SCMP_SYS(sendmsg), SCMP_SYS(recvmsg),
	/* stubs: kicks, kills, reaping */
	SCMP_SYS(kill), SCMP_SYS(wait4), SCMP_SYS(waitid),
	/* stub threads kept off their vCPU's host CPU (stub_place.c) */
	SCMP_SYS(sched_setaffinity),
	/* vCPUs: locks and waits, interrupts, timers, idling */
	SCMP_SYS(futex), SCMP_SYS(tgkill), SCMP_SYS(getpid), SCMP_SYS(gettid),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigsuspend),
	SCMP_SYS(sigaltstack), SCMP_SYS(timer_create),
	SCMP_SYS(timer_settime), SCMP_SYS(timer_gettime),
	SCMP_SYS(timer_delete), SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep), SCMP_SYS(sched_yield),
	SCMP_SYS(restart_syscall),
	/* starting secondary vCPUs (threads only, see clone below); the
	 * ASan runtime asks glibc for each new thread's attributes, which
	 * reads the thread's CPU mask */
	SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(sched_getaffinity),
	/* libunwind's check that an address is readable (backtraces): it
	 * writes the address to a pipe of its own */
	SCMP_SYS(pipe2), SCMP_SYS(mincore), SCMP_SYS(msync),
	/* power-off */
	SCMP_SYS(exit), SCMP_SYS(exit_group),
};

#ifdef __SANITIZE_ADDRESS__
/*
 * The ASan + UBSan build (hal/hosted/sanitizer.c): the runtimes read files
 * lazily (UBSan's own start-up reads /proc/self/cmdline, environ and exe
 * at its first report; both reread /proc/self/maps), and fall back to what
 * they cached before confinement (hosted_sanitizer_prepare) when a read
 * fails. So these calls fail with EACCES instead of trapping: the kernel
 * still cannot open anything.
 */
static const int refused_for_sanitizers[] = {
	SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(readlink),
};
#endif

static bool cmdline_has_word(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; p && *p;) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len == 2 && p[0] == '-' && p[1] == '-')
			return false; /* the programs' words follow */
		if (len == n && memcmp(p, word, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* ---- The launcher ---------------------------------------------------- */

/* Receives one request: a context-page fd. Returns it, or -1 at EOF. */
static int launcher_receive(int sock)
{
	char byte, ctrl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	int fd;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctrl;
	msg.msg_controllen = sizeof(ctrl);
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	return fd;
}

/* In the new stub process: fds 3 and 4, an open signal mask, exec. */
static void launcher_exec(const char *path, const char *parent, int ctx_fd,
			  int phys_fd)
{
	char *argv[] = { (char *)path, (char *)parent, NULL };
	char *envp[] = { NULL };
	sigset_t none;
	/* Out of the way of 3 and 4 first; the copies close at exec. */
	int ctx = fcntl(ctx_fd, F_DUPFD_CLOEXEC, 100);
	int phys = fcntl(phys_fd, F_DUPFD_CLOEXEC, 100);

	if (ctx < 0 || phys < 0 || dup2(ctx, STUB_CTX_FD) < 0 ||
	    dup2(phys, STUB_PHYS_FD) < 0)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, envp);
	_exit(127);
}

/* The launcher's loop: one stub per request, its pid (or -errno) back. */
static __attribute__((noreturn)) void launcher_main(int sock,
						    const char *path,
						    int phys_fd)
{
	char parent[24];
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(parent, sizeof(parent), "%d", (int)getppid());
	while ((fd = launcher_receive(sock)) >= 0) {
		/* CLONE_PARENT: the stub is the kernel's child, not ours. */
		long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL,
				   NULL, NULL, 0);
		int answer = pid < 0 ? -errno : (int)pid;

		if (pid == 0)
			launcher_exec(path, parent, fd, phys_fd);
		close(fd);
		if (send(sock, &answer, sizeof(answer), 0) != sizeof(answer))
			break;
	}
	_exit(0);
}

static void launcher_start(void)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		perror("keel: confinement: socketpair");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("keel: confinement: fork of the stub launcher");
		exit(1);
	}
	if (pid == 0) {
		close(sv[0]);
		launcher_main(sv[1], hosted_stub_path(), hosted_phys_fd());
	}
	close(sv[1]);
	launcher_fd = sv[0];
}

/* One request at a time: vCPUs spawning stubs at once would otherwise
 * read each other's answers (and kick, wait for and kill the wrong
 * stubs). */
static pthread_mutex_t launcher_lock = PTHREAD_MUTEX_INITIALIZER;

static int launcher_request(int ctx_fd, pid_t *pid)
{
	char byte = 0, ctrl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	int answer;

	memset(ctrl, 0, sizeof(ctrl));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctrl;
	msg.msg_controllen = sizeof(ctrl);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &ctx_fd, sizeof(int));
	if (sendmsg(launcher_fd, &msg, MSG_NOSIGNAL) != 1)
		return errno;
	/* read, not recv: recvfrom is not on the allow-list. */
	if (read(launcher_fd, &answer, sizeof(answer)) != sizeof(answer))
		return EPIPE;
	if (answer < 0)
		return -answer;
	*pid = answer;
	return 0;
}

int hosted_launcher_spawn(int ctx_fd, pid_t *pid)
{
	int r;

	pthread_mutex_lock(&launcher_lock);
	r = launcher_request(ctx_fd, pid);
	pthread_mutex_unlock(&launcher_lock);
	return r;
}

bool hosted_launcher_active(void)
{
	return launcher_fd >= 0;
}

/* ---- The allow-list -------------------------------------------------- */

static void forbidden_call(int sig, siginfo_t *si, void *ucv)
{
	char line[160];
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
						      si->si_syscall);
	int n;

	(void)sig;
	(void)ucv;
	hal_irq_save();
	n = snprintf(line, sizeof(line),
		     "keel: host system call %d (%s) is not on the "
		     "confinement allow-list (boot with noconfine to allow "
		     "it)\n",
		     si->si_syscall, name ? name : "?");
	if (n > 0)
		hal_console_write(line, (size_t)n < sizeof(line) ?
				  (size_t)n : sizeof(line) - 1);
	core_kernel_fault("a host system call off the confinement allow-list",
			  (uintptr_t)si->si_call_addr,
			  (uintptr_t)si->si_syscall);
}

static void fail(const char *what, int r)
{
	fprintf(stderr, "keel: confinement: %s: %s\n", what, strerror(-r));
	exit(1);
}

static void load_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	struct sigaction sa;
	int r = 0;

	if (!ctx)
		fail("seccomp_init", -ENOMEM);
	for (size_t i = 0; !r && i < sizeof(allowed) / sizeof(allowed[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	/* Threads (new vCPUs), never processes; glibc tries clone3 first,
	 * whose flags sit in memory where no filter can read them. */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
					     CLONE_THREAD));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				     SCMP_SYS(clone3), 0);
	/* The host terminal (term.c): its size, and its settings put back
	 * at exit; nothing else on any fd. */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_EQ, TIOCGWINSZ, 0));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_EQ, TCSETS, 0));
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_EQ, TCGETS, 0));
	/* Reading a limit, never setting one (posix_spawn's file actions
	 * ask for RLIMIT_NOFILE). */
	if (!r)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1,
				     SCMP_A2(SCMP_CMP_EQ, 0, 0));
#ifdef __SANITIZE_ADDRESS__
	for (size_t i = 0; !r && i < sizeof(refused_for_sanitizers) /
			       sizeof(refused_for_sanitizers[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				     refused_for_sanitizers[i], 0);
#endif
	if (!r)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (r)
		fail("building the allow-list", r);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forbidden_call;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) != 0)
		fail("sigaction", -errno);
	r = seccomp_load(ctx);
	if (r)
		fail("seccomp_load", r);
	seccomp_release(ctx);
}

/*
 * The runner's check that confinement holds: tries to open a host file.
 * Confined, the attempt panics (forbidden_call); otherwise it says so and
 * the boot goes on.
 */
static void confine_check(void)
{
	char line[120];
	long fd;
	int n;

	n = snprintf(line, sizeof(line),
		     "keel: confine check: opening a host file (%s)\n",
		     confined ? "confined" : "not confined");
	hal_console_write(line, (size_t)n);
	fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY);
	n = snprintf(line, sizeof(line),
		     "keel: confine check: openat returned %ld\n", fd);
	hal_console_write(line, (size_t)n);
	if (fd >= 0)
		close((int)fd);
}

/* Whether this boot confines itself. */
static bool wanted(const char *cmdline)
{
	return !RUNNING_ON_VALGRIND && !cmdline_has_word(cmdline, "noconfine");
}

void hosted_confine_prepare(const char *cmdline)
{
	if (!wanted(cmdline))
		return;
	launcher_start();
	hosted_symbols_load();
}

/*
 * glibc's free() reads /proc/sys/vm/overcommit_memory the first time it
 * would shrink the heap of a thread's arena (check_may_shrink_heap), which
 * a vCPU thread may do long after boot (a fork bomb's stubs freed): an
 * openat the allow-list must not have. A trim threshold no top chunk
 * reaches keeps free() from shrinking heaps at all (whole heaps are still
 * unmapped when they empty); the kernel's own memory is not malloc's.
 */
static void malloc_never_shrinks(void)
{
	if (!mallopt(M_TRIM_THRESHOLD, INT_MAX))
		warnx("keel: mallopt(M_TRIM_THRESHOLD) failed");
}

void hosted_confine(const char *cmdline)
{
	if (wanted(cmdline)) {
		hosted_sanitizer_prepare();
		malloc_never_shrinks();
		load_filter();
		confined = true;
	}
	/* The check of the runner's confine suite. */
	if (cmdline_has_word(cmdline, "hosted.confine_check"))
		confine_check();
}
