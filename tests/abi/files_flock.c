/* flock(2) between open files of one process: shared locks together,
 * an exclusive one alone (EWOULDBLOCK with LOCK_NB), dups sharing their
 * file's lock, the last close dropping it, a conversion that fails
 * leaving no lock (as Linux), LOCK_MAND ignored, and the errors. No call
 * here waits: every conflicting request has LOCK_NB. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef LOCK_MAND
#define LOCK_MAND 32
#define LOCK_READ 64
#endif

int main(void)
{
	int a, b, c, d;

	abi_scratch_enter();
	abi_write_file("f", "x");
	a = open("f", O_RDWR);
	b = open("f", O_RDONLY);
	c = open("f", O_WRONLY);
	SHOW("a shared", flock(a, LOCK_SH));
	SHOW("b shared too", flock(b, LOCK_SH | LOCK_NB));
	SHOW("c exclusive", flock(c, LOCK_EX | LOCK_NB));
	SHOW("a to exclusive", flock(a, LOCK_EX | LOCK_NB));
	SHOW("b unlocks", flock(b, LOCK_UN));
	SHOW("c exclusive: a lost its lock", flock(c, LOCK_EX | LOCK_NB));
	SHOW("a shared now", flock(a, LOCK_SH | LOCK_NB));
	SHOW("c to shared", flock(c, LOCK_SH | LOCK_NB));
	SHOW("a shared with it", flock(a, LOCK_SH | LOCK_NB));
	SHOW("c unlocks", flock(c, LOCK_UN));
	SHOW("a to exclusive", flock(a, LOCK_EX | LOCK_NB));
	SHOW("a again (its own)", flock(a, LOCK_EX | LOCK_NB));
	d = dup(a);
	SHOW("a dup unlocks a's lock", flock(d, LOCK_UN));
	SHOW("so b gets one", flock(b, LOCK_EX | LOCK_NB));
	SHOW("b unlocks", flock(b, LOCK_UN));
	SHOW("the dup locks", flock(d, LOCK_EX));
	close(a);
	SHOW("one close of two keeps it", flock(b, LOCK_SH | LOCK_NB));
	close(d);
	SHOW("the last close drops it", flock(b, LOCK_SH | LOCK_NB));
	SHOW("unlock when unlocked", flock(c, LOCK_UN));
	SHOW("LOCK_MAND", flock(c, LOCK_MAND | LOCK_READ));
	SHOW("LOCK_NB alone", flock(c, LOCK_NB));
	SHOW("LOCK_SH|LOCK_EX", flock(c, LOCK_SH | LOCK_EX));
	SHOW("bad fd", flock(999, LOCK_SH));
	a = open("f", O_PATH);
	SHOW("O_PATH", flock(a, LOCK_SH));
	close(a);
	close(b);
	close(c);
	abi_scratch_leave();
	return 0;
}
