/* 32-bit results written to unaligned user addresses, as Linux's
 * put_user does them on any address: wait4's status, getresuid's and
 * getresgid's ids, getcpu's cpu and node, prctl's PR_GET_* ints,
 * FIONREAD's count and clone's CLONE_PARENT_SETTID tid (Keel's word
 * accessors need alignment: these calls once answered EFAULT or EINVAL). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static _Alignas(16) unsigned char buf[64];

/* The 32-bit value at buf + off. */
static uint32_t at(size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

int main(void)
{
	int p[2];
	pid_t pid;
	long r;

	pid = fork();
	if (pid == 0)
		_exit(7);
	SHOW("wait4 to an odd address", wait4(pid, (int *)(buf + 1), 0, NULL) == pid);
	printf("exit status: %d\n", WEXITSTATUS((int)at(1)));

	memset(buf, 0xff, sizeof(buf));
	SHOW("getresuid", syscall(SYS_getresuid, buf + 1, buf + 6, buf + 11));
	printf("uids match: %d\n", at(1) == getuid() && at(6) == geteuid());
	SHOW("getresgid", syscall(SYS_getresgid, buf + 3, buf + 9, buf + 15));
	printf("gids match: %d\n", at(3) == getgid() && at(9) == getegid());

	memset(buf, 0xff, sizeof(buf));
	SHOW("getcpu", syscall(SYS_getcpu, buf + 1, buf + 7, NULL));
	printf("node: %u, cpu sane: %d\n", at(7), at(1) < 4096);

	memset(buf, 0xff, sizeof(buf));
	SHOW("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, buf + 2));
	printf("pdeath signal: %u\n", at(2));

	pipe(p);
	write(p[1], "abc", 3);
	SHOW("FIONREAD on a pipe", ioctl(p[0], FIONREAD, buf + 5));
	printf("readable: %u\n", at(5));

	memset(buf, 0, sizeof(buf));
	/* clone as fork, the parent's tid slot odd (the third argument on
	 * x86-64 and riscv64 alike). */
	r = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, buf + 1, 0, 0);
	if (r == 0)
		_exit(0);
	waitpid((pid_t)r, NULL, 0);
	printf("CLONE_PARENT_SETTID stored the tid: %d\n", r > 0 && at(1) == (uint32_t)r);
	return 0;
}
