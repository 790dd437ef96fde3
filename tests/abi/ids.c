/* The identity calls: ids agree with each other (every variant of one id
 * the same, as for a process that never changed them), gettid is the pid
 * of a one-thread process, getppid names some process. */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	uid_t r = 1, e = 1, s = 1;
	gid_t gr = 1, ge = 1, gs = 1;

	SHOW("getresuid", getresuid(&r, &e, &s));
	abi_yes("real uid is getuid", r == getuid());
	abi_yes("effective uid is geteuid", e == geteuid());
	abi_yes("saved uid is the real one", s == r);
	SHOW("getresgid", getresgid(&gr, &ge, &gs));
	abi_yes("real gid is getgid", gr == getgid());
	abi_yes("effective gid is getegid", ge == getegid());
	abi_yes("saved gid is the real one", gs == gr);
	abi_yes("uid is euid", getuid() == geteuid());
	abi_yes("gid is egid", getgid() == getegid());
	SHOW("getresuid bad pointer",
	     syscall(SYS_getresuid, &r, (void *)8, &s));
	SHOW("getresgid bad pointer",
	     syscall(SYS_getresgid, (void *)8, &ge, &gs));
	abi_yes("gettid is getpid", syscall(SYS_gettid) == getpid());
	abi_yes("getpid is positive", getpid() > 0);
	abi_yes("getppid is not negative", getppid() >= 0);
	return 0;
}
