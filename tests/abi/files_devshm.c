/* /dev/shm as a Linux system has it: a tmpfs directory of mode 1777 on
 * which glibc's and musl's shm_open and sem_open make their objects; a
 * POSIX shared-memory object written through one mapping is seen
 * through another in a forked child, a named semaphore posted by the
 * child is taken by the parent, and both unlink. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_procfs.h"

#define TMPFS_MAGIC 0x01021994

static void the_directory(void)
{
	char mounts[8192];
	struct statfs sf;
	struct stat st;

	SHOW("stat /dev/shm", stat("/dev/shm", &st));
	printf("directory %d mode %o\n", S_ISDIR(st.st_mode),
	       st.st_mode & 07777);
	SHOW("statfs", statfs("/dev/shm", &sf));
	abi_yes("a tmpfs", sf.f_type == TMPFS_MAGIC);
	abi_yes("in /proc/mounts",
		abi_slurp("/proc/mounts", mounts, sizeof(mounts)) > 0 &&
			strstr(mounts, " /dev/shm tmpfs ") != NULL);
}

static void shared_memory(void)
{
	char name[64];
	int fd, status;
	char *p;
	pid_t pid;

	snprintf(name, sizeof(name), "/keel-abi-shm-%d", getpid());
	fd = SHOW("shm_open", shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	SHOW("ftruncate", ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	strcpy(p, "from the parent");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int cfd = shm_open(name, O_RDWR, 0);
		char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			       cfd, 0);

		printf("child reads: %s\n", q);
		strcpy(q, "from the child");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("parent reads: %s\n", p);
	SHOW("shm_open O_EXCL again",
	     shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	SHOW("shm_unlink", shm_unlink(name));
	SHOW("shm_unlink again", shm_unlink(name));
	munmap(p, 4096);
	close(fd);
}

static void named_semaphore(void)
{
	char name[64];
	sem_t *s;
	pid_t pid;

	snprintf(name, sizeof(name), "/keel-abi-sem-%d", getpid());
	s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	abi_yes("sem_open", s != SEM_FAILED);
	if (s == SEM_FAILED)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sem_t *c = sem_open(name, 0);

		_exit(c == SEM_FAILED || sem_post(c) ? 1 : 0);
	}
	SHOW("sem_wait", sem_wait(s));
	SHOW("sem_trywait (empty)", sem_trywait(s));
	waitpid(pid, NULL, 0);
	SHOW("sem_unlink", sem_unlink(name));
	sem_close(s);
}

int main(void)
{
	the_directory();
	shared_memory();
	named_semaphore();
	return 0;
}
