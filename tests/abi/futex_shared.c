/* Futexes in shared memory are keyed by what backs them, not by the
 * address: a process-shared pthread mutex and condition variable in
 * MAP_SHARED | MAP_ANONYMOUS memory work across fork (a handshake, and
 * two processes counting under the mutex); a FUTEX_WAIT on a file mapped
 * MAP_SHARED is woken by a FUTEX_WAKE through another mapping of the same
 * file, at another address, by another process (each mapped it with its
 * own mmap) and by another thread of the same process; a private
 * (FUTEX_PRIVATE_FLAG) wake through the other mapping wakes nobody, a
 * private one through the waiter's own address does. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

/* <linux/futex.h>'s, which not every variant's headers have. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

#define ROUNDS 2000
#define TRIES 1000000

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stage;
	long counter;
};

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* Wakes word (op: FUTEX_WAKE or its private form) until one waiter was
 * woken; how many were, 0 if none ever was. */
static long wake_one(uint32_t *word, int op)
{
	for (long k = 0; k < TRIES; k++) {
		long n = futex(word, op, 1);

		if (n)
			return n;
		sched_yield();
	}
	return 0;
}

static void set_stage(struct shared *s, int stage)
{
	pthread_mutex_lock(&s->lock);
	s->stage = stage;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void wait_stage(struct shared *s, int stage)
{
	pthread_mutex_lock(&s->lock);
	while (s->stage != stage)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

static void count(struct shared *s)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&s->lock);
		s->counter++;
		if (i % 64 == 0)
			sched_yield(); /* hold it a while: the other waits */
		pthread_mutex_unlock(&s->lock);
	}
}

static void pshared_objects(void)
{
	struct shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int status;
	pid_t pid;

	pthread_mutexattr_init(&ma);
	SHOW("mutexattr_setpshared",
	     pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED));
	pthread_condattr_init(&ca);
	SHOW("condattr_setpshared",
	     pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED));
	pthread_mutex_init(&s->lock, &ma);
	pthread_cond_init(&s->cond, &ca);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		wait_stage(s, 1);
		set_stage(s, 2);
		count(s);
		_exit(0);
	}
	set_stage(s, 1);
	wait_stage(s, 2);
	printf("handshake over a shared condvar: done\n");
	count(s);
	waitpid(pid, &status, 0);
	SHOW("child status", WEXITSTATUS(status));
	SHOW("counter", s->counter);
	munmap(s, sizeof(*s));
}

/* A file of two pages; the word lives at offset 4096 + 8. */
static int make_file(void)
{
	char path[] = "/tmp/futex_shared.XXXXXX";
	int fd = mkstemp(path);

	unlink(path);
	if (fd >= 0 && ftruncate(fd, 8192))
		return -1;
	return fd;
}

static uint32_t *map_word(int fd)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : (uint32_t *)(p + 4096 + 8);
}

static void across_processes(int fd)
{
	uint32_t *mine;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* its own mmap of the file, wherever it lands */
		uint32_t *word = map_word(fd);

		_exit(word && futex(word, FUTEX_WAIT, 0) == 0 ? 0 : 1);
	}
	/* a mapping of our own, at an address not the child's */
	mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mine = map_word(fd);
	if (SHOW("FUTEX_WAKE through our mapping",
		 wake_one(mine, FUTEX_WAKE)) == 0)
		kill(pid, SIGKILL); /* never woken: do not wait for ever */
	waitpid(pid, &status, 0);
	abi_yes("the child's wait returned 0",
		WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static uint32_t *thread_word;
static long thread_ret;

static void *waiter(void *arg)
{
	thread_ret = futex(thread_word, (int)(long)arg, 0);
	return NULL;
}

/* Lets a waiter on word go that a wake did not reach: the value moves
 * (its wait is EAGAIN if it comes late), and it is woken where it
 * waits. */
static void release(uint32_t *word)
{
	__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
	futex(word, FUTEX_WAKE, 1);
	futex(word, FUTEX_WAKE_PRIVATE, 1);
}

static void within_a_process(int fd)
{
	uint32_t *a = map_word(fd), *b = map_word(fd);
	pthread_t th;
	long stray = 0, woken, tries = 0;

	abi_yes("two mappings at two addresses", a != b);
	thread_word = a;
	pthread_create(&th, NULL, waiter, (void *)(long)FUTEX_WAIT);
	if (SHOW("FUTEX_WAKE through the other mapping",
		 wake_one(b, FUTEX_WAKE)) == 0)
		release(a);
	pthread_join(th, NULL);
	__atomic_store_n(a, 0, __ATOMIC_SEQ_CST);
	SHOW("the thread's wait", thread_ret);

	pthread_create(&th, NULL, waiter, (void *)(long)FUTEX_WAIT_PRIVATE);
	for (woken = 0; !woken && tries < TRIES; tries++) {
		stray += futex(b, FUTEX_WAKE_PRIVATE, 1);
		woken = futex(a, FUTEX_WAKE_PRIVATE, 1);
		sched_yield();
	}
	if (!woken)
		release(a);
	pthread_join(th, NULL);
	SHOW("a private wake through its own address woke it", woken);
	SHOW("private wakes through the other mapping that woke it", stray);
	SHOW("the private wait", thread_ret);
}

int main(void)
{
	int fd;

	pshared_objects();
	fd = make_file();
	if (fd < 0)
		return 1;
	across_processes(fd);
	within_a_process(fd);
	return 0;
}
