/*
 * Unit tests of the pseudo file systems (services/fs/pseudofs/,
 * procfs/, sysfs/) below user memory: the seq buffer growing until a
 * generator's text fits (and refusing past SEQ_MAX), the /proc pid
 * directories following processes as they come and go (a zombie's stays
 * until it is reaped, a lookup after that is ENOENT, a file held open
 * reads ESRCH), a thread's unlisted /proc/<tid> and its own name,
 * the exec record
 * behind exe and cmdline, self without a calling process, and the
 * machine-wide files' first lines. Files are read by running their
 * generators through seq_fill, as seq_read does before copying out.
 */
#include "unit.h"
#include "proc_fixtures.h"

#include <string.h>

#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/fs.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/procfs.h>
#include <svc/pseudofs.h>

static struct proc proc;
static struct thread thr;

static void boot(void)
{
	unit_boot_mm();
	ck_assert_int_eq(vfs_boot(), 0);
}

static void start_proc(int pid)
{
	const char *argv[] = { "/bin/prog", "one", NULL };
	const char *envp[] = { "A=1", NULL };

	boot();
	fixture_proc(&proc, &thr, pid);
	thread_set_name(&thr, "prog"); /* the leader's: the process's too */
	procfs_note_exec(&proc, "/bin/prog", argv, envp);
}

static int lookup(const char *path, struct path *out)
{
	struct path root = vfs_root();

	return vfs_lookup(&root, path, 0, out);
}

static int show_pnode(struct seq *s, void *arg)
{
	const struct pnode *n = arg;

	return n->entry->show(s, n);
}

/* The text of the generated file at path, into buf (size bytes). */
static int read_file(const char *path, char *buf, size_t size)
{
	struct path p;
	struct seq s;
	const struct pnode *n;
	int err = lookup(path, &p);

	if (err)
		return err;
	n = p.dentry->inode->priv;
	err = seq_fill(&s, show_pnode, (void *)n);
	if (!err) {
		size_t len = s.len < size - 1 ? s.len : size - 1;

		memcpy(buf, s.buf, len);
		buf[len] = '\0';
		kfree(s.buf);
	}
	vfs_path_put(&p);
	return err;
}

static ssize_t read_link(const char *path, char *buf, size_t size)
{
	struct path p;
	ssize_t n;
	int err = lookup(path, &p);

	if (err)
		return err;
	n = p.dentry->inode->iops->readlink(p.dentry->inode, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	vfs_path_put(&p);
	return n;
}

static size_t big_len;

static int show_big(struct seq *s, void *arg)
{
	for (size_t i = 0; i < big_len; i++)
		seq_putc(s, 'x');
	return 0;
}

static int show_fails(struct seq *s, void *arg)
{
	seq_puts(s, "partial");
	return -EIO;
}

START_TEST(seq_grows_until_the_text_fits)
{
	struct seq s;

	unit_boot_mm();
	big_len = 100000;
	ck_assert_int_eq(seq_fill(&s, show_big, NULL), 0);
	ck_assert_uint_eq(s.len, 100000);
	ck_assert(!s.overflow);
	kfree(s.buf);
	big_len = SEQ_MAX + 1;
	ck_assert_int_eq(seq_fill(&s, show_big, NULL), -ENOMEM);
	ck_assert_int_eq(seq_fill(&s, show_fails, NULL), -EIO);
	ck_assert_ptr_null(s.buf);
}
END_TEST

START_TEST(seq_printf_marks_overflow)
{
	char small[8];
	struct seq s = { small, 0, sizeof(small), false };

	seq_printf(&s, "%d", 1234);
	ck_assert_uint_eq(s.len, 4);
	seq_printf(&s, "%s", "5678"); /* no room for it and its NUL */
	ck_assert(s.overflow);
	ck_assert_uint_eq(s.len, 4);
	seq_puts(&s, "9"); /* nothing after an overflow */
	ck_assert_uint_eq(s.len, 4);
}
END_TEST

START_TEST(pid_directory_follows_the_process)
{
	char buf[256];
	struct path p, q;

	start_proc(4242);
	ck_assert_int_eq(read_file("/proc/4242/comm", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "prog\n");
	ck_assert_int_eq(read_link("/proc/4242/exe", buf, sizeof(buf)), 9);
	ck_assert_str_eq(buf, "/bin/prog");
	ck_assert_int_eq(read_file("/proc/4242/cmdline", buf, sizeof(buf)),
			 0);
	ck_assert_mem_eq(buf, "/bin/prog\0one", 14);
	ck_assert_int_eq(read_file("/proc/4242/stat", buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, "4242 (prog) S 0 4242 4242 ", 26);
	/* held across the exit: its files read ESRCH, the name is gone */
	ck_assert_int_eq(lookup("/proc/4242/status", &p), 0);
	fixture_proc_done(&proc);
	ck_assert_int_eq(lookup("/proc/4242", &q), -ENOENT);
	ck_assert_int_eq(read_file("/proc/4242/comm", buf, sizeof(buf)),
			 -ENOENT);
	vfs_path_put(&p);
}
END_TEST

/* Between exit and reaping the pid directory stays: stat says Z, the
 * exec record is gone (no cmdline, no exe), the name is kept. */
START_TEST(a_zombie_keeps_its_directory_until_reaped)
{
	char buf[256];

	start_proc(4545);
	fixture_proc_zombie(&proc);
	ck_assert_int_eq(read_file("/proc/4545/stat", buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, "4545 (prog) Z ", 14);
	ck_assert_int_eq(read_file("/proc/4545/cmdline", buf, sizeof(buf)),
			 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(read_link("/proc/4545/exe", buf, sizeof(buf)),
			 -ENOENT);
	ck_assert_int_eq(read_file("/proc/4545/comm", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "prog\n");
	fixture_proc_reap(&proc);
	ck_assert_int_eq(read_file("/proc/4545/comm", buf, sizeof(buf)),
			 -ENOENT);
}
END_TEST

START_TEST(held_file_of_a_gone_process_reads_esrch)
{
	const struct pnode *n;
	struct path p;
	struct seq s;

	start_proc(4343);
	ck_assert_int_eq(lookup("/proc/4343/status", &p), 0);
	fixture_proc_done(&proc);
	n = p.dentry->inode->priv;
	ck_assert_int_eq(seq_fill(&s, show_pnode, (void *)n),
			 -ESRCH);
	vfs_path_put(&p);
}
END_TEST

START_TEST(other_processes_show_no_files_or_maps)
{
	char buf[256];

	start_proc(4444);
	/* the test thread is no process: 4444 is someone else */
	ck_assert_int_eq(read_file("/proc/4444/maps", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(read_link("/proc/4444/cwd", buf, sizeof(buf)),
			 -EACCES);
	ck_assert_int_eq(read_link("/proc/4444/root", buf, sizeof(buf)), 1);
	fixture_proc_done(&proc);
}
END_TEST

/* A second thread of the process: /proc/<tid> resolves, unlisted, with
 * the thread's own name and tid, until the thread leaves; names set on
 * the leader are the process's too, a non-leader's are its own. */
START_TEST(a_thread_has_an_unlisted_directory)
{
	struct thread t2;
	char buf[512];
	struct path p, q;

	start_proc(4700);
	fixture_thread(&proc, &t2, 4701);
	thread_set_name(&t2, "worker-with-a-long-name");
	ck_assert_str_eq(t2.name, "worker-with-a-l");
	ck_assert_str_eq(proc.name, "prog");
	ck_assert_int_eq(lookup("/proc/4701", &p), 0);
	ck_assert(p.dentry->unlisted);
	ck_assert_int_eq(lookup("/proc/4700", &q), 0);
	ck_assert(!q.dentry->unlisted);
	vfs_path_put(&q);
	ck_assert_int_eq(read_file("/proc/4701/comm", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "worker-with-a-l\n");
	ck_assert_int_eq(read_file("/proc/4701/stat", buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, "4701 (worker-with-a-l) S 0 4700 ", 32);
	ck_assert_int_eq(read_file("/proc/4701/status", buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\nTgid:\t4700\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nPid:\t4701\n"));
	ck_assert_int_eq(read_file("/proc/4700/task/4701/comm", buf,
				   sizeof(buf)), 0);
	ck_assert_str_eq(buf, "worker-with-a-l\n");
	ck_assert_int_eq(read_file("/proc/4700/comm", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "prog\n");
	/* another walk through /proc keeps it while the thread lives */
	ck_assert_int_eq(read_file("/proc/4700/stat", buf, sizeof(buf)), 0);
	ck_assert(p.dentry->attached);
	ck_assert_int_eq(lookup("/proc/4702", &q), -ENOENT);
	thread_set_name(&thr, "lead");
	ck_assert_str_eq(proc.name, "lead");
	ck_assert_int_eq(read_file("/proc/4700/comm", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "lead\n");
	/* the thread leaves: its directory goes with the next walk */
	fixture_thread_leave(&t2);
	ck_assert_int_eq(lookup("/proc/4701", &q), -ENOENT);
	ck_assert(!p.dentry->attached);
	vfs_path_put(&p);
	fixture_proc_done(&proc);
}
END_TEST

START_TEST(self_needs_a_calling_process)
{
	char buf[64];

	boot();
	ck_assert_int_eq(read_link("/proc/self", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(read_link("/proc/thread-self", buf, sizeof(buf)),
			 -ENOENT);
}
END_TEST

START_TEST(machine_wide_files)
{
	char buf[4096];

	boot();
	ck_assert_int_eq(read_file("/proc/meminfo", buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, "MemTotal:", 9);
	ck_assert_int_eq(read_file("/proc/cpuinfo", buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, "processor\t: 0\n", 14);
	ck_assert_int_eq(read_file("/proc/sys/kernel/osrelease", buf,
				   sizeof(buf)), 0);
	ck_assert_str_eq(buf, "6.1.0-keel\n");
	ck_assert_int_eq(read_file("/proc/mounts", buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "proc /proc proc rw,relatime 0 0\n"));
	ck_assert_ptr_nonnull(strstr(buf, "sysfs /sys sysfs rw,relatime 0 0\n"));
	ck_assert_int_eq(read_file("/sys/devices/system/cpu/online", buf,
				   sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0\n");
	ck_assert_int_eq(read_file("/proc/nothing", buf, sizeof(buf)),
			 -ENOENT);
}
END_TEST

static Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *c = tcase_create("core");

	tcase_add_test(c, seq_grows_until_the_text_fits);
	tcase_add_test(c, seq_printf_marks_overflow);
	tcase_add_test(c, pid_directory_follows_the_process);
	tcase_add_test(c, a_zombie_keeps_its_directory_until_reaped);
	tcase_add_test(c, held_file_of_a_gone_process_reads_esrch);
	tcase_add_test(c, other_processes_show_no_files_or_maps);
	tcase_add_test(c, a_thread_has_an_unlisted_directory);
	tcase_add_test(c, self_needs_a_calling_process);
	tcase_add_test(c, machine_wide_files);
	suite_add_tcase(s, c);
	return s;
}

UNIT_SUITE(procfs_suite);
