/* A signal ending ppoll, pselect and epoll_pwait through their masks:
 * SIGUSR1 is blocked and pending, the call's mask unblocks it, so the
 * wait ends at once with EINTR (SA_RESTART or not: these calls never
 * restart after a handler), the handler runs under the call's mask, and
 * afterwards SIGUSR1 is blocked again. A mask that keeps it blocked
 * leaves it pending. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

#include "abi.h"

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void set_handler(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

/* SIGUSR1 blocked and made pending. */
static void pend(void)
{
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, NULL);
	raise(SIGUSR1);
	handled = 0;
}

static void show_after(void)
{
	sigset_t now, pending;

	sigprocmask(SIG_BLOCK, NULL, &now);
	sigpending(&pending);
	printf("handled %d, blocked again %d, still pending %d\n",
	       (int)handled, sigismember(&now, SIGUSR1),
	       sigismember(&pending, SIGUSR1));
}

int main(void)
{
	int p[2], ep = epoll_create1(0);
	struct pollfd pfd;
	struct epoll_event ev = { EPOLLIN, { 0 } };
	struct timespec zero = { 0, 0 };
	sigset_t open_mask, keep;
	fd_set r;

	pipe(p);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	sigemptyset(&open_mask);
	sigemptyset(&keep);
	sigaddset(&keep, SIGUSR1);

	set_handler(0);
	pend();
	SHOW("ppoll", ppoll(&pfd, 1, NULL, &open_mask));
	show_after();
	set_handler(SA_RESTART);
	pend();
	SHOW("ppoll with SA_RESTART", ppoll(&pfd, 1, NULL, &open_mask));
	show_after();
	pend();
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	SHOW("pselect", pselect(p[0] + 1, &r, NULL, NULL, NULL, &open_mask));
	show_after();
	pend();
	SHOW("epoll_pwait", epoll_pwait(ep, &ev, 1, -1, &open_mask));
	show_after();
	pend();
	SHOW("ppoll keeping it blocked", ppoll(&pfd, 1, &zero, &keep));
	show_after();
	sigprocmask(SIG_UNBLOCK, &keep, NULL);
	printf("handled once unblocked: %d\n", (int)handled);
	return 0;
}
