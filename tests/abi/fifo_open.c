/* Opening fifos with blocking, beyond fifo.c: a blocking reader's open
 * waits for a writer (and the writer's for a reader) and both go on; a
 * blocked open ends with EINTR for a handler without SA_RESTART and goes
 * on waiting with it; a writer's open without O_NONBLOCK after the last
 * reader left blocks again (O_NONBLOCK: ENXIO), a write then is EPIPE;
 * a reader that saw end of file reads again once a new writer comes;
 * two readers share one stream; O_CREAT and O_TRUNC on a fifo; an
 * unlinked fifo keeps working; and permission (EACCES for nobody). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"
#include "abi_time.h"

static int child_ok(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void rendezvous(void)
{
	char buf[8] = "";
	pid_t pid;
	int w, r;

	mkfifo("f", 0600);
	pid = fork();
	if (pid == 0) {
		int fd = open("f", O_RDONLY); /* waits for the parent */
		char b[8] = "";

		_exit(fd >= 0 && read(fd, b, sizeof(b)) == 5 && !memcmp(b, "hello", 5) ? 0 : 1);
	}
	w = open("f", O_WRONLY); /* waits for the child */
	abi_yes("blocking writer open met the reader", w >= 0);
	SHOW("write", write(w, "hello", 5));
	abi_yes("the child's blocking open and read", child_ok(pid));
	SHOW("no reader now: write", write(w, "x", 1));
	close(w);
	pid = fork();
	if (pid == 0) {
		int fd = open("f", O_WRONLY);

		_exit(fd >= 0 && write(fd, "abc", 3) == 3 ? 0 : 1);
	}
	r = open("f", O_RDONLY);
	abi_yes("blocking reader open met the writer", r >= 0);
	SHOW("read", read(r, buf, sizeof(buf)));
	abi_yes("the writer child", child_ok(pid));
	SHOW("end of file", read(r, buf, sizeof(buf)));
	SHOW("a new writer", ({
		int fd = open("f", O_WRONLY | O_NONBLOCK);
		long n = write(fd, "again", 5);
		close(fd);
		n;
	}));
	SHOW("the old reader reads again", read(r, buf, sizeof(buf)));
	close(r);
	SHOW("writer, O_NONBLOCK, all readers gone", open("f", O_WRONLY | O_NONBLOCK));
}

static volatile sig_atomic_t ticks;

static void on_tick(int sig)
{
	(void)sig;
	ticks++;
}

static void interrupted(void)
{
	pid_t pid;
	int fd;

	abi_ticker(1, 0, on_tick);
	SHOW("blocked writer open, signal without SA_RESTART", open("f", O_WRONLY));
	abi_ticker(0, 0, on_tick);
	SHOW("blocked reader open, likewise", (abi_ticker(1, 0, on_tick), open("f", O_RDONLY)));
	abi_ticker(0, 0, on_tick);
	abi_ticker(1, 1, on_tick);
	pid = fork();
	if (pid == 0) {
		int r;

		abi_ticker(0, 1, on_tick);
		usleep(50000);
		r = open("f", O_RDONLY);
		_exit(r >= 0 ? 0 : 1);
	}
	fd = open("f", O_WRONLY); /* restarted after each tick */
	abi_ticker(0, 1, on_tick);
	abi_yes("with SA_RESTART the open waits for the reader", fd >= 0);
	abi_yes("the reader child", child_ok(pid));
	close(fd);
}

static void shared_readers(void)
{
	int r1 = open("f", O_RDONLY | O_NONBLOCK), r2 = open("f", O_RDONLY | O_NONBLOCK);
	int w = open("f", O_WRONLY | O_NONBLOCK | O_TRUNC);
	char buf[8] = "";

	abi_yes("O_TRUNC writer opens", w >= 0);
	SHOW("write 6", write(w, "abcdef", 6));
	SHOW("first reader takes 4", read(r1, buf, 4));
	SHOW("second reader gets the rest", read(r2, buf, sizeof(buf)));
	printf("rest: %.2s\n", buf);
	close(w);
	SHOW("O_CREAT on the fifo", ({
		int fd = open("f", O_WRONLY | O_CREAT | O_NONBLOCK, 0644);
		struct stat st;
		long k = fd >= 0 && !fstat(fd, &st) && S_ISFIFO(st.st_mode);
		close(fd);
		k;
	}));
	SHOW("O_CREAT|O_EXCL on it", open("f", O_WRONLY | O_CREAT | O_EXCL, 0644));
	w = open("f", O_WRONLY | O_NONBLOCK);
	SHOW("unlink while open", unlink("f"));
	SHOW("write after unlink", write(w, "zz", 2));
	SHOW("read after unlink", read(r1, buf, sizeof(buf)));
	close(w);
	close(r1);
	close(r2);
}

static void as_nobody(void)
{
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return;
	SHOW("nobody opens a 0600 fifo of root", open("g", O_RDONLY | O_NONBLOCK));
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	abi_scratch_enter();
	chmod(".", 0755);
	rendezvous();
	interrupted();
	shared_readers();
	mkfifo("g", 0600);
	abi_in_child("nobody", as_nobody);
	abi_scratch_leave();
	return 0;
}
