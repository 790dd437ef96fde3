/* signalfd4 and signalfd: the flags (SFD_NONBLOCK, SFD_CLOEXEC, a bad
 * one), what fstat shows, reads of blocked pending signals (one record
 * each, as many as fit; the fields of a kill, a sigqueue and a raise),
 * EAGAIN when none is pending, EINVAL for a short buffer, poll and epoll
 * readiness, a mask update through the fd itself (EINVAL for another
 * kind of fd, EBADF for a closed one), SIGKILL in a mask ignored, and a
 * blocked read woken by a signal a child sends. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_poll.h"

static void block(int sig)
{
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, sig);
	sigprocmask(SIG_BLOCK, &m, NULL);
}

static void show_record(const char *label, const struct signalfd_siginfo *s,
			pid_t self)
{
	printf("%s: signo %u code %d pid-is-self %d uid %u int %d\n", label,
	       s->ssi_signo, s->ssi_code, s->ssi_pid == (uint32_t)self,
	       s->ssi_uid, s->ssi_int);
}

int main(void)
{
	struct signalfd_siginfo rec[4];
	sigset_t mask, other;
	struct stat st;
	struct epoll_event ev = { EPOLLIN, { 0 } };
	union sigval v = { .sival_int = 42 };
	pid_t self = getpid(), child;
	int fd, ep, status, p[2];

	block(SIGUSR1);
	block(SIGUSR2);
	block(SIGRTMIN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGRTMIN);
	SHOW("bad flag", signalfd(-1, &mask, 0x1));
	SHOW("bad size", syscall(SYS_signalfd4, -1, &mask, 4, 0));
	SHOW("bad mask pointer", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));
	fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	abi_yes("signalfd", fd >= 0);
	abi_yes("O_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK);
	abi_yes("FD_CLOEXEC", fcntl(fd, F_GETFD) & FD_CLOEXEC);
	fstat(fd, &st);
	printf("type %o mode %o\n", (unsigned)st.st_mode & S_IFMT,
	       (unsigned)st.st_mode & 0777);
	SHOW("read none pending", read(fd, rec, sizeof(rec)));
	abi_show_poll("poll none pending", fd);
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	SHOW("epoll none pending", epoll_wait(ep, &ev, 1, 0));

	kill(self, SIGUSR1);
	sigqueue(self, SIGRTMIN, v);
	raise(SIGUSR2); /* not in the mask */
	abi_show_poll("poll two pending", fd);
	SHOW("epoll two pending", epoll_wait(ep, &ev, 1, 0));
	SHOW("read short buffer", read(fd, rec, sizeof(rec[0]) - 1));
	SHOW("read both", read(fd, rec, sizeof(rec)));
	show_record("first", &rec[0], self);
	show_record("second", &rec[1], self);
	SHOW("read after", read(fd, rec, sizeof(rec)));
	abi_show_poll("poll after", fd);

	/* One record at a time when the buffer holds one. */
	kill(self, SIGUSR1);
	sigqueue(self, SIGRTMIN, v);
	SHOW("read one", read(fd, rec, sizeof(rec[0])));
	show_record("one", &rec[0], self);
	SHOW("read the other", read(fd, rec, sizeof(rec[0])));
	show_record("other", &rec[0], self);

	/* The mask changes through the fd; SIGUSR2 is waiting. */
	sigemptyset(&other);
	sigaddset(&other, SIGUSR2);
	sigaddset(&other, SIGKILL);
	SHOW("update returns the fd", signalfd(fd, &other, 0) == fd);
	abi_show_poll("poll with SIGUSR2 in the mask", fd);
	SHOW("read SIGUSR2", read(fd, rec, sizeof(rec)));
	show_record("raised", &rec[0], self);
	pipe(p);
	SHOW("update a pipe", signalfd(p[0], &other, 0));
	close(p[1]);
	SHOW("update a closed fd", signalfd(p[1], &other, 0));

	/* A blocking signalfd: the read waits for a child's kill. */
	close(fd);
	fd = signalfd(-1, &mask, 0);
	child = fork();
	if (child == 0) {
		usleep(20000);
		kill(self, SIGUSR1);
		_exit(0);
	}
	SHOW("blocking read", read(fd, rec, sizeof(rec)));
	printf("woken by signo %u, sender is the child %d\n", rec[0].ssi_signo,
	       rec[0].ssi_pid == (uint32_t)child);
	waitpid(child, &status, 0);
	close(fd);
	close(ep);
	return 0;
}
