/* Job control on a pty slave: a session leader's open without O_NOCTTY
 * makes it the controlling terminal (tcgetsid, tcgetpgrp, /dev/tty);
 * ^C sends SIGINT to the foreground group only; the master sees the
 * foreground group and session (TIOCGPGRP, TIOCGSID); TIOCSWINSZ on the
 * master sends SIGWINCH to the foreground group, none when the size is
 * the same; the master closing sends SIGHUP and SIGCONT to the session
 * leader, which loses its terminal; TIOCSCTTY on an O_NOCTTY open, and
 * EPERM for a terminal another session has; the session leader's exit
 * frees the terminal for another session.
 *
 * The parent drives the master; the child A leads the session. They take
 * turns through two pipes (tell/await), so that one of them prints at a
 * time and every signal is checked after it was surely sent. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "abi.h"
#include "abi_pty.h"

static int to_parent[2], to_child[2];
static volatile sig_atomic_t got[65];

static void on_signal(int sig)
{
	got[sig]++;
}

static void tell(int fd, char c)
{
	fflush(stdout);
	write(fd, &c, 1);
}

static char await(int fd)
{
	char c = 0;

	fflush(stdout);
	read(fd, &c, 1);
	return c;
}

/* Waits (signals blocked but in sigsuspend) until sig came. */
static void wait_signal(int sig)
{
	sigset_t none;

	sigemptyset(&none);
	while (!got[sig])
		sigsuspend(&none);
}

static int is_pending(int sig)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, sig);
}

/* The grandchild B, in a group of its own made the foreground: ^C is
 * its, not its parent's. */
static void run_b(int ready)
{
	got[SIGINT] = 0; /* A's count, copied by fork */
	setpgid(0, 0);
	tell(ready, 'b');
	wait_signal(SIGINT);
	_exit(7);
}

static void child_a(int master, const char *name)
{
	int b_ready[2], status, slave, tty;
	struct winsize ws;
	pid_t b;

	close(master); /* the parent's alone: its close hangs up */
	setsid();
	slave = open(name, O_RDWR);
	abi_yes("A: open makes the slave my terminal",
		tcgetsid(slave) == getpid());
	abi_yes("A: my group is in the foreground",
		tcgetpgrp(slave) == getpgrp());
	tty = open("/dev/tty", O_RDWR);
	abi_yes("A: /dev/tty opens", tty >= 0);
	close(tty);
	tell(to_parent[1], 'i');
	await(to_child[0]);
	wait_signal(SIGINT);
	printf("A: ^C gave me SIGINT: %d\n", got[SIGINT]);

	pipe(b_ready);
	fflush(stdout);
	b = fork();
	if (b == 0)
		run_b(b_ready[1]);
	setpgid(b, b);
	await(b_ready[0]);
	SHOW("A: tcsetpgrp to B's group", tcsetpgrp(slave, b));
	tell(to_parent[1], 'b');
	await(to_child[0]);
	waitpid(b, &status, 0);
	abi_yes("A: B got the second ^C", WIFEXITED(status) &&
						 WEXITSTATUS(status) == 7);
	abi_yes("A: no second SIGINT of mine",
		got[SIGINT] == 1 && !is_pending(SIGINT));
	SHOW("A: tcsetpgrp back (SIGTTOU ignored)",
	     tcsetpgrp(slave, getpgrp()));

	tell(to_parent[1], 'w');
	await(to_child[0]);
	wait_signal(SIGWINCH);
	ioctl(slave, TIOCGWINSZ, &ws);
	printf("A: SIGWINCH, size %ux%u\n", ws.ws_row, ws.ws_col);
	tell(to_parent[1], 's');
	await(to_child[0]);
	abi_yes("A: no SIGWINCH for the same size", !is_pending(SIGWINCH) &&
							    got[SIGWINCH] == 1);

	tell(to_parent[1], 'h');
	wait_signal(SIGHUP);
	wait_signal(SIGCONT);
	printf("A: hangup gave me SIGHUP %d SIGCONT %d\n", got[SIGHUP],
	       got[SIGCONT]);
	SHOW("A: /dev/tty after the hangup", open("/dev/tty", O_RDWR));
	SHOW("A: tcgetsid after the hangup", tcgetsid(slave));
	fflush(stdout);
	_exit(0);
}

/* The parent's side of A's run: ^C twice, the window size, the hangup. */
static void drive_a(int master, pid_t a)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int v = -1, status;

	await(to_parent[0]);
	write(master, "\x03", 1);
	abi_expect("master reads the echo of ^C", master, 2);
	tell(to_child[1], 'k');
	await(to_parent[0]);
	write(master, "\x03", 1);
	abi_expect("master reads the second echo", master, 2);
	tell(to_child[1], 'k');
	await(to_parent[0]);
	ioctl(master, TIOCGPGRP, &v);
	abi_yes("master: TIOCGPGRP is A's group", v == a);
	ioctl(master, TIOCGSID, &v);
	abi_yes("master: TIOCGSID is A's session", v == a);
	SHOW("master: TIOCSWINSZ", ioctl(master, TIOCSWINSZ, &ws));
	tell(to_child[1], 'k');
	await(to_parent[0]);
	SHOW("master: TIOCSWINSZ the same", ioctl(master, TIOCSWINSZ, &ws));
	tell(to_child[1], 'k');
	await(to_parent[0]);
	close(master);
	waitpid(a, &status, 0);
	printf("A's status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status)
						     : -1);
}

/* TIOCSCTTY: C takes the slave of an O_NOCTTY open; D, another session,
 * cannot while C has it, and can once C (its leader) exited. */
static void sctty(void)
{
	int master, slave, status, d_go[2];
	pid_t c, d;

	if (abi_pty_open(O_RDWR | O_NOCTTY, O_RDWR | O_NOCTTY, &master,
			 &slave))
		return;
	pipe(d_go);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		setsid();
		SHOW("C: tcgetsid of an O_NOCTTY open", tcgetsid(slave));
		SHOW("C: TIOCSCTTY", ioctl(slave, TIOCSCTTY, 0));
		abi_yes("C: the slave is my terminal",
			tcgetsid(slave) == getpid());
		tell(to_parent[1], 'c');
		await(to_child[0]);
		fflush(stdout);
		_exit(0);
	}
	await(to_parent[0]);
	fflush(stdout);
	d = fork();
	if (d == 0) {
		setsid();
		SHOW("D: TIOCSCTTY of C's terminal", ioctl(slave, TIOCSCTTY, 0));
		tell(to_parent[1], 'd');
		await(d_go[0]);
		SHOW("D: TIOCSCTTY once C exited",
		     ioctl(master, TIOCSCTTY, 0));
		abi_yes("D: the slave is my terminal",
			tcgetsid(slave) == getpid());
		fflush(stdout);
		_exit(0);
	}
	await(to_parent[0]);
	tell(to_child[1], 'x');
	waitpid(c, &status, 0);
	tell(d_go[1], 'x');
	waitpid(d, &status, 0);
	printf("D's status: %d\n", WEXITSTATUS(status));
	close(slave);
	close(master);
}

int main(void)
{
	struct sigaction sa;
	int master, slave;
	sigset_t block;
	char *name;
	pid_t a;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	signal(SIGTTOU, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCONT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pipe(to_parent);
	pipe(to_child);

	if (abi_pty_open(O_RDWR | O_NOCTTY, O_RDWR | O_NOCTTY, &master,
			 &slave))
		return 1;
	close(slave); /* A opens it anew, as its terminal */
	name = ptsname(master);
	fflush(stdout);
	a = fork();
	if (a == 0)
		child_a(master, name);
	drive_a(master, a);
	sctty();
	return 0;
}
