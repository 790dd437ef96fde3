/*
 * File data with Linux semantics: open flags (O_CREAT, O_EXCL, O_TRUNC,
 * O_APPEND), read and write with the file position, lseek (SET, CUR, END,
 * DATA, HOLE over a sparse file), pread/pwrite, readv/writev, truncate and
 * ftruncate, fstat sizes and types, a read that runs into an unmapped page
 * (a short count) and bad pointers (EFAULT). Prints "label: value".
 */
#include <user.h>

#define PAGE 4096l

static char buf[3 * 4096];

static long open_rw(const char *path, int flags)
{
	return sys_openat(AT_FDCWD, path, flags | O_RDWR, 0644);
}

static void create_and_rw(void)
{
	long fd = open_rw("f", O_CREAT | O_EXCL);
	struct kstat st;

	show("create", fd >= 0 ? 0 : fd);
	show("create again with O_EXCL", open_rw("f", O_CREAT | O_EXCL));
	show("write hello", sys_write(fd, "hello world", 11));
	show("position after write", sys_lseek(fd, 0, SEEK_CUR));
	show("seek set 6", sys_lseek(fd, 6, SEEK_SET));
	memset(buf, 0, 16);
	show("read rest", sys_read(fd, buf, 100));
	uprintf("data: %s\n", buf);
	show("read at end", sys_read(fd, buf, 100));
	show("seek end -5", sys_lseek(fd, -5, SEEK_END));
	show("seek before start", sys_lseek(fd, -100, SEEK_CUR));
	show("seek bad whence", sys_lseek(fd, 0, 7));
	show("pwrite at 0", sys_pwrite64(fd, "J", 1, 0));
	show("pread at 0", sys_pread64(fd, buf, 5, 0));
	buf[5] = '\0';
	uprintf("pread data: %s\n", buf);
	show("position unchanged by pread", sys_lseek(fd, 0, SEEK_CUR));
	show("pread negative offset", sys_pread64(fd, buf, 1, -1));
	show("fstat", sys_fstat(fd, &st));
	uprintf("size %ld regular %d mode 0x%x nlink %ld\n", st.st_size,
		(st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 07777,
		(long)st.st_nlink);
	sys_close(fd);
}

static void append_and_trunc(void)
{
	long fd = open_rw("f", O_APPEND);
	struct kstat st;

	sys_lseek(fd, 0, SEEK_SET);
	show("append write", sys_write(fd, "!", 1));
	show("position after append", sys_lseek(fd, 0, SEEK_CUR));
	sys_close(fd);
	fd = open_rw("f", O_TRUNC);
	sys_fstat(fd, &st);
	show("size after O_TRUNC", st.st_size);
	show("ftruncate 10", sys_ftruncate(fd, 10));
	sys_pread64(fd, buf, 10, 0);
	show("grown bytes are zero", buf[0] == 0 && buf[9] == 0);
	show("truncate by path to 3", sys_truncate("f", 3));
	sys_fstat(fd, &st);
	show("size after truncate", st.st_size);
	show("ftruncate negative", sys_ftruncate(fd, -1));
	sys_close(fd);
	fd = sys_openat(AT_FDCWD, "f", O_RDONLY, 0);
	show("ftruncate on read-only fd", sys_ftruncate(fd, 0));
	show("write on read-only fd", sys_write(fd, "x", 1));
	sys_close(fd);
	fd = sys_openat(AT_FDCWD, "f", O_WRONLY, 0);
	show("read on write-only fd", sys_read(fd, buf, 1));
	sys_close(fd);
}

static void vectors(void)
{
	long fd = open_rw("v", O_CREAT | O_TRUNC);
	struct iovec_u out[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
	char a[2], b[10];
	struct iovec_u in[2] = { { a, 2 }, { b, sizeof(b) } };

	show("writev", sys_writev(fd, out, 3));
	sys_lseek(fd, 0, SEEK_SET);
	show("readv", sys_readv(fd, in, 2));
	uprintf("readv data: %c%c %c%c%c\n", a[0], a[1], b[0], b[1], b[2]);
	show("readv negative count", sys_readv(fd, in, -1));
	sys_close(fd);
	sys_unlinkat(AT_FDCWD, "v", 0);
}

static void sparse(void)
{
	long fd = open_rw("s", O_CREAT | O_TRUNC);
	struct kstat st;

	sys_pwrite64(fd, "x", 1, 0);
	sys_pwrite64(fd, "y", 1, 3 * PAGE);
	sys_ftruncate(fd, 5 * PAGE);
	sys_fstat(fd, &st);
	show("sparse size", st.st_size);
	show("hole from 0", sys_lseek(fd, 0, SEEK_HOLE));
	show("data from 1 page", sys_lseek(fd, PAGE, SEEK_DATA));
	show("hole from 3 pages", sys_lseek(fd, 3 * PAGE, SEEK_HOLE));
	show("data from 4 pages", sys_lseek(fd, 4 * PAGE, SEEK_DATA));
	show("data at the end", sys_lseek(fd, 5 * PAGE, SEEK_DATA));
	show("hole at the end", sys_lseek(fd, 5 * PAGE, SEEK_HOLE));
	sys_pread64(fd, buf, 10, 2 * PAGE);
	show("hole reads zero", buf[0] == 0 && buf[9] == 0);
	sys_close(fd);
	sys_unlinkat(AT_FDCWD, "s", 0);
}

/* The last tail bytes of a page of the program break, with nothing
 * mapped after it (as bad_pointer.c). */
static char *tail_of_mapped_memory(unsigned long tail)
{
	unsigned long start = (unsigned long)sys_brk(0);
	unsigned long page = (start + PAGE - 1) & ~(PAGE - 1);

	if ((unsigned long)sys_brk(page + PAGE) != page + PAGE)
		return NULL;
	return (char *)(page + PAGE - tail);
}

static void bad_buffers(void)
{
	long fd = open_rw("b", O_CREAT | O_TRUNC);
	char *tail = tail_of_mapped_memory(1000);
	struct kstat st;

	memset(buf, 'z', sizeof(buf));
	sys_write(fd, buf, sizeof(buf));
	sys_lseek(fd, 0, SEEK_SET);
	if (tail)
		show("read into 1000 mapped bytes of 2000", sys_read(fd, tail,
								      2000));
	show("position after the short read", sys_lseek(fd, 0, SEEK_CUR));
	show("read to NULL", sys_read(fd, (void *)0, 10));
	show("write from NULL", sys_write(fd, (void *)0, 10));
	show("read past user space", sys_read(fd, buf, ~0ul >> 1));
	show("fstat to NULL", sys_fstat(fd, (struct kstat *)0));
	show("open with NULL path", sys_openat(AT_FDCWD, (char *)0, 0, 0));
	show("fstat of closed fd", sys_fstat(999, &st));
	show("read of closed fd", sys_read(999, buf, 1));
	sys_close(fd);
	sys_unlinkat(AT_FDCWD, "b", 0);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	testdir_enter("rw");
	sys_umask(022);
	create_and_rw();
	append_and_trunc();
	vectors();
	sparse();
	bad_buffers();
	show("unlink f", sys_unlinkat(AT_FDCWD, "f", 0));
	show("cleanup", testdir_leave());
	return 0;
}
