/* SIGPIPE from a broken pipe or socket in every disposition: the default
 * action kills the writer (its parent sees signal 13) and the write never
 * returns; blocked, the write fails with EPIPE and SIGPIPE stays pending
 * for the writing thread (not the process: another thread does not see
 * it); ignored, EPIPE alone; caught with SA_SIGINFO, the handler sees
 * SI_USER from the writer's own pid and uid, once per failed write
 * (writev and a socket's send too; MSG_NOSIGNAL and a send on a pipe,
 * ENOTSOCK, raise none). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"

static int broken[2];
static volatile sig_atomic_t caught, code_user, from_self;

static void make_broken(void)
{
	pipe(broken);
	close(broken[0]);
}

static void default_action(void)
{
	signal(SIGPIPE, SIG_DFL);
	make_broken();
	write(broken[1], "x", 1);
	printf("not reached\n");
}

static int pending_here(void)
{
	sigset_t s;

	sigpending(&s);
	return sigismember(&s, SIGPIPE);
}

static int other_saw;

static void *other_thread(void *arg)
{
	(void)arg;
	other_saw = pending_here();
	return NULL;
}

/* SIGPIPE blocked in a process with a second thread: pending for the
 * writer only. */
static void blocked(void)
{
	sigset_t m;
	pthread_t th;

	sigemptyset(&m);
	sigaddset(&m, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &m, NULL);
	make_broken();
	SHOW("write, SIGPIPE blocked", write(broken[1], "x", 1));
	abi_yes("pending for the writing thread", pending_here());
	pthread_create(&th, NULL, other_thread, NULL);
	pthread_join(th, NULL);
	abi_yes("not for another thread", !other_saw);
	{
		siginfo_t si;
		struct timespec zero = { 0, 0 };

		SHOW("sigtimedwait takes it", sigtimedwait(&m, &si, &zero));
		printf("si_code SI_USER %d, si_pid ours %d\n",
		       si.si_code == SI_USER, si.si_pid == getpid());
	}
}

static void on_pipe(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	caught++;
	code_user = si->si_code == SI_USER;
	from_self = si->si_pid == getpid() && si->si_uid == getuid();
}

static void caught_and_ignored(void)
{
	struct sigaction sa;
	struct iovec v[2] = { { "ab", 2 }, { "cd", 2 } };
	int sv[2];

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_pipe;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGPIPE, &sa, NULL);
	make_broken();
	SHOW("write, caught", write(broken[1], "x", 1));
	printf("caught %d, SI_USER %d, from the writer %d\n", (int)caught,
	       (int)code_user, (int)from_self);
	SHOW("writev, caught", writev(broken[1], v, 2));
	SHOW("caught", caught);
	SHOW("send on a pipe", send(broken[1], "x", 1, 0));
	SHOW("caught", caught);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	SHOW("send to a closed peer", send(sv[0], "x", 1, 0));
	SHOW("caught", caught);
	SHOW("send MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
	SHOW("caught", caught);
	signal(SIGPIPE, SIG_IGN);
	SHOW("write, ignored", write(broken[1], "x", 1));
	SHOW("write to the socket, ignored", write(sv[0], "x", 1));
	SHOW("caught", caught);
	abi_yes("nothing pending", !pending_here());
	close(sv[0]);
}

int main(void)
{
	abi_in_child("default action", default_action);
	abi_in_child("blocked", blocked);
	abi_in_child("caught and ignored", caught_and_ignored);
	return 0;
}
