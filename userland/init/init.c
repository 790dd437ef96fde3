/*
 * keel-init: pid 1 of the system `keel run` boots (docs/runner.md, "The
 * root file system"). The kernel's own init starts it as its one program
 * (`-- /sbin/keel-init`); it prepares what a Linux init prepares and runs
 * the program the runner asked for, then ends the machine with that
 * program's status:
 *
 *   1. mounts proc, devtmpfs, sysfs and tmpfs on /proc, /dev, /sys, /tmp
 *      unless something is mounted there already (the kernel mounts the
 *      first three at boot; without mount(2) a failure is only noted);
 *   2. sets the host name from /etc/hostname;
 *   3. makes the console its controlling terminal (setsid, TIOCSCTTY) on
 *      fds 0, 1 and 2;
 *   4. reads the program's argv from /etc/keel/argv and extra environment
 *      from /etc/keel/env (NUL-separated words, written by the runner, so
 *      no quoting is lost on the way), or takes its own arguments; default
 *      /bin/sh;
 *   5. runs it in its own process group in the foreground of the console,
 *      reaping every other child (orphans come to pid 1) meanwhile;
 *   6. exits with the program's status, 128+signal when it was killed: the
 *      kernel's init powers off with the exit status of its program, so no
 *      reboot(2) is needed to carry the status.
 *
 * A static program against the libc (glibc), built for each user
 * architecture by mk/userland.mk.
 */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define STATUS_NOT_FOUND 127
#define STATUS_CANNOT_RUN 126

/* Signals pid 1 must not die or stop from (Linux never delivers a
 * default action to init; keel-init does not rely on that). The program
 * gets their default actions back. */
static const int shielded[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN,
				SIGTTOU, SIGHUP, SIGPIPE };

static void set_shield(void (*action)(int))
{
	for (size_t i = 0; i < sizeof(shielded) / sizeof(shielded[0]); i++)
		signal(shielded[i], action);
}

/* Makes the console the controlling terminal of a new session and fds
 * 0, 1 and 2. A failure is noted and the boot goes on: the program may
 * still run without a terminal. */
static void take_console(void)
{
	int fd;

	if (setsid() < 0 && errno != EPERM)
		init_note("setsid", errno);
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0) {
		init_note("/dev/console", errno);
		return;
	}
	if (ioctl(fd, TIOCSCTTY, 0) < 0)
		init_note("TIOCSCTTY on /dev/console", errno);
	for (int i = 0; i <= 2; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* In the child: its own process group in the console's foreground, the
 * default signal actions back, then the program. Never returns. */
static void exec_program(char *const argv[], char **envp)
{
	int err;

	setpgid(0, 0);
	/* tcsetpgrp from a group that is not yet in the foreground raises
	 * SIGTTOU; init's shield ignores it until here. */
	if (isatty(0) && tcsetpgrp(0, getpid()) < 0)
		init_note("tcsetpgrp", errno);
	set_shield(SIG_DFL);
	/* execvp: a name without a slash is looked up in the program's
	 * own PATH, as a shell would. */
	environ = envp;
	execvp(argv[0], argv);
	err = errno;
	fprintf(stderr, "keel-init: %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT ? STATUS_NOT_FOUND : STATUS_CANNOT_RUN);
}

/* A shell's status for a wait status: the exit code, or 128+signal. */
static int shell_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return STATUS_CANNOT_RUN;
}

/* Waits for child, reaping every other process that ends meanwhile;
 * returns the child's shell status. */
static int wait_for(pid_t child)
{
	for (;;) {
		int wstatus;
		pid_t pid = wait(&wstatus);

		if (pid == child)
			return shell_status(wstatus);
		if (pid < 0 && errno != EINTR) {
			init_note("wait", errno);
			return STATUS_CANNOT_RUN;
		}
	}
}

int main(int argc, char **argv)
{
	struct init_request req;
	pid_t child;

	set_shield(SIG_IGN);
	init_mount_all();
	init_set_hostname();
	take_console();
	if (init_read_request(argc, argv, &req) < 0)
		return STATUS_CANNOT_RUN;
	child = fork();
	if (child < 0) {
		init_note("fork", errno);
		return STATUS_CANNOT_RUN;
	}
	if (child == 0)
		exec_program(req.argv, req.envp);
	/* Both sides set the group, so that neither order races. */
	setpgid(child, child);
	if (isatty(0))
		tcsetpgrp(0, child);
	return wait_for(child);
}
