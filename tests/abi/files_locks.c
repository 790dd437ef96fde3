/* fcntl(2) record locks: POSIX locks between a parent and its child
 * (conflicts seen with F_GETLK, splitting, merging, type changes, ranges
 * from SEEK_CUR/SEEK_END and negative lengths, any close dropping all of
 * a process's locks, exit dropping them, F_SETLKW waiting, EDEADLK for a
 * cycle, EINTR for a signal), OFD locks (per open file: dups share them,
 * two opens conflict, they conflict with POSIX ones), and the errors.
 * Conflicts are always asked about with F_GETLK ranges that only one
 * lock overlaps, so the answer does not depend on the lock list's order. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"
#include "abi_files.h"
#include "abi_time.h"

static int fd;
static int to_child[2], to_parent[2];

static int lk(int f, int cmd, short type, short whence, off_t start,
	      off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = whence,
			    .l_start = start, .l_len = len };

	return fcntl(f, cmd, &fl);
}

/* F_GETLK for a write lock on [start, start+len) through f. */
static void ask(const char *label, int f, int cmd, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	if (SHOW(label, fcntl(f, cmd, &fl)) < 0)
		return;
	if (fl.l_type == F_UNLCK) {
		printf("  unlocked\n");
		return;
	}
	printf("  %s start %ld len %ld pid %s\n",
	       fl.l_type == F_WRLCK ? "write" : "read", (long)fl.l_start,
	       (long)fl.l_len,
	       fl.l_pid == getppid()  ? "parent"
	       : fl.l_pid == getpid() ? "self"
	       : fl.l_pid == -1       ? "-1"
				      : "other");
}

static void sync_write(int p)
{
	char c = 1;

	if (write(p, &c, 1) != 1)
		exit(3);
}

static void sync_read(int p)
{
	char c;

	if (read(p, &c, 1) != 1)
		exit(3);
}

static void child_sees_basic(void)
{
	ask("write [0,10) held", fd, F_GETLK, 2, 1);
	ask("read [20,30) held", fd, F_GETLK, 25, 1);
	ask("[10,20) free", fd, F_GETLK, 10, 10);
	SHOW("read in the write lock", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 1));
	SHOW("read in the read lock", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 21, 2));
	SHOW("write in the read lock", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 25, 1));
	SHOW("write in the gap", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 12, 3));
}

static void child_sees_split_merge(void)
{
	ask("the hole [3,5)", fd, F_GETLK, 3, 2);
	ask("left piece", fd, F_GETLK, 0, 3);
	ask("merged [5,20)", fd, F_GETLK, 15, 1);
	ask("read lock still", fd, F_GETLK, 29, 1);
}

static void child_sees_type_change(void)
{
	ask("all read now", fd, F_GETLK, 50, 1);
	ask("negative length", fd, F_GETLK, 160, 1);
	ask("to the end", fd, F_GETLK, 100000, 1);
	ask("from SEEK_CUR", fd, F_GETLK, 1010, 1);
	ask("from SEEK_END", fd, F_GETLK, 1102, 1);
}

static void child_sees_nothing(void)
{
	ask("after a close of another fd", fd, F_GETLK, 0, 0);
}

static void basics(void)
{
	abi_write_file("f", "");
	fd = open("f", O_RDWR);
	for (int i = 0; i < 100; i++)
		if (write(fd, "x", 1) != 1)
			exit(2);
	SHOW("write [0,10)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	SHOW("read [20,30)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
	ask("own locks never conflict", fd, F_GETLK, 0, 0);
	abi_in_child("child_sees_basic", child_sees_basic);
	SHOW("unlock [3,5)", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 3, 2));
	SHOW("write [10,20) next to [5,10)",
	     lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
	abi_in_child("child_sees_split_merge", child_sees_split_merge);
	SHOW("read over [0,100)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 100));
	SHOW("write [150,200) by a negative length",
	     lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 200, -50));
	SHOW("write from 300 to the end", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 300, 0));
	SHOW("unlock [1000,..)", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 1000, 0));
	lseek(fd, 1000, SEEK_SET);
	SHOW("write at SEEK_CUR+10", lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, 10, 1));
	SHOW("write at SEEK_END+1002", lk(fd, F_SETLK, F_WRLCK, SEEK_END, 1002, 1));
	abi_in_child("child_sees_type_change", child_sees_type_change);
	close(open("f", O_RDONLY));
	abi_in_child("child_sees_nothing", child_sees_nothing);
}

static void child_locks_and_exits(void)
{
	SHOW("child write [0,1)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
}

static void child_waits(void)
{
	sync_write(to_parent[1]);
	SHOW("child F_SETLKW", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
	ask("child holds it", fd, F_GETLK, 0, 1);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A repeating timer: on a loaded machine a single expiry may come
 * before the call waits, which would then wait for ever. */
static void child_interrupted(void)
{
	abi_ticker(1, 0, on_alarm);
	SHOW("F_SETLKW until a signal",
	     lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
	abi_ticker(0, 0, on_alarm);
}

static void waits(void)
{
	pid_t pid;
	int status, r;

	abi_in_child("child_locks_and_exits", child_locks_and_exits);
	SHOW("the child's exit dropped its lock",
	     lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	abi_in_child("child_interrupted", child_interrupted);
	if (pipe(to_parent))
		exit(2);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		child_waits();
		fflush(stdout);
		_exit(0);
	}
	sync_read(to_parent[0]);
	r = lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	waitpid(pid, &status, 0);
	/* printed after the child's lines (a tty's stdout is line buffered) */
	printf("parent unlocked: %d\nchild status: %d\n", r,
	       WEXITSTATUS(status));
}

/* Both take one byte and then wait for the other's: exactly one of the
 * two F_SETLKW closes the cycle and gets EDEADLK; it then unlocks, so
 * the other gets its lock. Each reports its result to the parent. */
static int deadlock_side(int mine, int theirs, int ready_out, int ready_in)
{
	int r;

	if (lk(fd, F_SETLK, F_WRLCK, SEEK_SET, mine, 1))
		return 100;
	sync_write(ready_out);
	sync_read(ready_in);
	r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, theirs, 1);
	r = r == 0 ? 0 : errno;
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	return r;
}

static void deadlock(void)
{
	int results[2], deadlocks = 0, successes = 0, status;
	pid_t pid;

	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	if (pipe(to_child) || pipe(to_parent))
		exit(2);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(deadlock_side(1, 0, to_parent[1], to_child[0]));
	results[0] = deadlock_side(0, 1, to_child[1], to_parent[0]);
	waitpid(pid, &status, 0);
	results[1] = WEXITSTATUS(status);
	for (int i = 0; i < 2; i++) {
		deadlocks += results[i] == EDEADLK;
		successes += results[i] == 0;
	}
	printf("deadlock: %d EDEADLK, %d locked\n", deadlocks, successes);
}

static void ofd(void)
{
	int a = open("f", O_RDWR), b = open("f", O_RDWR), d;

	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	SHOW("OFD write on a", lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	SHOW("OFD write on b", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	ask("OFD_GETLK on b", b, F_OFD_GETLK, 5, 1);
	ask("OFD_GETLK on a", a, F_OFD_GETLK, 5, 1);
	SHOW("POSIX write in it", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	ask("POSIX GETLK sees it", fd, F_GETLK, 5, 1);
	d = dup(a);
	SHOW("OFD through a dup", lk(d, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 10));
	close(a);
	SHOW("still held by the dup", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	close(d);
	SHOW("the last close dropped it",
	     lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	SHOW("OFD with l_pid set", ({
		     struct flock fl = { .l_type = F_RDLCK, .l_pid = 1 };
		     fcntl(b, F_OFD_SETLK, &fl);
	     }));
	close(b);
}

static void errors(void)
{
	int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);

	SHOW("bad type", lk(fd, F_SETLK, 7, SEEK_SET, 0, 1));
	SHOW("bad whence", lk(fd, F_SETLK, F_RDLCK, 9, 0, 1));
	SHOW("negative start", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, -1, 1));
	SHOW("before the start", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 2, -5));
	SHOW("write lock on O_RDONLY", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	SHOW("read lock on O_WRONLY", lk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	SHOW("unlock on O_RDONLY", lk(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	SHOW("GETLK of F_UNLCK", lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
	SHOW("bad fd", lk(99, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	SHOW("bad pointer", fcntl(fd, F_SETLK, (struct flock *)8));
	close(ro);
	close(wo);
}

int main(void)
{
	abi_scratch_enter();
	basics();
	waits();
	deadlock();
	ofd();
	errors();
	close(fd);
	abi_scratch_leave();
	return 0;
}
