/* /proc/<pid>/stat and status fields that follow from what the process
 * did, beyond procfs.c: stat's pid, state, ppid, pgrp and session (as
 * getpgrp and getsid say), priority 20 and nice 0, num_threads,
 * exit_signal 17, a child's start time not before its parent's and its
 * pgrp after setpgid; status' Umask after umask(2), Uid and Gid (real,
 * effective, saved, fs) after setresuid/setresgid and setfsuid, Groups
 * after setgroups, SigBlk, SigIgn, SigCgt, SigPnd and ShdPnd for the
 * signals this test changes, NoNewPrivs after PR_SET_NO_NEW_PRIVS, and
 * Name after PR_SET_NAME. Only relations and the bits this test sets are
 * printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_procfs.h"
#include "abi_proc.h"

static char buf[8192];

static long slurp(const char *path)
{
	return abi_slurp(path, buf, sizeof(buf));
}

/* Field k (1-based, as proc(5) numbers them) of /proc/<pid>/stat, as a
 * number (the state letter for 3); -1 if it cannot be read. */
static long long stat_field(pid_t pid, int k)
{
	char path[64];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (slurp(path) < 0 || !(p = abi_stat_field(buf, k)))
		return -1;
	return k == 3 ? *p : strtoll(p, NULL, 10);
}

/* The text after "Key:\t" in /proc/self/status, up to the line's end. */
static const char *status_value(const char *key)
{
	static char v[256];
	char want[64], *p;

	buf[0] = '\n';
	abi_slurp_at("/proc/self/status", buf, sizeof(buf), 1);
	snprintf(want, sizeof(want), "\n%s:\t", key);
	p = strstr(buf, want);
	if (!p)
		return "(none)";
	p += strlen(want);
	snprintf(v, sizeof(v), "%.*s", (int)strcspn(p, "\n"), p);
	return v;
}

/* Whether bit sig is set in the hex mask of status line key. */
static int sig_bit(const char *key, int sig)
{
	unsigned long long m = strtoull(status_value(key), NULL, 16);

	return (int)((m >> (sig - 1)) & 1);
}

static void own_stat(void)
{
	pid_t me = getpid();

	printf("state: %c\n", (char)stat_field(me, 3));
	abi_yes("ppid", stat_field(me, 4) == getppid());
	abi_yes("pgrp", stat_field(me, 5) == getpgrp());
	abi_yes("session", stat_field(me, 6) == getsid(0));
	printf("priority %lld nice %lld num_threads %lld exit_signal %lld\n",
	       stat_field(me, 18), stat_field(me, 19), stat_field(me, 20),
	       stat_field(me, 38));
}

static void child_stat(void)
{
	int p[2], status;
	pid_t pid;
	char c;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	abi_yes("child's ppid is us", stat_field(pid, 4) == getpid());
	abi_yes("child's pgrp is ours", stat_field(pid, 5) == getpgrp());
	abi_yes("child started no earlier than us",
		stat_field(pid, 22) >= stat_field(getpid(), 22));
	SHOW("setpgid(child, child)", setpgid(pid, pid));
	abi_yes("child's pgrp is now its pid", stat_field(pid, 5) == pid);
	printf("child's exit_signal: %lld\n", stat_field(pid, 38));
	write(p[1], "x", 1);
	close(p[1]);
	waitpid(pid, &status, 0);
}

static void umask_line(void)
{
	mode_t old = umask(027);

	printf("Umask after umask(027): %s\n", status_value("Umask"));
	umask(0);
	printf("Umask after umask(0): %s\n", status_value("Umask"));
	umask(old);
}

static void ids(void)
{
	gid_t groups[] = { 5, 6 };

	SHOW("setgroups 5 6", setgroups(2, groups));
	printf("Groups: %s\n", status_value("Groups"));
	SHOW("setresgid 10 11 12", setresgid(10, 11, 12));
	printf("Gid: %s\n", status_value("Gid"));
	SHOW("setresuid 1 2 3", setresuid(1, 2, 3));
	printf("Uid: %s\n", status_value("Uid"));
	setfsuid(3);
	printf("Uid after setfsuid(3): %s\n", status_value("Uid"));
}

static void on_sig(int sig)
{
	(void)sig;
}

static void signal_lines(void)
{
	sigset_t m;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGWINCH, SIG_IGN);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGTERM);
	sigprocmask(SIG_BLOCK, &m, NULL);
	printf("SigCgt USR2 %d, SigIgn WINCH %d, SigIgn USR2 %d\n",
	       sig_bit("SigCgt", SIGUSR2), sig_bit("SigIgn", SIGWINCH),
	       sig_bit("SigIgn", SIGUSR2));
	printf("SigBlk USR1 %d TERM %d USR2 %d\n", sig_bit("SigBlk", SIGUSR1),
	       sig_bit("SigBlk", SIGTERM), sig_bit("SigBlk", SIGUSR2));
	raise(SIGUSR1);          /* to this thread */
	kill(getpid(), SIGTERM); /* to the process */
	printf("SigPnd USR1 %d TERM %d\n", sig_bit("SigPnd", SIGUSR1),
	       sig_bit("SigPnd", SIGTERM));
	printf("ShdPnd USR1 %d TERM %d\n", sig_bit("ShdPnd", SIGUSR1),
	       sig_bit("ShdPnd", SIGTERM));
	signal(SIGUSR1, SIG_IGN); /* discards the pending one */
	signal(SIGTERM, SIG_IGN);
	printf("after ignoring them: SigPnd USR1 %d, ShdPnd TERM %d\n",
	       sig_bit("SigPnd", SIGUSR1), sig_bit("ShdPnd", SIGTERM));
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	printf("restored: SigCgt USR2 %d, SigIgn WINCH %d, SigBlk USR1 %d\n",
	       sig_bit("SigCgt", SIGUSR2), sig_bit("SigIgn", SIGWINCH),
	       sig_bit("SigBlk", SIGUSR1));
}

static void prctl_lines(void)
{
	printf("NoNewPrivs before: %s\n", status_value("NoNewPrivs"));
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	printf("NoNewPrivs after: %s\n", status_value("NoNewPrivs"));
	prctl(PR_SET_NAME, "renamed-proc", 0, 0, 0);
	printf("Name after PR_SET_NAME: %s\n", status_value("Name"));
	slurp("/proc/self/comm");
	printf("comm: %s", buf);
	slurp("/proc/self/stat");
	printf("stat comm: %.*s\n", (int)strcspn(buf, ")") + 1 - (int)strcspn(buf, "("),
	       buf + strcspn(buf, "("));
}

int main(void)
{
	own_stat();
	child_stat();
	umask_line();
	abi_in_child("ids", ids);
	abi_in_child("signals", signal_lines);
	abi_in_child("prctl", prctl_lines);
	return 0;
}
