/* mmap(2) of regular files through the page cache: a private mapping
 * reads the file and keeps its writes to itself (copy-on-write, also
 * across fork), a shared one writes into the file (seen by pread, kept
 * after munmap and close) and sees pwrite; offsets, the zero tail of the
 * last page, SIGBUS wholly past the end (also after ftruncate), mprotect
 * of file mappings (RELRO), read and write with a buffer mapping the same
 * file, and Linux's errno for each rejected case. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "abi.h"
#include "abi_files.h"

#define PG 4096ul
#define FILE_LEN (3 * PG + 100) /* three pages and a bit */

static sigjmp_buf on_bus;
static volatile int bus_signal;

static void bus_handler(int sig)
{
	bus_signal = sig;
	siglongjmp(on_bus, 1);
}

/* Reads the byte at p, printing the signal that access raised, if any. */
static void probe(const char *label, volatile unsigned char *p)
{
	bus_signal = 0;
	if (!sigsetjmp(on_bus, 1)) {
		unsigned char c = *p;

		printf("%s: read %d\n", label, c);
	} else {
		printf("%s: signal %s\n", label,
		       bus_signal == SIGBUS ? "SIGBUS" : "other");
	}
}

/* The byte the test file holds at offset i. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / PG + 1);
}

static int make_file(const char *name)
{
	static unsigned char buf[FILE_LEN];
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (size_t i = 0; i < FILE_LEN; i++)
		buf[i] = pattern(i);
	if (fd < 0 || write(fd, buf, FILE_LEN) != (ssize_t)FILE_LEN)
		return -1;
	return fd;
}

static int matches(const unsigned char *p, size_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pattern(off + i))
			return 0;
	return 1;
}

static void show_map(const char *label, void *r)
{
	if (r == MAP_FAILED)
		printf("%s: -1 %s\n", label, abi_errname(errno));
	else
		printf("%s: mapped\n", label);
}

static unsigned char file_byte(int fd, off_t off)
{
	unsigned char c = 0;

	if (pread(fd, &c, 1, off) != 1)
		return 0;
	return c;
}

static void private_mapping(int fd)
{
	unsigned char *p = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE,
				MAP_PRIVATE, fd, 0);
	unsigned char c = 0xee;
	pid_t pid;
	int st;

	show_map("private", p);
	if (p == MAP_FAILED)
		return;
	abi_yes("private reads the file", matches(p, 0, FILE_LEN));
	abi_yes("tail of the last page is zero",
		p[FILE_LEN] == 0 && p[4 * PG - 1] == 0);
	/* Not yet copied: a pwrite shows through, as on Linux. */
	SHOW("pwrite page 2", pwrite(fd, &c, 1, 2 * PG));
	abi_yes("private sees pwrite on an uncopied page", p[2 * PG] == 0xee);
	c = pattern(2 * PG);
	SHOW("pwrite back", pwrite(fd, &c, 1, 2 * PG));
	p[5] = 0x55;
	abi_yes("private write stays private", file_byte(fd, 5) == pattern(5));
	abi_yes("private write reads back", p[5] == 0x55);
	pid = fork();
	if (pid == 0) {
		p[6] = 0x66;
		_exit(p[5] == 0x55 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	abi_yes("fork child saw the private copy",
		WIFEXITED(st) && WEXITSTATUS(st) == 0);
	abi_yes("child's write stayed in the child", p[6] == pattern(6));
	/* RELRO: a written private page made read-only keeps its bytes. */
	SHOW("mprotect read-only", mprotect(p, PG, PROT_READ));
	abi_yes("after mprotect", p[5] == 0x55);
	SHOW("mprotect back", mprotect(p, PG, PROT_READ | PROT_WRITE));
	SHOW("munmap private", munmap(p, FILE_LEN));
}

static void shared_mapping(int fd)
{
	unsigned char *p = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE,
				MAP_SHARED, fd, 0);
	unsigned char c = 0x77;
	pid_t pid;
	int st;

	show_map("shared", p);
	if (p == MAP_FAILED)
		return;
	abi_yes("shared reads the file", matches(p, 0, FILE_LEN));
	p[10] = 0x99;
	abi_yes("pread sees the shared write", file_byte(fd, 10) == 0x99);
	SHOW("pwrite", pwrite(fd, &c, 1, PG + 1));
	abi_yes("shared sees pwrite", p[PG + 1] == 0x77);
	pid = fork();
	if (pid == 0) {
		p[11] = 0x88;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	abi_yes("child's shared write reached the parent", p[11] == 0x88);
	/* A write whose source is this very mapping, and a read into it. */
	SHOW("write from the mapping", pwrite(fd, p + 10, 2, 3 * PG));
	abi_yes("written", file_byte(fd, 3 * PG + 1) == 0x88);
	SHOW("read into the mapping", pread(fd, p + 2 * PG, 2, 10));
	abi_yes("read", p[2 * PG] == 0x99 && p[2 * PG + 1] == 0x88);
	SHOW("msync", msync(p, FILE_LEN, MS_SYNC));
	SHOW("munmap shared", munmap(p, FILE_LEN));
}

static void offsets_and_end(int fd)
{
	unsigned char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, PG);
	unsigned char *q;

	show_map("at offset one page", p);
	if (p != MAP_FAILED) {
		abi_yes("offset mapping starts at page 1", p[2] == pattern(PG + 2));
		munmap(p, 2 * PG);
	}
	q = mmap(NULL, 6 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	show_map("past the end", q);
	if (q == MAP_FAILED)
		return;
	probe("last page", q + 3 * PG + 200);
	probe("wholly past the end", q + 4 * PG);
	probe("further past", q + 5 * PG + 9);
	SHOW("ftruncate to one page", ftruncate(fd, PG));
	probe("truncated page", q + 2 * PG);
	probe("kept page", q);
	munmap(q, 6 * PG);
}

static void errors(const char *name)
{
	int ro = open(name, O_RDONLY), wo = open(name, O_WRONLY);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	void *p;

	show_map("private of O_WRONLY",
		 mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0));
	show_map("shared writable of O_RDONLY",
		 mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	show_map("private writable of O_RDONLY",
		 mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
	/* (MAP_SHARED_VALIDATE is left out: qemu-user, the riscv64 oracle,
	 * refuses it with EINVAL.) */
	show_map("directory", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dir, 0));
	show_map("bad type", mmap(NULL, PG, PROT_READ, 0, ro, 0));
	show_map("unaligned offset",
		 mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 100));
	show_map("zero length", mmap(NULL, 0, PROT_READ, MAP_PRIVATE, ro, 0));
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	show_map("shared read-only", p);
	if (p != MAP_FAILED) {
		SHOW("mprotect it writable", mprotect(p, PG, PROT_WRITE));
		SHOW("mprotect it exec", mprotect(p, PG, PROT_READ | PROT_EXEC));
		munmap(p, PG);
	}
	close(ro);
	close(wo);
	close(dir);
	show_map("closed fd", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 0));
}

int main(void)
{
	struct sigaction sa = { .sa_handler = bus_handler };
	int fd;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	abi_scratch_enter();
	fd = make_file("data");
	if (fd < 0) {
		perror("data");
		return 1;
	}
	private_mapping(fd);
	shared_mapping(fd);
	close(fd);
	fd = open("data", O_RDWR);
	abi_yes("shared writes kept after close", file_byte(fd, 10) == 0x99);
	errors("data");
	offsets_and_end(fd);
	close(fd);
	abi_scratch_leave();
	return 0;
}
