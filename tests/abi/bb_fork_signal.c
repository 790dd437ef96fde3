/* A signal handler runs in a forked child of a process that already ran
 * one. Found by the busybox shell suite on riscv64: a subshell of
 * `$(...)` died of SIGSEGV at its first SIGCHLD ("cannot write the frame")
 * because the child started without its parent's sigreturn trampoline
 * and could not map a second one at the same address. The parent takes
 * a signal first; the child, and a grandchild, then each take two. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

/* Raises SIGUSR1 twice and says how many the handler counted. */
static void take_two(const char *who)
{
	caught = 0;
	raise(SIGUSR1);
	raise(SIGUSR1);
	printf("%s caught %d\n", who, (int)caught);
	fflush(stdout);
}

/* Forks; the child runs body, the parent waits and prints its status. */
static void in_child(const char *who, void (*body)(void))
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		body();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("%s killed by signal %d\n", who, WTERMSIG(status));
	else
		printf("%s status %d\n", who, WEXITSTATUS(status));
	fflush(stdout);
}

static void grandchild(void)
{
	take_two("grandchild");
}

static void child(void)
{
	take_two("child");
	in_child("grandchild", grandchild);
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	take_two("parent");
	in_child("child", child);
	return 0;
}
