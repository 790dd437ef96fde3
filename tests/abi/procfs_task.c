/* /proc of threads and of other processes' states: /proc/self/task lists
 * every thread (their tids, as gettid says), status Threads: and stat's
 * num_threads count them, task/<tid>/stat and status are the thread's
 * own (its tid, its state: S while it waits, R for the reader), threads
 * inherit the process's comm, and the count drops once they are joined; a
 * stopped child reads T, a sleeping one S, a zombie Z (status
 * "Z (zombie)", an empty cmdline, no exe, its comm kept, its parent still
 * its ppid), and a reaped one is gone (ENOENT). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_procfs.h"

#define THREADS 3

static char buf[8192];
static pid_t tids[THREADS];
static int go[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int started;

static long slurp(const char *path)
{
	return abi_slurp(path, buf, sizeof(buf));
}

/* The state letter of /proc/<pid>/stat, '?' if it cannot be read. */
static char state_of(pid_t pid)
{
	char path[64];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (slurp(path) < 0 || !(p = abi_stat_field(buf, 3)))
		return '?';
	return *p;
}

/* stat field 20 (num_threads) of path. */
static long num_threads(const char *path)
{
	const char *p;

	if (slurp(path) < 0 || !(p = abi_stat_field(buf, 20)))
		return -1;
	return strtol(p, NULL, 10);
}

static void *thread_main(void *arg)
{
	int k = (int)(long)arg;
	char c;

	pthread_mutex_lock(&lock);
	tids[k] = gettid();
	started++;
	pthread_mutex_unlock(&lock);
	read(go[0], &c, 1);
	return NULL;
}

/* The entries of /proc/self/task that are tids of this process. */
static void show_tasks(const char *label)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0, known = 0;

	while (d && (e = readdir(d))) {
		pid_t t;

		if (e->d_name[0] == '.')
			continue;
		n++;
		t = atoi(e->d_name);
		known += t == getpid();
		for (int k = 0; k < THREADS; k++)
			known += t == tids[k];
	}
	if (d)
		closedir(d);
	printf("%s: %d entries, %d known tids\n", label, n, known);
}

static void threads(void)
{
	pthread_t th[THREADS];
	char path[96];

	pipe(go);
	for (long k = 0; k < THREADS; k++)
		pthread_create(&th[k], NULL, thread_main, (void *)k);
	for (;;) {
		pthread_mutex_lock(&lock);
		if (started == THREADS) {
			pthread_mutex_unlock(&lock);
			break;
		}
		pthread_mutex_unlock(&lock);
		sched_yield();
	}
	show_tasks("task with 3 threads");
	slurp("/proc/self/status");
	abi_yes("status Threads: 4", strstr(buf, "\nThreads:\t4\n") != NULL);
	SHOW("stat num_threads", num_threads("/proc/self/stat"));
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[1]);
	slurp(path);
	abi_yes("task stat starts with the tid", atoi(buf) == tids[1]);
	SHOW("task stat num_threads", num_threads(path));
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tids[0]);
	slurp(path);
	printf("a thread's comm: %s", buf);
	slurp("/proc/self/comm");
	printf("process comm: %s", buf);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", getpid(), tids[2]);
	slurp(path);
	snprintf(path, sizeof(path), "\nPid:\t%d\n", tids[2]);
	abi_yes("task status Pid is the tid", strstr(buf, path) != NULL);
	snprintf(path, sizeof(path), "\nTgid:\t%d\n", getpid());
	abi_yes("task status Tgid is the pid", strstr(buf, path) != NULL);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[2]);
	slurp(path);
	printf("a sleeping thread's state: %c\n", strrchr(buf, ')') ? strrchr(buf, ')')[2] : '?');
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", gettid());
	slurp(path);
	printf("the reading thread's own state: %c\n", strrchr(buf, ')') ? strrchr(buf, ')')[2] : '?');
	write(go[1], "xxx", 3);
	for (int k = 0; k < THREADS; k++)
		pthread_join(th[k], NULL);
	show_tasks("task after joining");
	slurp("/proc/self/status");
	abi_yes("status Threads: 1", strstr(buf, "\nThreads:\t1\n") != NULL);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tids[1]);
	SHOW("a joined thread's task entry", slurp(path));
	close(go[0]);
	close(go[1]);
}

static void states(void)
{
	int p[2], status;
	pid_t pid;
	char path[64], t[64];
	siginfo_t si;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		read(p[0], &c, 1);
		_exit(3);
	}
	close(p[0]);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	printf("stopped child: %c\n", state_of(pid));
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	slurp(path);
	abi_yes("status T (stopped)", strstr(buf, "State:\tT (stopped)\n") != NULL);
	kill(pid, SIGCONT);
	waitpid(pid, &status, WCONTINUED);
	/* It goes back to sleep in read; wait until it is there. */
	for (int k = 0; k < 100000 && state_of(pid) != 'S'; k++)
		sched_yield();
	printf("child asleep in read: %c\n", state_of(pid));
	write(p[1], "x", 1);
	close(p[1]);
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	printf("zombie: %c\n", state_of(pid));
	slurp(path);
	abi_yes("status Z (zombie)", strstr(buf, "State:\tZ (zombie)\n") != NULL);
	snprintf(t, sizeof(t), "\nPPid:\t%d\n", getpid());
	abi_yes("status PPid is us", strstr(buf, t) != NULL);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	SHOW("zombie cmdline length", slurp(path));
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	slurp(path);
	printf("zombie comm: %s", buf);
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	SHOW("zombie exe", readlink(path, t, sizeof(t)));
	waitpid(pid, &status, 0);
	SHOW("exit status", WEXITSTATUS(status));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	SHOW("reaped child's stat", slurp(path));
	snprintf(path, sizeof(path), "/proc/%d", pid);
	SHOW("reaped child's dir", access(path, F_OK));
}

int main(void)
{
	threads();
	states();
	return 0;
}
