/* Resource limits enforced, each in a forked child: RLIMIT_NOFILE (EMFILE
 * from open, dup, pipe, eventfd, epoll_create1, F_DUPFD; EBADF for dup2
 * past the limit, EINVAL for F_DUPFD and poll past it), RLIMIT_STACK
 * (the main stack stops growing: SIGSEGV), RLIMIT_AS (mmap, brk, mremap
 * ENOMEM), RLIMIT_NPROC (per user), raising a hard limit
 * (root only) and prlimit64 on other processes (the permission rule). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"

#define MiB (1024ul * 1024)

static int set_soft(int resource, rlim_t soft)
{
	struct rlimit r;

	getrlimit(resource, &r);
	r.rlim_cur = soft;
	return setrlimit(resource, &r);
}

static void nofile(void)
{
	struct pollfd pfd[12] = { { 0 } };
	int fds[2], n = 0, fd;

	/* Only 0, 1 and 2 are open (natively as on Keel). */
	for (fd = 3; fd < 64; fd++)
		close(fd);
	SHOW("setrlimit NOFILE 10", set_soft(RLIMIT_NOFILE, 10));
	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	printf("opened: %d (%s)\n", n, abi_errname(errno));
	SHOW("dup", dup(0));
	SHOW("dup2 onto 10", dup2(0, 10));
	SHOW("dup2 onto 9", dup2(0, 9));
	SHOW("dup3 onto 12", dup3(0, 12, O_CLOEXEC));
	SHOW("F_DUPFD from 10", fcntl(0, F_DUPFD, 10));
	SHOW("F_DUPFD from 5", fcntl(0, F_DUPFD, 5));
	SHOW("pipe", pipe(fds));
	SHOW("eventfd", eventfd(0, 0));
	SHOW("epoll_create1", epoll_create1(0));
	SHOW("poll 11 fds", poll(pfd, 11, 0));
	SHOW("poll 10 fds", poll(pfd, 10, 0));
	close(9);
	SHOW("pipe with one free", pipe(fds));
	SHOW("open with one free", open("/dev/null", O_RDONLY));
	SHOW("setrlimit NOFILE 5 (below open fds)",
	     set_soft(RLIMIT_NOFILE, 5));
	close(9);
	SHOW("open past the lowered limit", open("/dev/null", O_RDONLY));
	SHOW("dup2 onto 6", dup2(0, 6));
}

/* Touches about kib KiB of stack below the caller's frame. */
static int deep(int kib)
{
	volatile char frame[16 * 1024];

	frame[0] = (char)kib;
	frame[sizeof(frame) - 1] = (char)kib;
	if (kib <= 16)
		return frame[0];
	return deep(kib - 16) + frame[sizeof(frame) - 1];
}

static void stack_small(void)
{
	SHOW("setrlimit STACK 256 KiB", set_soft(RLIMIT_STACK, 256 * 1024));
	fflush(stdout);
	deep(2048);
	printf("survived 2 MiB of stack\n");
}

static void stack_big(void)
{
	SHOW("setrlimit STACK 6 MiB", set_soft(RLIMIT_STACK, 6 * MiB));
	deep(2048);
	printf("survived 2 MiB of stack\n");
}

static void show_map(const char *label, void *p)
{
	if (p == MAP_FAILED)
		printf("%s: -1 %s\n", label, abi_errname(errno));
	else
		printf("%s: ok\n", label);
}

static void address_space(void)
{
	void *a, *b;
	long brk0;

	SHOW("setrlimit AS 64 MiB", set_soft(RLIMIT_AS, 64 * MiB));
	errno = 0;
	show_map("mmap 128 MiB", mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	a = mmap(NULL, 16 * MiB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show_map("mmap 16 MiB", a);
	/* Replacing what is mapped does not count twice. */
	show_map("mmap 16 MiB MAP_FIXED over it",
		 mmap(a, 16 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
						      MAP_FIXED, -1, 0));
	show_map("mremap to 32 MiB", b = mremap(a, 16 * MiB, 32 * MiB,
						MREMAP_MAYMOVE));
	if (b != MAP_FAILED)
		a = b;
	show_map("mremap to 128 MiB",
		 mremap(a, 32 * MiB, 128 * MiB, MREMAP_MAYMOVE));
	/* The raw call: it returns the old break when it cannot move
	 * (musl's sbrk cannot grow at all). */
	brk0 = syscall(SYS_brk, 0);
	abi_yes("brk by 128 MiB stays",
		syscall(SYS_brk, brk0 + 128 * MiB) == brk0);
	abi_yes("brk by 64 KiB moves",
		syscall(SYS_brk, brk0 + 64 * 1024) == brk0 + 64 * 1024);
	SHOW("munmap", munmap(a, 32 * MiB));
	show_map("mmap 32 MiB after munmap",
		 mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	SHOW("setrlimit AS unlimited", set_soft(RLIMIT_AS, RLIM_INFINITY));
	show_map("mmap 128 MiB", mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

/* Forks children that exit at once and counts the refusals. */
static void fork_twice(const char *label)
{
	pid_t a, b;

	a = fork();
	if (a == 0) {
		pause();
		_exit(0);
	}
	printf("%s first fork: %s\n", label, a > 0 ? "ok" : abi_errname(errno));
	errno = 0;
	b = fork();
	if (b == 0)
		_exit(0);
	printf("%s second fork: %s\n", label,
	       b > 0 ? "ok" : abi_errname(errno));
	if (a > 0)
		kill(a, SIGKILL);
	while (wait(NULL) > 0)
		;
}

static void nproc(void)
{
	struct rlimit r = { 1, 2 };

	/* Root is exempt (real uid 0, CAP_SYS_RESOURCE): its own tasks are
	 * already more than 1. (The hard limit stays 2: raising it needs
	 * CAP_SYS_RESOURCE, which a container's root may lack.) */
	SHOW("setrlimit NPROC 1", setrlimit(RLIMIT_NPROC, &r));
	fork_twice("root");
	r = (struct rlimit){ 2, 2 };
	SHOW("setrlimit NPROC 2", setrlimit(RLIMIT_NPROC, &r));
	/* A user of its own: this process is its only one. */
	setresuid(54321, 54321, 54321);
	fork_twice("user");
}

static void hard_limits(void)
{
	struct rlimit r, lower = { 1024, 2048 };

	/* (Raising it again as root needs CAP_SYS_RESOURCE, which Keel's
	 * root has and a container's root may lack: not shown.) */
	SHOW("lower NOFILE hard to 2048", setrlimit(RLIMIT_NOFILE, &lower));
	setresuid(1000, 1000, 1000);
	lower.rlim_max = 2048;
	SHOW("lower it as a user", setrlimit(RLIMIT_NOFILE, &lower));
	lower.rlim_max = 2500;
	SHOW("raise it as a user", setrlimit(RLIMIT_NOFILE, &lower));
	getrlimit(RLIMIT_NOFILE, &r);
	printf("NOFILE: %lu %lu\n", (unsigned long)r.rlim_cur,
	       (unsigned long)r.rlim_max);
	SHOW("prlimit of the root parent", prlimit(getppid(), RLIMIT_CORE,
						    NULL, &r));
	SHOW("setrlimit CORE", setrlimit(RLIMIT_CORE,
					 &(struct rlimit){ 0, 0 }));
	SHOW("setrlimit RSS", setrlimit(RLIMIT_RSS,
					&(struct rlimit){ 4096, 8192 }));
}

/* prlimit64 on another process: root may; a user may on a process of
 * exactly its ids, not on another. */
static void other_pids(void)
{
	struct rlimit r, set = { 77, 88 };
	int sync[2];
	pid_t kid;
	char c;

	if (pipe(sync))
		return;
	kid = fork();
	if (kid == 0) {
		read(sync[0], &c, 1);
		_exit(0);
	}
	SHOW("prlimit set the child's CORE", prlimit(kid, RLIMIT_CORE, &set,
						      NULL));
	SHOW("prlimit read it back", prlimit(kid, RLIMIT_CORE, NULL, &r));
	printf("child CORE: %lu %lu\n", (unsigned long)r.rlim_cur,
	       (unsigned long)r.rlim_max);
	SHOW("prlimit of no such pid", prlimit(0x7ffffff0, RLIMIT_CORE, NULL,
						&r));
	SHOW("prlimit of pid -1", syscall(SYS_prlimit64, -1, RLIMIT_CORE,
					  NULL, &r));
	SHOW("prlimit bad resource", syscall(SYS_prlimit64, kid, 99, NULL,
					     &r));
	write(sync[1], "x", 1);
	waitpid(kid, NULL, 0);
	/* Now as a user, on a root process and on one of its own. */
	setresgid(100, 100, 100);
	setresuid(1000, 1000, 1000);
	SHOW("user: prlimit of the root parent",
	     prlimit(getppid(), RLIMIT_CORE, NULL, &r));
	kid = fork();
	if (kid == 0) {
		read(sync[0], &c, 1);
		_exit(0);
	}
	SHOW("user: prlimit of its own child",
	     prlimit(kid, RLIMIT_CORE, &(struct rlimit){ 1, 2 }, NULL));
	write(sync[1], "x", 1);
	waitpid(kid, NULL, 0);
}

int main(void)
{
	abi_in_child("nofile", nofile);
	abi_in_child("stack 256 KiB", stack_small);
	abi_in_child("stack 6 MiB", stack_big);
	abi_in_child("address space", address_space);
	abi_in_child("nproc", nproc);
	abi_in_child("hard limits", hard_limits);
	abi_in_child("other pids", other_pids);
	return 0;
}
