/* Writes to a pipe as Linux splits them: without blocking, a write of at
 * most PIPE_BUF bytes goes in whole or not at all (EAGAIN), a longer one
 * takes the free page slots and returns what fitted; a blocking write
 * longer than the pipe completes as a reader drains it; the writes of
 * PIPE_BUF bytes of four writer processes never interleave; a blocked
 * writer whose reader goes returns what it wrote (SIGPIPE still comes);
 * and readv/writev move whole iovecs with the same rules. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define WRITERS 4
#define RECORDS 64

static char big[1 << 18];
static volatile sig_atomic_t sigpipes;

static int nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static void drain(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (read(fd, big, sizeof(big)) > 0)
		;
	fcntl(fd, F_SETFL, fl);
}

/* Reads exactly n bytes (blocking); how many came. */
static long read_full(int fd, char *buf, long n)
{
	long got = 0, r;

	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += r;
	return got;
}

static void non_blocking(void)
{
	int p[2];

	pipe2(p, O_NONBLOCK);
	SHOW("PIPE_BUF", PIPE_BUF);
	SHOW("write 60000", write(p[1], big, 60000));
	SHOW("PIPE_BUF bytes take the last free slot", write(p[1], big, PIPE_BUF));
	SHOW("full: 8000", write(p[1], big, 8000));
	SHOW("FIONREAD", nread(p[0]));
	SHOW("full: 1 byte (no merge into a full last slot)", write(p[1], big, 1));
	SHOW("read 100", read(p[0], big, 100));
	SHOW("room in the first slot only: 1 byte", write(p[1], big, 1));
	SHOW("read the rest of the first slot", read(p[0], big, 3996));
	SHOW("one free slot: 5000", write(p[1], big, 5000));
	drain(p[0]);
	SHOW("empty: 100000", write(p[1], big, 100000));
	drain(p[0]);
	SHOW("empty: 65536 exactly", write(p[1], big, 65536));
	drain(p[0]);
	{
		struct iovec v[3] = { { big, 3000 }, { big, 3000 }, { big, 3000 } };

		SHOW("writev 3 x 3000", writev(p[1], v, 3));
		SHOW("FIONREAD", nread(p[0]));
		SHOW("readv into 2 x 4000", readv(p[0], (struct iovec[]){
			{ big, 4000 }, { big + 4000, 4000 } }, 2));
		SHOW("left", nread(p[0]));
	}
	close(p[0]);
	close(p[1]);
}

/* One blocking write of 200000 bytes into a 64 KiB pipe while a child
 * reads it all. */
static void blocking_long_write(void)
{
	int p[2], status;
	pid_t pid;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		_exit(read_full(p[0], big, 200000) == 200000 ? 0 : 1);
	}
	close(p[0]);
	SHOW("blocking write of 200000", write(p[1], big, 200000));
	close(p[1]);
	waitpid(pid, &status, 0);
	SHOW("the reader got it all", WEXITSTATUS(status) == 0);
}

/* Four children write RECORDS records of PIPE_BUF bytes, each record its
 * writer's letter; every record read is whole. */
static void no_interleaving(void)
{
	int p[2], bad = 0, counts[WRITERS] = { 0 };
	pid_t pids[WRITERS];
	char rec[PIPE_BUF];

	pipe(p);
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(p[0]);
			memset(rec, 'a' + w, sizeof(rec));
			for (int k = 0; k < RECORDS; k++)
				if (write(p[1], rec, sizeof(rec)) != sizeof(rec))
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	while (read_full(p[0], rec, sizeof(rec)) == sizeof(rec)) {
		int w = rec[0] - 'a';

		for (int i = 1; i < PIPE_BUF; i++)
			bad |= rec[i] != rec[0];
		if (w >= 0 && w < WRITERS)
			counts[w]++;
		else
			bad = 1;
	}
	close(p[0]);
	for (int w = 0; w < WRITERS; w++) {
		int status;

		waitpid(pids[w], &status, 0);
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	abi_yes("every record whole", !bad);
	printf("records per writer: %d %d %d %d\n", counts[0], counts[1],
	       counts[2], counts[3]);
}

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* The reader takes 100000 bytes and leaves while the writer is blocked
 * in a 200000-byte write: the write returns the part it wrote. */
static void reader_leaves(void)
{
	int p[2], status;
	pid_t pid;
	long r;

	signal(SIGPIPE, on_sigpipe);
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read_full(p[0], big, 100000);
		_exit(0);
	}
	close(p[0]);
	r = write(p[1], big, 200000);
	waitpid(pid, &status, 0);
	abi_yes("write returned a part", r >= 100000 && r < 200000);
	SHOW("SIGPIPEs", sigpipes);
	SHOW("the next write", write(p[1], big, 1));
	SHOW("SIGPIPEs", sigpipes);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

int main(void)
{
	non_blocking();
	blocking_long_write();
	no_interleaving();
	reader_leaves();
	return 0;
}
