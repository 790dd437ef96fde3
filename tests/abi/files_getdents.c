/* getdents64(2) in depth: every entry comes once, "." and ".." included,
 * with DT_* types and d_ino equal to what stat says; d_reclen is a
 * multiple of 8 holding the NUL-terminated name; a buffer smaller than
 * the next entry is EINVAL (at the start and midway), one just big
 * enough takes exactly one; lseek to a returned d_off resumes after that
 * entry and lseek to 0 starts again; entries that stay while others are
 * added and removed midway still come exactly once; and the errors
 * (ENOTDIR, EBADF for O_PATH and closed fds, EFAULT). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#define N 40

struct d64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static long getdents64_(int fd, void *buf, size_t n)
{
	return syscall(SYS_getdents64, fd, buf, n);
}

static int seen[N];
static int dots, dotdots, others, bad_reclen, bad_ino, bad_type;

/* Checks the entries in buf[0..n) against the directory's contents. */
static void take(const char *buf, long n)
{
	struct stat st;

	for (long at = 0; at < n;) {
		const struct d64 *e = (const void *)(buf + at);
		int k;

		if (e->d_reclen % 8 || e->d_reclen < 20 ||
		    strlen(e->d_name) + 20 > e->d_reclen)
			bad_reclen++;
		if (!strcmp(e->d_name, "."))
			dots++;
		else if (!strcmp(e->d_name, ".."))
			dotdots++;
		else if (sscanf(e->d_name, "e%d", &k) == 1 && k >= 0 && k < N)
			seen[k]++;
		else
			others++;
		if (fstatat(AT_FDCWD, e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    st.st_ino != e->d_ino)
			bad_ino++;
		if ((S_ISDIR(st.st_mode) && e->d_type != DT_DIR) ||
		    (S_ISREG(st.st_mode) && e->d_type != DT_REG) ||
		    (S_ISLNK(st.st_mode) && e->d_type != DT_LNK) ||
		    (S_ISFIFO(st.st_mode) && e->d_type != DT_FIFO))
			bad_type++;
		at += e->d_reclen;
	}
}

static void reset(void)
{
	memset(seen, 0, sizeof(seen));
	dots = dotdots = others = bad_reclen = bad_ino = bad_type = 0;
}

/* Prints how many of e0..e<N-1> came once, twice, never. */
static void report(const char *label, int from, int to)
{
	int once = 0, twice = 0, never = 0;

	for (int k = from; k < to; k++) {
		once += seen[k] == 1;
		twice += seen[k] > 1;
		never += seen[k] == 0;
	}
	printf("%s: . %d .. %d once %d more %d never %d others %d "
	       "bad reclen %d ino %d type %d\n",
	       label, dots, dotdots, once, twice, never, others, bad_reclen,
	       bad_ino, bad_type);
}

/* e<k>_ and k % 13 x's: names of different lengths */
static void entry_name(char *name, int k)
{
	int n = sprintf(name, "e%d_", k);

	memset(name + n, 'x', k % 13);
	name[n + k % 13] = '\0';
}

static void make_entries(void)
{
	char name[32];

	for (int k = 0; k < N; k++) {
		entry_name(name, k);
		if (k % 4 == 0)
			mkdir(name, 0755);
		else if (k % 4 == 1)
			symlink("nowhere", name);
		else if (k % 4 == 2)
			mkfifo(name, 0644);
		else
			abi_write_file(name, "x");
	}
}

static void whole(void)
{
	static char buf[65536];
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	long n;

	reset();
	n = getdents64_(fd, buf, sizeof(buf));
	abi_yes("one call takes all", n > 0);
	take(buf, n);
	report("all at once", 0, N);
	SHOW("then the end", getdents64_(fd, buf, sizeof(buf)));
	SHOW("and again", getdents64_(fd, buf, sizeof(buf)));
	SHOW("lseek to 0", lseek(fd, 0, SEEK_SET));
	reset();
	take(buf, getdents64_(fd, buf, sizeof(buf)));
	report("after the rewind", 0, N);
	close(fd);
}

/* One entry per call: a buffer of exactly its d_reclen. */
static void one_by_one(void)
{
	static char buf[65536];
	int fd = open(".", O_RDONLY | O_DIRECTORY), calls = 0, einval = 0;
	long n;

	reset();
	SHOW("a buffer of 1 byte", getdents64_(fd, buf, 1));
	SHOW("a buffer of 0 bytes", getdents64_(fd, buf, 0));
	for (size_t size = 24;; size += 8) {
		n = getdents64_(fd, buf, size);
		if (n < 0 && errno == EINVAL) {
			einval++;
			continue;
		}
		if (n <= 0)
			break;
		calls++;
		if (((struct d64 *)buf)->d_reclen != n)
			printf("more than one entry in a call of %zu\n", size);
		take(buf, n);
		size = 16;
	}
	report("one by one", 0, N);
	SHOW("calls", calls);
	abi_yes("some buffers were too small midway", einval > 0);
	close(fd);
}

/* Reads the next entry alone into buf (4096 bytes): the smallest buffer
 * that does not fail with EINVAL. */
static long one_entry(int fd, char *buf)
{
	long n = -1;

	for (size_t size = 24; size <= 4096; size += 8) {
		n = getdents64_(fd, buf, size);
		if (n >= 0 || errno != EINVAL)
			break;
	}
	return n;
}

/* Reads one entry, remembers its d_off, reads the next and the rest,
 * then lseeks back to the d_off. */
static void resume(void)
{
	char buf[4096], name[300], after[300];
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	struct d64 *e = (void *)buf;
	int64_t off;
	long n;

	for (int skip = 0; skip < 5; skip++)
		one_entry(fd, buf);
	one_entry(fd, buf);
	off = e->d_off;
	strcpy(name, e->d_name);
	n = one_entry(fd, buf);
	strcpy(after, n > 0 ? e->d_name : "");
	getdents64_(fd, buf, sizeof(buf));
	SHOW("lseek to a d_off", lseek(fd, off, SEEK_SET) == off);
	n = getdents64_(fd, buf, sizeof(buf));
	abi_yes("resumes after that entry", n > 0 && !strcmp(e->d_name, after));
	abi_yes("not at it", n > 0 && strcmp(e->d_name, name));
	close(fd);
}

/* Changes the directory after the first call: entries e0..e19 stay,
 * e20..e29 go, new ones come. */
static void changing(void)
{
	char buf[512], name[32];
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	long n;

	reset();
	n = getdents64_(fd, buf, sizeof(buf));
	take(buf, n);
	for (int k = 20; k < 30; k++) {
		entry_name(name, k);
		if (unlinkat(AT_FDCWD, name, 0))
			unlinkat(AT_FDCWD, name, AT_REMOVEDIR);
	}
	for (int k = 0; k < 10; k++) {
		snprintf(name, sizeof(name), "new%d", k);
		abi_write_file(name, "n");
	}
	while ((n = getdents64_(fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		/* the removed ones may have been read before; new ones may
		 * come or not: only e0..e19 and e30.. are checked */
		for (long at = 0; at < n;) {
			struct d64 *e = (void *)(p + at);

			if (!strncmp(e->d_name, "new", 3) ||
			    (e->d_name[0] == 'e' && atoi(e->d_name + 1) >= 20 &&
			     atoi(e->d_name + 1) < 30))
				e->d_name[0] = '\0', e->d_name[1] = '\0';
			at += e->d_reclen;
		}
		for (long at = 0; at < n;) {
			struct d64 *e = (void *)(p + at);

			if (e->d_name[0])
				take((char *)e, e->d_reclen);
			at += e->d_reclen;
		}
	}
	SHOW("the last call", n);
	report("kept entries while changing", 0, 20);
	report("kept entries after the removed", 30, N);
	close(fd);
}

static void errors(void)
{
	char buf[4096], name[32];
	int fd;

	entry_name(name, 3);
	fd = open(name, O_RDONLY);
	SHOW("a file", getdents64_(fd, buf, sizeof(buf)));
	close(fd);
	fd = open(".", O_PATH);
	SHOW("an O_PATH directory", getdents64_(fd, buf, sizeof(buf)));
	close(fd);
	SHOW("a closed fd", getdents64_(fd, buf, sizeof(buf)));
	fd = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("a bad buffer", getdents64_(fd, (void *)8, sizeof(buf)));
	SHOW("still at the start", getdents64_(fd, buf, sizeof(buf)) > 0);
	close(fd);
	mkdir("empty", 0755);
	fd = open("empty", O_RDONLY | O_DIRECTORY);
	reset();
	take(buf, getdents64_(fd, buf, sizeof(buf)));
	printf("an empty directory: . %d .. %d others %d\n", dots, dotdots, others);
	close(fd);
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	mkdir("d", 0755);
	if (chdir("d"))
		return 1;
	make_entries();
	whole();
	one_by_one();
	resume();
	errors();
	changing();
	abi_scratch_leave();
	return 0;
}
