/* Thread names and the /proc of threads that do not lead their process:
 * pthread_setname_np/getname_np on another thread (glibc goes through
 * /proc/self/task/<tid>/comm) and on itself (prctl PR_SET_NAME), each
 * thread's name in its own comm, stat and status while the process's
 * files keep the leader's, comm writes cut at 15 bytes but counted
 * whole (a newline kept), EINVAL for another process's comm, a forked
 * child named as the thread that forked, /proc/<tid> resolving (stat,
 * status, task/ of the whole group) but absent from a listing of /proc,
 * /proc/thread-self naming the calling thread, and all of it ENOENT once
 * the thread is joined. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_procfs.h"

static char buf[8192];
static pid_t worker_tid;
static int to_worker[2], from_worker[2];

/* The file's text up to its first newline (the newline dropped). */
static const char *line_of(const char *path)
{
	char *nl;

	if (abi_slurp(path, buf, sizeof(buf)) < 0)
		return abi_errname(errno);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return buf;
}

/* The comm between the parentheses of a stat file. */
static const char *stat_comm(const char *path)
{
	char *open_paren, *close_paren;

	if (abi_slurp(path, buf, sizeof(buf)) < 0)
		return abi_errname(errno);
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren)
		return "?";
	*close_paren = '\0';
	return open_paren + 1;
}

/* The value of a status line ("Name:", "Pid:") as text. */
static const char *status_field(const char *path, const char *key)
{
	static char value[64];
	const char *at;
	size_t n;

	if (abi_slurp(path, buf, sizeof(buf)) < 0)
		return abi_errname(errno);
	at = strstr(buf, key);
	if (!at)
		return "?";
	at += strlen(key);
	while (*at == '\t')
		at++;
	n = strcspn(at, "\n");
	if (n >= sizeof(value))
		n = sizeof(value) - 1;
	memcpy(value, at, n);
	value[n] = '\0';
	return value;
}

static void wait_for(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		abort();
}

static void signal_to(int fd)
{
	if (write(fd, "x", 1) != 1)
		abort();
}

/* The worker: says it runs, then answers two rounds of questions about
 * itself. */
static void *worker(void *arg __attribute__((unused)))
{
	char name[16] = "", link[64], want[64];
	int status;
	pid_t pid;

	worker_tid = gettid();
	signal_to(from_worker[1]);
	wait_for(to_worker[0]);
	prctl(PR_GET_NAME, name);
	printf("worker PR_GET_NAME: %s\n", name);
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), gettid());
	memset(link, 0, sizeof(link));
	readlink("/proc/thread-self", link, sizeof(link) - 1);
	abi_yes("thread-self is pid/task/tid", !strcmp(link, want));
	printf("thread-self/comm: %s\n", line_of("/proc/thread-self/comm"));
	pid = fork();
	if (pid == 0)
		_exit(strcmp(line_of("/proc/self/comm"), "worker-1") ? 1 : 0);
	waitpid(pid, &status, 0);
	abi_yes("a child forked by the worker is named worker-1",
		WIFEXITED(status) && WEXITSTATUS(status) == 0);
	signal_to(from_worker[1]);
	wait_for(to_worker[0]);
	return NULL;
}

/* Writes text to path, printing what write returned. */
static void write_comm(const char *label, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0) {
		SHOW(label, -1);
		return;
	}
	SHOW(label, write(fd, text, strlen(text)));
	close(fd);
}

static void names(pthread_t th)
{
	char path[96], name[32];

	SHOW("setname worker", pthread_setname_np(th, "worker-1"));
	memset(name, 0, sizeof(name));
	SHOW("getname worker", pthread_getname_np(th, name, sizeof(name)));
	printf("worker name: %s\n", name);
	printf("setname 16 bytes: %s\n",
	       abi_errname(pthread_setname_np(th, "0123456789abcdef")));
	printf("getname into 4 bytes: %s\n",
	       abi_errname(pthread_getname_np(th, name, 4)));
	SHOW("setname self", pthread_setname_np(pthread_self(), "leader"));
	memset(name, 0, sizeof(name));
	pthread_getname_np(pthread_self(), name, sizeof(name));
	printf("own name: %s\n", name);

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", worker_tid);
	printf("task comm: %s\n", line_of(path));
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", worker_tid);
	printf("task stat comm: %s\n", stat_comm(path));
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", worker_tid);
	printf("task status Name: %s\n", status_field(path, "Name:"));
	printf("process comm: %s\n", line_of("/proc/self/comm"));
	printf("process stat comm: %s\n", stat_comm("/proc/self/stat"));
	printf("process status Name: %s\n",
	       status_field("/proc/self/status", "Name:"));
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", getpid());
	printf("leader's task comm: %s\n", line_of(path));
}

static void comm_writes(void)
{
	char path[96];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", worker_tid);
	write_comm("write 28 bytes", path, "a-very-long-thread-name-here");
	printf("comm cut: %s\n", line_of(path));
	write_comm("write with a newline", path, "nl\n");
	SHOW("comm bytes with the newline", abi_slurp(path, buf, sizeof(buf)));
	write_comm("write back", path, "worker-1");
	printf("comm again: %s\n", line_of(path));
	write_comm("write the process's comm", "/proc/self/comm", "procname");
	printf("leader's name after it: %s\n",
	       status_field("/proc/self/status", "Name:"));
	pid = fork();
	if (pid == 0) {
		char other[64];
		int fd;

		snprintf(other, sizeof(other), "/proc/%d/comm", getppid());
		fd = open(other, O_WRONLY);
		_exit(fd >= 0 && write(fd, "intruder", 8) < 0 &&
				      errno == EINVAL
			      ? 0
			      : 1);
	}
	waitpid(pid, &status, 0);
	abi_yes("writing another process's comm is EINVAL",
		WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("own comm kept: %s\n", line_of("/proc/self/comm"));
	SHOW("no such task's comm",
	     open("/proc/self/task/999999/comm", O_WRONLY));
}

/* Whether a listing of /proc holds name. */
static int proc_lists(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

/* The entries of a directory that are not dot entries. */
static int entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void tid_dirs(void)
{
	char path[96], name[16], want[32];
	struct stat st;

	snprintf(name, sizeof(name), "%d", worker_tid);
	snprintf(path, sizeof(path), "/proc/%d", worker_tid);
	SHOW("stat /proc/<tid>", stat(path, &st));
	abi_yes("/proc/<tid> is a directory", S_ISDIR(st.st_mode));
	abi_yes("/proc lists the tid", proc_lists(name));
	snprintf(name, sizeof(name), "%d", getpid());
	abi_yes("/proc lists the pid", proc_lists(name));
	snprintf(path, sizeof(path), "/proc/%d/stat", worker_tid);
	printf("/proc/<tid>/stat comm: %s\n", stat_comm(path));
	abi_slurp(path, buf, sizeof(buf));
	abi_yes("/proc/<tid>/stat starts with the tid",
		atoi(buf) == worker_tid);
	snprintf(path, sizeof(path), "/proc/%d/status", worker_tid);
	snprintf(want, sizeof(want), "%d", worker_tid);
	abi_yes("/proc/<tid>/status Pid is the tid",
		!strcmp(status_field(path, "\nPid:"), want));
	snprintf(want, sizeof(want), "%d", getpid());
	abi_yes("/proc/<tid>/status Tgid is the pid",
		!strcmp(status_field(path, "Tgid:"), want));
	/* The worker goes to sleep in read: wait until it is there. */
	for (int k = 0; k < 100000 && *status_field(path, "State:") != 'S'; k++)
		sched_yield();
	printf("/proc/<tid>/status State: %s\n", status_field(path, "State:"));
	snprintf(path, sizeof(path), "/proc/%d/task", worker_tid);
	SHOW("/proc/<tid>/task entries", entries(path));
	snprintf(path, sizeof(path), "/proc/%d/comm", worker_tid);
	printf("/proc/<tid>/comm: %s\n", line_of(path));
	/* A lookup elsewhere in /proc must not make it vanish. */
	line_of("/proc/self/stat");
	snprintf(path, sizeof(path), "/proc/%d/task", worker_tid);
	SHOW("/proc/<tid>/task after another lookup", entries(path));
	snprintf(path, sizeof(path), "/proc/%d", worker_tid);
	SHOW("stat /proc/<tid> again", stat(path, &st));
	snprintf(path, sizeof(path), "/proc/self/task/%d", worker_tid);
	SHOW("stat task/<tid>", stat(path, &st));
}

int main(void)
{
	char path[96], name[16];
	pthread_t th;
	struct stat st;
	pid_t tid;

	if (pipe(to_worker) || pipe(from_worker))
		return 1;
	pthread_create(&th, NULL, worker, NULL);
	wait_for(from_worker[0]);
	names(th);
	signal_to(to_worker[1]);
	wait_for(from_worker[0]);
	comm_writes();
	tid_dirs();
	signal_to(to_worker[1]);
	pthread_join(th, NULL);
	tid = worker_tid;
	snprintf(path, sizeof(path), "/proc/%d", tid);
	/* join returns once the tid word is cleared, which both kernels do
	 * a little before the thread leaves its group: wait for that. */
	for (int k = 0; k < 100000 && stat(path, &st) == 0; k++)
		sched_yield();
	SHOW("stat /proc/<tid> after join", stat(path, &st));
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
	SHOW("task comm after join", open(path, O_RDONLY));
	snprintf(name, sizeof(name), "%d", tid);
	abi_yes("/proc lists the joined tid", proc_lists(name));
	return 0;
}
