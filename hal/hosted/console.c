/*
 * The hosted console: output is write(2) to stdout, unbuffered and
 * synchronous; input is read from stdin by a host thread (not a vCPU) into
 * a lock-free ring, and each arrival raises HAL_IRQ_CONSOLE on vCPU 0 when
 * that line is unmasked. hal_console_read only takes bytes from the ring,
 * so it never blocks and is safe in interrupt handlers. The input thread
 * also takes the host's SIGWINCH (blocked in every other thread since
 * boot): it reads the new window size (term.c) and raises the line too.
 * A SIGWINCH that comes just before the thread blocks in read(2) waits
 * for the next input or resize.
 */
#include "hosted.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RING_SIZE 4096u /* power of two */

static char ring[RING_SIZE];
static unsigned ring_head; /* next byte to write (input thread only) */
static unsigned ring_tail; /* next byte to read (consumers) */
static unsigned ring_reader; /* consumer lock: 0 free, 1 taken */
static volatile sig_atomic_t winch; /* a resize waits to be read */

void hal_console_write(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* stdout is gone: nothing sensible to do */
		buf += n;
		len -= (size_t)n;
	}
}

size_t hal_console_read(char *buf, size_t len)
{
	unsigned head, tail;
	size_t n = 0;

	/* A trylock, not a spin: the holder may be the code this interrupt
	 * handler interrupted on the same thread. */
	if (__atomic_exchange_n(&ring_reader, 1, __ATOMIC_ACQUIRE))
		return 0;
	head = __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE);
	tail = ring_tail;
	while (n < len && tail != head)
		buf[n++] = ring[tail++ % RING_SIZE];
	__atomic_store_n(&ring_tail, tail, __ATOMIC_RELEASE);
	__atomic_store_n(&ring_reader, 0, __ATOMIC_RELEASE);
	if (n)
		syscall(SYS_futex, &ring_tail, FUTEX_WAKE_PRIVATE, 1, NULL,
			NULL, 0);
	return n;
}

static bool console_has_input(void)
{
	return __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE);
}

void hosted_console_unmasked(void)
{
	if (console_has_input())
		hosted_irq_raise(0, HAL_IRQ_CONSOLE);
}

/* Waits until the ring has room; returns the free byte count. */
static unsigned ring_wait_room(void)
{
	for (;;) {
		unsigned tail = __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE);
		unsigned used = ring_head - tail;

		if (used < RING_SIZE)
			return RING_SIZE - used;
		syscall(SYS_futex, &ring_tail, FUTEX_WAIT_PRIVATE, tail, NULL,
			NULL, 0);
	}
}

static void raise_input(void)
{
	if (hosted_irq_line_unmasked(HAL_IRQ_CONSOLE))
		hosted_irq_raise(0, HAL_IRQ_CONSOLE);
}

static void on_winch(int sig)
{
	(void)sig;
	winch = 1;
}

/* SIGWINCH interrupts this thread's read (no SA_RESTART). */
static void take_winch(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static void *console_input_thread(void *unused)
{
	char buf[256];

	(void)unused;
	take_winch();
	for (;;) {
		unsigned room = ring_wait_room();
		size_t want = room < sizeof(buf) ? room : sizeof(buf);
		ssize_t n;

		if (winch) {
			winch = 0;
			hosted_term_update_size();
			raise_input();
		}
		n = read(STDIN_FILENO, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL; /* EOF or no stdin: no more input */
		for (ssize_t i = 0; i < n; i++)
			ring[(ring_head + (unsigned)i) % RING_SIZE] = buf[i];
		__atomic_store_n(&ring_head, ring_head + (unsigned)n,
				 __ATOMIC_SEQ_CST);
		raise_input();
	}
}

void hosted_console_init(void)
{
	static bool started;
	pthread_attr_t attr;
	pthread_t thread;
	sigset_t all, old;

	if (started)
		return;
	started = true;
	hosted_term_init();
	/* The thread inherits a mask blocking everything, so that no vCPU
	 * signal is ever delivered to it. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, console_input_thread, NULL) != 0)
		hosted_die_write("keel: no console input thread\n");
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
