/*
 * Process identity and yielding: getpid is positive and stable,
 * set_tid_address returns the thread id (the pid, single-threaded),
 * sched_yield returns 0. Prints only what does not depend on the pid's
 * value. Exits 0 when all hold.
 */
#include <user.h>

static int tid_word;

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	long pid = sys_getpid();
	int ok = pid > 0 && sys_getpid() == pid;

	uprintf("getpid %s\n", ok ? "ok" : "WRONG");
	if (sys_set_tid_address(&tid_word) != pid) {
		uputs("set_tid_address WRONG");
		ok = 0;
	} else {
		uputs("set_tid_address ok");
	}
	if (sys_sched_yield() != 0) {
		uputs("sched_yield WRONG");
		ok = 0;
	} else {
		uputs("sched_yield ok");
	}
	return ok ? 0 : 1;
}
