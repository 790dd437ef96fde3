/* /proc and /sys as glibc, busybox and LTP's library read them: the
 * self links, /proc/self/{exe,stat,statm,status,cmdline,comm,environ,
 * fd,fdinfo,maps,cwd,root,limits,mounts,task}, the machine-wide files and
 * /sys/devices/system/cpu. Only what is the same on any Linux is printed:
 * names, the fields that follow from the process itself (pid, state,
 * thread count), formats ("has a [stack] line"), never sizes or times. */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "abi.h"
#include "abi_dirlist.h"

#define TEST_FILE "/tmp/keel-abi-procfs"

static char buf[65536];

/* The whole file into buf (NUL-ended); its length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static void links(void)
{
	char t[4096], want[64];
	ssize_t n;

	n = readlink("/proc/self/exe", t, sizeof(t) - 1);
	abi_yes("exe readlink", n > 0);
	t[n > 0 ? n : 0] = '\0';
	printf("exe basename: %s\n", base(t));
	abi_yes("exe absolute", t[0] == '/');
	SHOW("exe into 3 bytes", readlink("/proc/self/exe", t, 3));
	n = readlink("/proc/self", t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	abi_yes("self is the pid", !strcmp(t, want));
	n = readlink("/proc/thread-self", t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), gettid());
	abi_yes("thread-self is pid/task/tid", !strcmp(t, want));
	chdir("/");
	n = readlink("/proc/self/cwd", t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	printf("cwd after chdir /: %s\n", t);
	n = readlink("/proc/self/root", t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	printf("root: %s\n", t);
	SHOW("readlink of a missing entry",
	     readlink("/proc/self/nothing", t, sizeof(t)));
	SHOW("open of a missing entry", open("/proc/self/nothing", O_RDONLY));
}

static void stat_files(void)
{
	char comm[64], state;
	int pid, ppid, fields = 0;
	long threads = 0;
	char *p;

	abi_yes("stat read", slurp("/proc/self/stat") > 0);
	sscanf(buf, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
	abi_yes("stat pid", pid == getpid());
	printf("stat comm: %s\nstat state: %c\n", comm, state);
	abi_yes("stat ppid", ppid == getppid());
	p = strrchr(buf, ')');
	for (char *q = p; q && *q; q++)
		if (*q == ' ')
			fields++;
	printf("stat fields after comm: %d\n", fields); /* 50 */
	p = p + 2;
	for (int i = 3; i < 20; i++)
		p = strchr(p, ' ') + 1;
	threads = strtol(p, NULL, 10);
	printf("stat num_threads: %ld\n", threads);
	abi_yes("statm read", slurp("/proc/self/statm") > 0);
	fields = 0;
	for (char *q = buf; *q; q++)
		fields += *q == ' ';
	printf("statm fields: %d\n", fields + 1);
	abi_yes("status read", slurp("/proc/self/status") > 0);
	abi_yes("status Name", strstr(buf, "Name:\tprocfs\n") != NULL);
	snprintf(comm, sizeof(comm), "\nPid:\t%d\n", getpid());
	abi_yes("status Pid", strstr(buf, comm) != NULL);
	abi_yes("status State R", strstr(buf, "State:\tR (running)") != NULL);
	abi_yes("status Threads 1", strstr(buf, "Threads:\t1\n") != NULL);
	abi_yes("status SigBlk", strstr(buf, "SigBlk:\t") != NULL);
}

static void strings(void)
{
	long n = slurp("/proc/self/cmdline");
	int fd;

	printf("cmdline:");
	for (long i = 0; i < n; i += strlen(buf + i) + 1)
		printf(" [%s]", buf + i);
	printf("\n");
	slurp("/proc/self/comm");
	printf("comm: %s", buf);
	n = slurp("/proc/self/environ");
	printf("environ:");
	for (long i = 0; i < n; i += strlen(buf + i) + 1)
		printf(" [%s]", buf + i);
	printf("\n");
	/* reads in pieces and after a seek see the same text */
	fd = open("/proc/self/cmdline", O_RDONLY);
	SHOW("read 3", read(fd, buf, 3));
	SHOW("read the rest", read(fd, buf + 3, 100));
	printf("pieces: %.7s\n", buf);
	SHOW("lseek 2", lseek(fd, 2, SEEK_SET));
	SHOW("read after lseek", read(fd, buf, 100));
	printf("after lseek: %.5s\n", buf);
	SHOW("read at the end", read(fd, buf, 100));
	SHOW("write", write(fd, "x", 1));
	close(fd);
}

/* task/ holds one entry, the thread id (= the pid: one thread). */
static void task_is_pid(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0, ok = 1;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		ok &= atoi(e->d_name) == getpid();
	}
	if (d)
		closedir(d);
	printf("task entries: %d\n", n);
	abi_yes("task is the pid", ok);
}

static void fds(void)
{
	int fd = open(TEST_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char t[256], path[64];
	ssize_t n;

	printf("test file fd: %d\n", fd);
	/* opendir's own fd too */
	abi_print_dir_numbers("fd", "/proc/self/fd", false);
	abi_print_dir_numbers("fdinfo", "/proc/self/fdinfo", false);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, t, sizeof(t) - 1);
	t[n > 0 ? n : 0] = '\0';
	printf("fd link: %s\n", t);
	write(fd, "hello", 5);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	slurp(path);
	abi_yes("fdinfo pos 5", !strncmp(buf, "pos:\t5\n", 7));
	abi_yes("fdinfo flags", strstr(buf, "\nflags:\t") != NULL);
	close(fd);
	unlink(TEST_FILE);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	SHOW("closed fd's link", readlink(path, t, sizeof(t)));
	task_is_pid();
}

static void maps(void)
{
	char *line;
	int stack = 0, exe = 0, lines = 0;

	free(malloc(100000)); /* a heap, natively as on Keel */
	abi_yes("maps read", slurp("/proc/self/maps") > 0);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		size_t len = strlen(line);

		lines++;
		if (len > 7 && !strcmp(line + len - 7, "[stack]"))
			stack++;
		if (!strcmp(base(line), "procfs"))
			exe++;
	}
	abi_yes("maps has one [stack]", stack == 1);
	abi_yes("maps has the executable", exe > 0);
	abi_yes("maps lines look right", lines > 2);
}

/* How many CPUs this process may run on. */
static int affinity_count(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) ? -1 : CPU_COUNT(&set);
}

/* CPUs in a list as sysfs writes it ("0", "0-3", "0-1,4"). */
static int cpu_list_count(const char *list)
{
	int count = 0;
	char *end;

	while (*list >= '0' && *list <= '9') {
		long first = strtol(list, &end, 10), last = first;

		if (*end == '-')
			last = strtol(end + 1, &end, 10);
		count += (int)(last - first + 1);
		list = *end == ',' ? end + 1 : end;
	}
	return count;
}

/* Lines of text that start with prefix. */
static int count_lines_starting(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);
	int count = 0;

	for (const char *line = text; line && *line;) {
		count += !strncmp(line, prefix, len);
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return count;
}

static void machine(void)
{
	struct utsname u;
	DIR *d;
	struct dirent *e;
	char self[64];
	int found = 0;

	uname(&u);
	slurp("/proc/meminfo");
	abi_yes("meminfo starts with MemTotal", !strncmp(buf, "MemTotal:", 9));
	abi_yes("meminfo has MemFree", strstr(buf, "\nMemFree:") != NULL);
	abi_yes("meminfo has MemAvailable",
		strstr(buf, "\nMemAvailable:") != NULL);
	slurp("/proc/cpuinfo");
	abi_yes("cpuinfo starts with processor 0",
		!strncmp(buf, "processor\t: 0\n", 14));
	abi_yes("cpuinfo lists the CPUs we may run on",
		count_lines_starting(buf, "processor\t") == affinity_count());
	slurp("/proc/uptime");
	abi_yes("uptime has two numbers", strchr(buf, '.') && strchr(buf, ' '));
	slurp("/proc/loadavg");
	abi_yes("loadavg has a slash", strchr(buf, '/') != NULL);
	slurp("/proc/stat");
	abi_yes("stat starts with cpu", !strncmp(buf, "cpu ", 4));
	abi_yes("stat has btime", strstr(buf, "\nbtime ") != NULL);
	slurp("/proc/version");
	abi_yes("version starts with Linux version",
		!strncmp(buf, "Linux version ", 14));
	slurp("/proc/filesystems");
	abi_yes("filesystems has proc", strstr(buf, "\tproc\n") != NULL);
	slurp("/proc/mounts");
	abi_yes("mounts has /proc", strstr(buf, " /proc proc ") != NULL);
	slurp("/proc/self/mounts");
	abi_yes("self/mounts has /proc", strstr(buf, " /proc proc ") != NULL);
	slurp("/proc/sys/kernel/osrelease");
	abi_yes("osrelease is uname's", !strncmp(buf, u.release,
						 strlen(u.release)));
	slurp("/proc/sys/kernel/hostname");
	abi_yes("hostname is uname's", !strncmp(buf, u.nodename,
						strlen(u.nodename)));
	slurp("/proc/sys/kernel/pid_max");
	abi_yes("pid_max is a number", atoi(buf) > 0);
	slurp("/proc/self/limits");
	printf("limits header: %.72s\n", buf);
	abi_yes("limits has Max open files",
		strstr(buf, "\nMax open files ") != NULL);
	slurp("/sys/devices/system/cpu/online");
	abi_yes("cpu online starts with 0", buf[0] == '0');
	abi_yes("cpu online counts the CPUs we may run on",
		cpu_list_count(buf) == affinity_count());
	slurp("/sys/devices/system/cpu/possible");
	abi_yes("cpu possible starts with 0", buf[0] == '0');
	snprintf(self, sizeof(self), "%d", getpid());
	d = opendir("/proc");
	while (d && (e = readdir(d)))
		found |= (!strcmp(e->d_name, self) ? 1 : 0) |
			 (!strcmp(e->d_name, "self") ? 2 : 0);
	if (d)
		closedir(d);
	printf("/proc lists the pid and self: %d\n", found);
	snprintf(self, sizeof(self), "/proc/%d/comm", getpid());
	slurp(self);
	printf("comm by pid: %s", buf);
}

int main(void)
{
	links();
	stat_files();
	strings();
	fds();
	maps();
	machine();
	return 0;
}
