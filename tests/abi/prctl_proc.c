/* prctl(2)'s process options: PR_SET/GET_PDEATHSIG (the signal comes when
 * the parent exits; not inherited), PR_SET/GET_CHILD_SUBREAPER (an
 * orphaned grandchild is reparented to the subreaper, which can wait for
 * it; not inherited), PR_SET/GET_DUMPABLE (0 after an id change),
 * PR_SET/GET_NO_NEW_PRIVS (set once, inherited), and their EINVAL and
 * EFAULT cases. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static int get_int(int option)
{
	int v = -1;

	if (prctl(option, &v, 0, 0, 0))
		return -1;
	return v;
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* The grandchild: asks for SIGUSR1 at its parent's death, tells the
 * parent (which then exits), waits for the signal, reports to stdout. */
static void grandchild(int ready_fd, pid_t middle)
{
	sigset_t usr1, old;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	write(ready_fd, "r", 1);
	while (!got_usr1)
		sigsuspend(&old);
	printf("grandchild: got SIGUSR1 at its parent's death\n");
	abi_yes("grandchild: reparented away from the dead parent",
		getppid() != middle);
	abi_yes("grandchild: reparented to the subreaper",
		getppid() == (pid_t)getpgid(0));
	fflush(stdout);
	_exit(7);
}

static void subreaper_case(void)
{
	int ready[2], told[2], status, middle_status;
	bool waited;
	pid_t middle, grand;
	char c;

	SHOW("PR_SET_CHILD_SUBREAPER", prctl(PR_SET_CHILD_SUBREAPER, 1));
	printf("PR_GET_CHILD_SUBREAPER: %d\n", get_int(PR_GET_CHILD_SUBREAPER));
	setpgid(0, 0); /* the grandchild finds the subreaper's pid as pgid */
	if (pipe(ready) || pipe(told))
		return;
	fflush(stdout);
	middle = fork();
	if (middle == 0) {
		printf("child: PR_GET_CHILD_SUBREAPER %d PR_GET_PDEATHSIG %d\n",
		       get_int(PR_GET_CHILD_SUBREAPER),
		       get_int(PR_GET_PDEATHSIG));
		fflush(stdout);
		grand = fork();
		if (grand == 0)
			grandchild(ready[1], getpid());
		read(ready[0], &c, 1);
		/* Tells the subreaper the grandchild's pid, then dies. */
		write(told[1], &grand, sizeof(grand));
		_exit(3);
	}
	read(told[0], &grand, sizeof(grand));
	waitpid(middle, &middle_status, 0);
	/* Prints once the grandchild has: one order on every machine. */
	waited = waitpid(grand, &status, 0) == grand;
	printf("middle exit: %d\n", WEXITSTATUS(middle_status));
	abi_yes("the subreaper waits for the grandchild", waited);
	printf("grandchild exit: %d\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void ids_and_dumpable(void)
{
	printf("PR_GET_DUMPABLE: %d\n", prctl(PR_GET_DUMPABLE));
	SHOW("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0));
	printf("PR_GET_DUMPABLE: %d\n", prctl(PR_GET_DUMPABLE));
	SHOW("PR_SET_DUMPABLE 2", prctl(PR_SET_DUMPABLE, 2));
	SHOW("PR_SET_DUMPABLE 1", prctl(PR_SET_DUMPABLE, 1));
	SHOW("setresuid 0 1000 0", setresuid(0, 1000, 0));
	printf("PR_GET_DUMPABLE after seteuid: %d\n", prctl(PR_GET_DUMPABLE));
	SHOW("PR_SET_DUMPABLE 1", prctl(PR_SET_DUMPABLE, 1));
	printf("PR_GET_DUMPABLE: %d\n", prctl(PR_GET_DUMPABLE));
}

int main(void)
{
	int status;
	pid_t kid;

	printf("PR_GET_PDEATHSIG: %d\n", get_int(PR_GET_PDEATHSIG));
	SHOW("PR_SET_PDEATHSIG SIGUSR2", prctl(PR_SET_PDEATHSIG, SIGUSR2));
	printf("PR_GET_PDEATHSIG: %d\n", get_int(PR_GET_PDEATHSIG));
	SHOW("PR_SET_PDEATHSIG 65", prctl(PR_SET_PDEATHSIG, 65));
	SHOW("PR_GET_PDEATHSIG bad pointer", prctl(PR_GET_PDEATHSIG, 8));
	SHOW("PR_SET_PDEATHSIG 0", prctl(PR_SET_PDEATHSIG, 0));
	printf("PR_GET_CHILD_SUBREAPER: %d\n", get_int(PR_GET_CHILD_SUBREAPER));
	SHOW("PR_GET_CHILD_SUBREAPER bad pointer",
	     prctl(PR_GET_CHILD_SUBREAPER, 8));

	printf("PR_GET_NO_NEW_PRIVS: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	SHOW("PR_SET_NO_NEW_PRIVS 0", prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
	SHOW("PR_SET_NO_NEW_PRIVS extra arg",
	     prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
	SHOW("PR_GET_NO_NEW_PRIVS extra arg",
	     prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));

	fflush(stdout);
	kid = fork();
	if (kid == 0) {
		subreaper_case();
		fflush(stdout);
		_exit(0);
	}
	waitpid(kid, &status, 0);
	fflush(stdout);
	kid = fork();
	if (kid == 0) {
		ids_and_dumpable();
		fflush(stdout);
		_exit(0);
	}
	waitpid(kid, &status, 0);

	SHOW("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	printf("PR_GET_NO_NEW_PRIVS: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	fflush(stdout);
	kid = fork();
	if (kid == 0) {
		printf("child: PR_GET_NO_NEW_PRIVS %d\n",
		       prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(kid, &status, 0);
	return 0;
}
