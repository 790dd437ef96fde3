/*
 * Moving data between open files inside the kernel: sendfile(2),
 * copy_file_range(2), splice(2) and tee(2).
 *
 * The bytes go through a kernel bounce buffer: a file side is read and
 * written with its file_ops.kread / kwrite (tmpfs files; other files
 * answer -EINVAL, as Linux for files without splice support), a pipe
 * side with the pipe's own kernel-memory calls (svc/pipe.h), which wait
 * as pipe reads and writes do. Before filling a pipe the room in it is
 * measured, so that what is read from the source always fits and no byte
 * is lost. splice and tee move at most what one pass finds (Linux: one
 * pipe's worth), sendfile and copy_file_range loop until done or short.
 * Checks come first, in Linux's order where the errno depends on it.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/uaccess.h>
#include <svc/pipe.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/splice.h>

#include "sys_util.h"

#define BOUNCE_SIZE (16 * PAGE_SIZE) /* one default pipe's worth */
#define RW_MAX (0x7ffff000ul)        /* Linux's MAX_RW_COUNT */

static bool readable(const struct file *f)
{
	return !(f->flags & O_PATH) && (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(const struct file *f)
{
	return !(f->flags & O_PATH) && (f->flags & O_ACCMODE) != O_RDONLY;
}

static bool is_reg(const struct file *f)
{
	return (f->inode->mode & S_IFMT) == S_IFREG;
}

/* Reads up to n bytes of a file side at *pos (NULL: its position). */
static ssize_t file_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	ssize_t got;

	if (!f->fops || !f->fops->kread)
		return -EINVAL;
	file_io_lock(f);
	got = f->fops->kread(f, buf, n, pos ? pos : &f->pos);
	file_io_unlock(f);
	return got;
}

static ssize_t file_write(struct file *f, const void *buf, size_t n,
			  uint64_t *pos)
{
	ssize_t put;

	if (!f->fops || !f->fops->kwrite)
		return -EINVAL;
	file_io_lock(f);
	put = f->fops->kwrite(f, buf, n, pos ? pos : &f->pos);
	file_io_unlock(f);
	return put;
}

/* Whether a file side can be read (out: written) with kernel buffers. A
 * directory cannot (Linux: no splice_read, -EINVAL; busybox's cat then
 * falls back to read(2) and reports its EISDIR). */
static bool can_move(const struct file *f, bool out)
{
	if (!f->fops || vfs_is_dir(f->inode))
		return false;
	return out ? f->fops->kwrite != NULL : f->fops->kread != NULL;
}

/* An optional user loff_t: 0 with *val and *have, -EFAULT, -EINVAL for
 * a negative one. */
static int get_off(uptr_t u, uint64_t *val, bool *have)
{
	int64_t off;

	*have = u.addr != 0;
	if (!*have)
		return 0;
	if (copy_from_user(&off, u, sizeof(off)))
		return -EFAULT;
	if (off < 0)
		return -EINVAL;
	*val = (uint64_t)off;
	return 0;
}

static int put_off(uptr_t u, uint64_t val)
{
	int64_t off = (int64_t)val;

	return u.addr ? copy_to_user(u, &off, sizeof(off)) : 0;
}

/* One step of moving up to n bytes from in (at *in_pos, NULL: its
 * position) to a file or pipe out: the bytes moved, 0 at in's end, or an
 * error when nothing moved. A short write puts in's position back. */
static ssize_t move_chunk(struct file *in, uint64_t *in_pos, struct file *out,
			  uint64_t *out_pos, size_t n, void *buf)
{
	uint64_t *pos = in_pos ? in_pos : &in->pos;
	ssize_t got, put;

	if (pipe_file(out)) {
		ssize_t room = pipe_wait_room(out, out->flags & O_NONBLOCK);

		if (room < 0)
			return room;
		n = MIN(n, (size_t)room);
	}
	got = file_read(in, buf, n, in_pos);
	if (got <= 0)
		return got;
	put = pipe_file(out) ? pipe_kwrite(out, buf, (size_t)got, true)
			     : file_write(out, buf, (size_t)got, out_pos);
	if (put < got) {
		file_io_lock(in);
		*pos -= (uint64_t)(got - (put > 0 ? put : 0));
		file_io_unlock(in);
	}
	return put;
}

/* Loops move_chunk until count bytes went, in ended or a step fell
 * short; the total, or the first error when nothing moved. */
static ssize_t move_all(struct file *in, uint64_t *in_pos, struct file *out,
			uint64_t *out_pos, size_t count)
{
	char *buf = kmalloc(BOUNCE_SIZE);
	size_t done = 0;
	ssize_t n = 0;

	if (!buf)
		return -ENOMEM;
	count = MIN(count, RW_MAX);
	while (done < count) {
		size_t want = MIN(count - done, BOUNCE_SIZE);

		n = move_chunk(in, in_pos, out, out_pos, want, buf);
		if (n <= 0)
			break;
		done += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	kfree(buf);
	return done ? (ssize_t)done : n;
}

/* Gets both descriptors (-EBADF) for a call; put them with put_two. */
static int get_two(struct proc *proc, int a, int b, struct file **fa,
		   struct file **fb)
{
	*fa = fd_get(proc, a);
	*fb = *fa ? fd_get(proc, b) : NULL;
	if (*fb)
		return 0;
	if (*fa)
		fd_put(*fa);
	return -EBADF;
}

static void put_two(struct file *a, struct file *b)
{
	fd_put(a);
	fd_put(b);
}

static long do_sendfile(struct file *out, struct file *in, uptr_t uoff,
			size_t count)
{
	uint64_t off;
	bool have;
	long ret;

	if (!readable(in) || !writable(out))
		return -EBADF;
	if (out->flags & O_APPEND)
		return -EINVAL;
	ret = get_off(uoff, &off, &have);
	if (ret)
		return ret;
	if (have && pipe_file(in))
		return -ESPIPE;
	if ((ssize_t)count < 0) /* Linux's rw_verify_area */
		return -EINVAL;
	if (!can_move(in, false) || (!pipe_file(out) && !can_move(out, true)))
		return -EINVAL;
	if (!count)
		return 0;
	ret = move_all(in, have ? &off : NULL, out, NULL, count);
	if (have && ret >= 0 && put_off(uoff, off))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, uptr_t, offset,
		size_t, count)
{
	struct file *in, *out;
	long ret = get_two(proc, in_fd, out_fd, &in, &out);

	if (ret)
		return ret;
	ret = do_sendfile(out, in, offset, count);
	put_two(in, out);
	return ret;
}

/* copy_file_range's checks of the two files and their ranges. */
static long range_check(struct file *in, uint64_t in_off, struct file *out,
			uint64_t out_off, size_t len)
{
	if (!readable(in) || !writable(out))
		return -EBADF;
	if (vfs_is_dir(in->inode) || vfs_is_dir(out->inode))
		return -EISDIR;
	if (!is_reg(in) || !is_reg(out))
		return -EINVAL;
	if (out->flags & O_APPEND)
		return -EBADF;
	if (in->inode == out->inode && in_off < out_off + len &&
	    out_off < in_off + len)
		return -EINVAL; /* overlapping ranges of one file */
	return can_move(in, false) && can_move(out, true) ? 0 : -EINVAL;
}

static long do_copy_range(struct file *in, uptr_t uoff_in, struct file *out,
			  uptr_t uoff_out, size_t len)
{
	uint64_t in_off, out_off;
	bool have_in, have_out;
	long ret = get_off(uoff_in, &in_off, &have_in);

	if (!ret)
		ret = get_off(uoff_out, &out_off, &have_out);
	if (ret)
		return ret;
	vfs_lock();
	if (!have_in)
		in_off = in->pos;
	if (!have_out)
		out_off = out->pos;
	vfs_unlock();
	ret = range_check(in, in_off, out, out_off, len);
	if (ret || !len)
		return ret;
	ret = move_all(in, have_in ? &in_off : NULL, out,
		       have_out ? &out_off : NULL, len);
	if (ret >= 0 && (put_off(uoff_in, in_off) || put_off(uoff_out, out_off)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, uptr_t, off_in, int, fd_out,
		uptr_t, off_out, size_t, len, unsigned int, flags)
{
	struct file *in, *out;
	long ret;

	if (flags)
		return -EINVAL;
	ret = get_two(proc, fd_in, fd_out, &in, &out);
	if (ret)
		return ret;
	ret = do_copy_range(in, off_in, out, off_out, len);
	put_two(in, out);
	return ret;
}

/* splice from the pipe in to out (a pipe or a file at *out_pos). */
static ssize_t from_pipe(struct file *in, struct file *out, uint64_t *out_pos,
			 size_t len, bool nonblock, void *buf)
{
	ssize_t got, put;

	len = MIN(len, BOUNCE_SIZE);
	if (pipe_file(out)) {
		ssize_t room = pipe_wait_room(out, nonblock ||
						   (out->flags & O_NONBLOCK));

		if (room < 0)
			return room;
		len = MIN(len, (size_t)room);
	}
	got = pipe_kread(in, buf, len, nonblock || (in->flags & O_NONBLOCK),
			 false);
	if (got <= 0)
		return got;
	put = pipe_file(out) ? pipe_kwrite(out, buf, (size_t)got, true)
			     : file_write(out, buf, (size_t)got, out_pos);
	return put;
}

/* splice from the file in (at *in_pos) to the pipe out. */
static ssize_t to_pipe(struct file *in, uint64_t *in_pos, struct file *out,
		       size_t len, bool nonblock, void *buf)
{
	ssize_t room = pipe_wait_room(out, nonblock || (out->flags & O_NONBLOCK));
	ssize_t got;

	if (room < 0)
		return room;
	got = file_read(in, buf, MIN(len, MIN((size_t)room, BOUNCE_SIZE)),
			in_pos);
	if (got <= 0)
		return got;
	return pipe_kwrite(out, buf, (size_t)got, true);
}

/* splice's checks (Linux's do_splice order); 0 when the move may go. */
static long splice_check(struct file *in, bool have_in, struct file *out,
			 bool have_out)
{
	bool in_pipe = pipe_file(in), out_pipe = pipe_file(out);

	if (!readable(in) || !writable(out))
		return -EBADF;
	if (!in_pipe && !out_pipe)
		return -EINVAL;
	if ((in_pipe && have_in) || (out_pipe && have_out))
		return -ESPIPE;
	if (in_pipe && out_pipe && pipe_same(in, out))
		return -EINVAL;
	if (!out_pipe && (out->flags & O_APPEND))
		return -EINVAL;
	if ((!in_pipe && !can_move(in, false)) ||
	    (!out_pipe && !can_move(out, true)))
		return -EINVAL;
	return 0;
}

static long do_splice(struct file *in, uptr_t uoff_in, struct file *out,
		      uptr_t uoff_out, size_t len, unsigned int flags)
{
	uint64_t in_off = 0, out_off = 0;
	bool have_in, have_out, nonblock = flags & UAPI_SPLICE_F_NONBLOCK;
	long ret = get_off(uoff_in, &in_off, &have_in);
	char *buf;

	if (!ret)
		ret = get_off(uoff_out, &out_off, &have_out);
	if (!ret)
		ret = splice_check(in, have_in, out, have_out);
	if (ret || !len)
		return ret;
	buf = kmalloc(BOUNCE_SIZE);
	if (!buf)
		return -ENOMEM;
	if (pipe_file(in))
		ret = from_pipe(in, out, have_out ? &out_off : NULL, len,
				nonblock, buf);
	else
		ret = to_pipe(in, have_in ? &in_off : NULL, out, len, nonblock,
			      buf);
	kfree(buf);
	if (ret >= 0 && (put_off(uoff_in, in_off) || put_off(uoff_out, out_off)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE6(splice, int, fd_in, uptr_t, off_in, int, fd_out, uptr_t,
		off_out, size_t, len, unsigned int, flags)
{
	struct file *in, *out;
	long ret;

	if (flags & ~UAPI_SPLICE_F_ALL)
		return -EINVAL;
	ret = get_two(proc, fd_in, fd_out, &in, &out);
	if (ret)
		return ret;
	ret = do_splice(in, off_in, out, off_out, len, flags);
	put_two(in, out);
	return ret;
}

static long do_tee(struct file *in, struct file *out, size_t len,
		   unsigned int flags)
{
	bool nonblock = flags & UAPI_SPLICE_F_NONBLOCK;
	ssize_t room, got;
	char *buf;

	if (!pipe_file(in) || !pipe_file(out) || pipe_same(in, out))
		return -EINVAL;
	if (!readable(in) || !writable(out))
		return -EBADF;
	if (!len)
		return 0;
	room = pipe_wait_room(out, nonblock || (out->flags & O_NONBLOCK));
	if (room < 0)
		return room;
	buf = kmalloc(BOUNCE_SIZE);
	if (!buf)
		return -ENOMEM;
	got = pipe_kread(in, buf, MIN(len, MIN((size_t)room, BOUNCE_SIZE)),
			 nonblock || (in->flags & O_NONBLOCK), true);
	if (got > 0)
		got = pipe_kwrite(out, buf, (size_t)got, true);
	kfree(buf);
	return got;
}

SYSCALL_DEFINE4(tee, int, fd_in, int, fd_out, size_t, len, unsigned int,
		flags)
{
	struct file *in, *out;
	long ret;

	if (flags & ~UAPI_SPLICE_F_ALL)
		return -EINVAL;
	ret = get_two(proc, fd_in, fd_out, &in, &out);
	if (ret)
		return ret;
	ret = do_tee(in, out, len, flags);
	put_two(in, out);
	return ret;
}
