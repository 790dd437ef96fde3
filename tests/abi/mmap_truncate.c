/* Truncating a mapped file: after the file shrinks, a page wholly past
 * the new end gives SIGBUS in a MAP_SHARED mapping that had touched it,
 * in a MAP_PRIVATE one that had only read it, and in one that had
 * copied it on write (Linux unmaps private copies too); the part of the
 * last page past the end reads zero; another process mapping the file
 * sees the same; growing the file again makes the pages readable, as
 * zeros; a truncate that keeps the size changes nothing. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define PG 4096

static sigjmp_buf jump;
static volatile int last_signal;

static void on_fault(int sig)
{
	last_signal = sig;
	siglongjmp(jump, 1);
}

/* Reads the byte at p: its value, or -SIGBUS / -SIGSEGV. */
static int peek(volatile const char *p)
{
	last_signal = 0;
	if (sigsetjmp(jump, 1))
		return -last_signal;
	return *p;
}

static const char *peek_text(volatile const char *p)
{
	static char text[16];
	int v = peek(p);

	if (v == -SIGBUS)
		return "SIGBUS";
	if (v == -SIGSEGV)
		return "SIGSEGV";
	snprintf(text, sizeof(text), "%d", v);
	return text;
}

static int make_file(size_t len)
{
	char path[] = "/tmp/mmap_truncate.XXXXXX";
	int fd = mkstemp(path);
	char *buf = malloc(len);

	unlink(path);
	memset(buf, 'x', len);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		exit(1);
	free(buf);
	return fd;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_fault };
	int fd = make_file(4 * PG), status;
	char *shared, *priv_read, *priv_copy;
	pid_t pid;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	shared = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	priv_read = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 fd, 0);
	priv_copy = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 fd, 0);
	for (int k = 0; k < 4; k++) {
		shared[k * PG + 10] = 's';
		peek(priv_read + k * PG);
		priv_copy[k * PG + 10] = 'p';
	}
	printf("before: shared %s", peek_text(shared + 3 * PG + 10));
	printf(", private read %s", peek_text(priv_read + 3 * PG + 10));
	printf(", private copy %s\n", peek_text(priv_copy + 3 * PG + 10));

	SHOW("ftruncate to 1.5 pages", ftruncate(fd, PG + PG / 2));
	printf("shared page 0: %s\n", peek_text(shared + 10));
	printf("shared last page before the end: %s\n",
	       peek_text(shared + PG + 10));
	printf("shared last page past the end: %s\n",
	       peek_text(shared + PG + PG / 2 + 10));
	printf("shared page 2: %s\n", peek_text(shared + 2 * PG));
	printf("shared page 3: %s\n", peek_text(shared + 3 * PG + 10));
	printf("private read page 3: %s\n", peek_text(priv_read + 3 * PG));
	printf("private copy page 0: %s\n", peek_text(priv_copy + 10));
	printf("private copy page 3: %s\n", peek_text(priv_copy + 3 * PG + 10));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *again = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd, 0);

		/* a fresh mapping in another process agrees */
		_exit(peek(again + 2 * PG) == -SIGBUS &&
		      peek(shared + 3 * PG) == -SIGBUS &&
		      peek(again + PG + PG / 2 + 1) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	abi_yes("a child sees SIGBUS past the end",
		WIFEXITED(status) && WEXITSTATUS(status) == 0);

	SHOW("ftruncate to the same size", ftruncate(fd, PG + PG / 2));
	printf("shared last page before the end: %s\n",
	       peek_text(shared + PG + 10));
	SHOW("ftruncate to 4 pages", ftruncate(fd, 4 * PG));
	printf("shared page 3 after growing: %s\n",
	       peek_text(shared + 3 * PG + 10));
	printf("private read page 2 after growing: %s\n",
	       peek_text(priv_read + 2 * PG + 10));
	printf("private copy page 3 after growing: %s\n",
	       peek_text(priv_copy + 3 * PG + 10));
	printf("shared last page's old tail: %s\n",
	       peek_text(shared + PG + PG / 2 + 10));
	shared[3 * PG] = 'n';
	{
		char c = 0;

		pread(fd, &c, 1, 3 * PG);
		printf("a write through the mapping reaches the file: %c\n", c);
	}
	return 0;
}
