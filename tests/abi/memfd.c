/* memfd_create(2) (flags, the /proc/self/fd name, seals with F_ADD_SEALS
 * and F_GET_SEALS and what each forbids) and fallocate(2) on a tmpfs the
 * test mounts in its scratch directory (natively too, so both kernels
 * answer for tmpfs): reserving with and without KEEP_SIZE, punching holes
 * (st_blocks, the zeros left), and the errors. Runs as root. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#define MFD_EXEC 0x0010U
#endif

static int memfd(const char *name, unsigned flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

static void show_stat(const char *label, int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0)
		printf("%s: size %ld blocks %ld\n", label, (long)st.st_size,
		       (long)st.st_blocks);
}

static void memfd_basics(void)
{
	char link[64], path[64], buf[16] = "";
	struct statfs sfs;
	struct stat st;
	ssize_t n;
	int fd = SHOW("memfd_create", memfd("test", MFD_CLOEXEC));

	SHOW("cloexec", fcntl(fd, F_GETFD));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	printf("link: %s\n", link);
	fstat(fd, &st);
	printf("regular %d nlink %ld size %ld\n", S_ISREG(st.st_mode),
	       (long)st.st_nlink, (long)st.st_size);
	fstatfs(fd, &sfs);
	printf("fs type %#lx\n", (long)sfs.f_type);
	SHOW("flags", fcntl(fd, F_GETFL) & O_ACCMODE);
	SHOW("write", write(fd, "data", 4));
	SHOW("pread", pread(fd, buf, sizeof(buf) - 1, 0));
	printf("read: %s\n", buf);
	SHOW("ftruncate", ftruncate(fd, 8192));
	SHOW("seals without sealing", fcntl(fd, F_GET_SEALS));
	SHOW("add without sealing", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	close(fd);
}

static void seals(void)
{
	int fd = SHOW("memfd_create sealable", memfd("s", MFD_ALLOW_SEALING));

	SHOW("seals", fcntl(fd, F_GET_SEALS));
	SHOW("write", write(fd, "hello", 5));
	SHOW("seal shrink", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	SHOW("shrink", ftruncate(fd, 2));
	SHOW("grow", ftruncate(fd, 100));
	SHOW("seal grow", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	SHOW("grow again", ftruncate(fd, 200));
	SHOW("write inside", pwrite(fd, "ab", 2, 50));
	SHOW("write past the end", pwrite(fd, "ab", 2, 100));
	SHOW("fallocate past the end", fallocate(fd, 0, 0, 4096));
	SHOW("fallocate KEEP_SIZE", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 4096));
	SHOW("seal write", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	SHOW("write sealed", pwrite(fd, "ab", 2, 0));
	SHOW("punch sealed",
	     fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 1));
	SHOW("unknown seal", fcntl(fd, F_ADD_SEALS, 0x1000));
	SHOW("seal seal", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	SHOW("sealed for good", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	SHOW("seals", fcntl(fd, F_GET_SEALS));
	close(fd);
	fd = SHOW("MFD_NOEXEC_SEAL", memfd("n", MFD_NOEXEC_SEAL));
	SHOW("its seals", fcntl(fd, F_GET_SEALS));
	close(fd);
}

static void memfd_errors(void)
{
	char name[300];
	int fds[2];

	memset(name, 'n', sizeof(name));
	name[249] = '\0';
	close(SHOW("249-byte name", memfd(name, 0)));
	name[249] = 'n';
	name[250] = '\0';
	SHOW("250-byte name", memfd(name, 0));
	SHOW("bad flags", memfd("x", 0x100));
	SHOW("NOEXEC_SEAL|EXEC", memfd("x", MFD_NOEXEC_SEAL | MFD_EXEC));
	SHOW("bad name pointer", memfd((char *)8, 0));
	abi_write_file("plain", "x");
	fds[0] = open("plain", O_RDWR);
	SHOW("F_GET_SEALS of a file", fcntl(fds[0], F_GET_SEALS));
	close(fds[0]);
	if (pipe(fds) == 0) {
		SHOW("F_GET_SEALS of a pipe", fcntl(fds[0], F_GET_SEALS));
		close(fds[0]);
		close(fds[1]);
	}
}

static void falloc(void)
{
	char buf[8];
	int fd, ro, fds[2], null;

	mkdir("t", 0755);
	SHOW("mount tmpfs", mount("none", "t", "tmpfs", 0, NULL));
	fd = open("t/f", O_CREAT | O_RDWR, 0644);
	SHOW("reserve 10000", fallocate(fd, 0, 0, 10000));
	show_stat("after", fd);
	SHOW("reserve 20000 keeping the size",
	     fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 20000));
	show_stat("after", fd);
	SHOW("write at 5000", pwrite(fd, "abc", 3, 5000));
	SHOW("punch page 1",
	     fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096,
		       4096));
	show_stat("after", fd);
	SHOW("read there", pread(fd, buf, 3, 5000));
	printf("bytes: %d %d %d\n", buf[0], buf[1], buf[2]);
	SHOW("write at 100", pwrite(fd, "xyz", 3, 100));
	SHOW("punch one byte",
	     fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 101, 1));
	pread(fd, buf, 3, 100);
	printf("bytes: %d %d %d\n", buf[0], buf[1], buf[2]);
	show_stat("after", fd);
	SHOW("PUNCH_HOLE alone", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1));
	SHOW("ZERO_RANGE", fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 1));
	SHOW("unknown mode", fallocate(fd, 0x1000, 0, 1));
	SHOW("len 0", fallocate(fd, 0, 0, 0));
	SHOW("negative offset", fallocate(fd, 0, -1, 1));
	ro = open("t/f", O_RDONLY);
	SHOW("O_RDONLY", fallocate(ro, 0, 0, 1));
	close(ro);
	SHOW("bad fd", fallocate(99, 0, 0, 1));
	if (pipe(fds) == 0) {
		SHOW("a pipe", fallocate(fds[1], 0, 0, 1));
		close(fds[0]);
		close(fds[1]);
	}
	null = open("/dev/null", O_WRONLY);
	SHOW("a device", fallocate(null, 0, 0, 1));
	close(null);
	close(fd);
	SHOW("umount", umount("t"));
}

int main(void)
{
	abi_scratch_enter();
	memfd_basics();
	seals();
	memfd_errors();
	falloc();
	abi_scratch_leave();
	return 0;
}
