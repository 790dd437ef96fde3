/*
 * Pipes and fifos (services/pipe/): a ring of page-sized slots with a
 * reader queue and a writer queue, shared by the two ends of a pipe(2) or
 * by everyone who opens a fifo. Linux's semantics, slot for slot (so that
 * what fits and when EAGAIN comes are the same): 16 slots (64 KiB) by
 * default, F_SETPIPE_SZ a power-of-two number of them; a write first
 * tops up the last slot if its tail fits there, then fills fresh slots;
 * writes of at most PIPE_BUF bytes are atomic; O_DIRECT makes each write
 * a packet that a read takes alone. A write with no reader raises
 * SIGPIPE and fails with EPIPE, a read with no writer left sees end of
 * file, O_NONBLOCK gives EAGAIN, and blocked readers and writers sleep
 * interruptibly (-ERESTARTSYS: SA_RESTART restarts them).
 */
#ifndef SVC_PIPE_H
#define SVC_PIPE_H

#include <keel/sync.h>
#include <keel/types.h>

#define PIPE_BUF 4096     /* atomic write size (Linux's) */
#define PIPE_SLOT 4096    /* one page */
#define PIPE_DEF_SLOTS 16 /* 64 KiB */

struct file;
struct inode;

struct pipe_slot {
	char *page;   /* PIPE_SLOT bytes while in use */
	uint16_t off; /* the data: [off, off + len) */
	uint16_t len;
	bool merge;   /* a later write may top it up (not a packet) */
};

struct pipe {
	struct mutex lock;     /* everything below */
	struct waitq rd_wait;  /* readers: data or no writer (POLLIN) */
	struct waitq wr_wait;  /* writers: room or no reader (POLLOUT) */
	struct waitq open_wait; /* fifo opens waiting for the other end */
	struct pipe_slot *slots; /* nslots of them, a ring */
	unsigned nslots;       /* atomic reads outside the lock */
	unsigned tail;         /* the oldest slot in use */
	unsigned used;         /* slots in use (atomic reads outside) */
	size_t bytes;          /* bytes in them (atomic reads outside) */
	unsigned readers, writers; /* open ends (atomic reads outside) */
	unsigned r_counter, w_counter; /* opens so far, for fifo waits */
	unsigned refs;         /* files (and fifo opens) using it; vfs_lock */
	struct inode *fifo;    /* the fifo's inode, NULL for pipe(2) */
};

/* pipe2's work: two open files, [0] the read end, [1] the write end,
 * with flags (O_NONBLOCK, O_DIRECT) in their status. -ENFILE, -ENOMEM. Caller
 * holds vfs_lock. */
int pipe_create(uint32_t flags, struct file *ends[2]);

/* The file_ops of a fifo's open files (vfs_open gives them to fifos). */
extern const struct file_ops fifo_file_ops;

/*
 * The second half of opening a fifo, after vfs_open and without
 * vfs_lock: attaches f to the fifo's pipe and waits as open(2) does, a
 * reader for a writer and a writer for a reader unless O_NONBLOCK
 * (O_WRONLY | O_NONBLOCK without a reader: -ENXIO), O_RDWR never.
 * -ERESTARTSYS when a signal ends the wait. On failure f is left for the
 * caller to put.
 */
int fifo_open(struct file *f);

/* ---- For splice(2), tee(2) and sendfile(2) (services/vfs/splice.c) -- */

/* Whether f is an end of a pipe or an open fifo. */
bool pipe_file(const struct file *f);
/* Whether two pipe ends are of one pipe. */
bool pipe_same(const struct file *a, const struct file *b);
/* read(2) of the pipe end f into kernel memory: waits for data unless
 * nonblock (-EAGAIN), 0 at end of file, -ERESTARTSYS. peek (tee) leaves
 * the bytes in the pipe. Called without vfs_lock. */
ssize_t pipe_kread(struct file *f, void *buf, size_t n, bool nonblock,
		   bool peek);
/* write(2) to the pipe end f from kernel memory, as pipe writes are
 * (-EPIPE with SIGPIPE, -EAGAIN when nonblock and full). */
ssize_t pipe_kwrite(struct file *f, const void *buf, size_t n,
		    bool nonblock);
/* Waits until the pipe of the write end f has a free slot: the bytes
 * that fit in its free slots, or -EAGAIN (nonblock), -EPIPE (no reader:
 * SIGPIPE raised), -ERESTARTSYS. */
ssize_t pipe_wait_room(struct file *f, bool nonblock);

struct proc;
/* /proc/sys/fs/pipe-max-size: the largest size F_SETPIPE_SZ grows a
 * pipe to without CAP_SYS_RESOURCE (Linux's default 1 MiB). Setting it
 * rounds as F_SETPIPE_SZ does; -EINVAL for 0 or over 2^31. */
size_t pipe_max_size(void);
int pipe_set_max_size(uint64_t size);

/* pipe2's work (x86-64's pipe is pipe2 without flags). */
long pipe_sys_pipe2(struct proc *proc, uptr_t fds, int flags);

#endif
