/* Full pipes (issue 11, item 4): a non-blocking writer gets EAGAIN at the
 * 64 KiB a pipe holds and nothing is lost; a blocking writer sleeps on a
 * full pipe until a reader makes room, then its write completes; a signal
 * whose handler has no SA_RESTART ends the sleep with EINTR (nothing
 * written), with SA_RESTART the write goes on sleeping and completes once
 * the reader reads. To know that the writer is asleep without a clock,
 * the writer's periodic SIGALRM handler counts the signals that came
 * while it was inside write(2) (a shared counter); the parent acts after
 * the second. On Keel the kernel's memory must be as before once the
 * pipes are closed (Keel's PR_KEEL_MEM_USAGE; natively skipped). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define PR_KEEL_MEM_USAGE 0x4b454c03
#define PIPE_BYTES 65536
#define CHUNK 4096

static char buf[PIPE_BYTES];

/* Shared with the writer child: signals seen inside write, and whether
 * it is inside. */
struct shared {
	volatile int in_write;
	volatile int signals_in_write;
};
static struct shared *sh;

static void on_alarm(int sig)
{
	(void)sig;
	if (sh->in_write)
		__atomic_add_fetch(&sh->signals_in_write, 1, __ATOMIC_SEQ_CST);
}

static int nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static void wait_until_full(int fd)
{
	while (nread(fd) < PIPE_BYTES)
		sched_yield();
}

static void wait_for_signals(int n)
{
	while (__atomic_load_n(&sh->signals_in_write, __ATOMIC_SEQ_CST) < n)
		sched_yield();
}

static void nonblocking(void)
{
	int p[2];
	long total = 0, r;

	pipe2(p, O_NONBLOCK);
	while ((r = write(p[1], buf, CHUNK)) > 0)
		total += r;
	printf("non-blocking filled: %ld\n", total);
	SHOW("write to the full pipe", write(p[1], buf, 1));
	SHOW("read a chunk", read(p[0], buf, CHUNK));
	SHOW("write a chunk again", write(p[1], buf, CHUNK));
	close(p[0]);
	close(p[1]);
}

/* The child's side: fill the pipe, then one more chunk that must wait,
 * with SIGALRM every 2 ms (restarting or not). Exits 1 when the write
 * ended with EINTR, 2 when it wrote its chunk, 3 otherwise. */
static void writer(int fd, bool restart)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	long r;

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	if (write(fd, buf, PIPE_BYTES) != PIPE_BYTES)
		_exit(4);
	setitimer(ITIMER_REAL, &it, NULL);
	sh->in_write = 1;
	r = write(fd, buf, CHUNK);
	sh->in_write = 0;
	it = (struct itimerval){ 0 };
	setitimer(ITIMER_REAL, &it, NULL);
	if (r < 0 && errno == EINTR)
		_exit(1);
	_exit(r == CHUNK ? 2 : 3);
}

static void blocking(const char *name, bool restart, bool read_after)
{
	int p[2], status;
	pid_t pid;
	long got = 0, r;

	sh->in_write = sh->signals_in_write = 0;
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		writer(p[1], restart);
	}
	close(p[1]);
	/* Without SA_RESTART the first signal inside write ends it. */
	if (read_after) {
		wait_until_full(p[0]);
		wait_for_signals(2);
	}
	if (read_after)
		while ((r = read(p[0], buf, sizeof(buf))) > 0)
			got += r;
	waitpid(pid, &status, 0);
	printf("%s: writer exit %d", name, WEXITSTATUS(status));
	if (read_after)
		printf(", read %ld", got);
	printf("\n");
	close(p[0]);
}

/* The writer asleep on a full pipe is woken by a reader, no signal. */
static void woken_by_reader(void)
{
	int p[2], status;
	pid_t pid;
	long got = 0, r;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], buf, PIPE_BYTES) != PIPE_BYTES)
			_exit(4);
		r = write(p[1], buf, CHUNK);
		_exit(r == CHUNK ? 2 : 3);
	}
	close(p[1]);
	wait_until_full(p[0]);
	while ((r = read(p[0], buf, CHUNK)) > 0)
		got += r;
	waitpid(pid, &status, 0);
	printf("woken by a reader: writer exit %d, read %ld\n",
	       WEXITSTATUS(status), got);
	close(p[0]);
}

int main(void)
{
	uint64_t before[3], after[3];
	bool keel = prctl(PR_KEEL_MEM_USAGE, before, 0, 0, 0) == 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset(buf, 'p', sizeof(buf)); /* its pages are there from now on */
	nonblocking();
	woken_by_reader();
	/* Once, then once more between the two looks at the kernel's
	 * memory: what the first round faulted in (stack) stays. */
	blocking("interrupted", false, false);
	blocking("restarted", true, true);
	if (keel)
		prctl(PR_KEEL_MEM_USAGE, before, 0, 0, 0);
	blocking("interrupted again", false, false);
	blocking("restarted again", true, true);
	if (keel) {
		int i;

		for (i = 0; i < 1000; i++) {
			prctl(PR_KEEL_MEM_USAGE, after, 0, 0, 0);
			if (after[0] == before[0] && after[1] == before[1])
				break;
			sched_yield();
		}
		if (i == 1000)
			printf("LEAK frames %lu -> %lu, heap objects %lu -> %lu\n",
			       (unsigned long)before[0], (unsigned long)after[0],
			       (unsigned long)before[1], (unsigned long)after[1]);
	}
	return 0;
}
