/*
 * The terminal core shared by every tty (services/tty/tty.c): a line
 * discipline with its termios, the window size, the session it controls
 * and its foreground group, the waits of readers and writers, and the
 * read, write, ioctl and poll work of a file open on it. What differs
 * between terminals is the driver (struct tty_driver): where output goes
 * (the console; a pty master's buffer) and how much it can take, and who
 * to wake when output went out or input was read (the pty master's side).
 *
 * The console (console.c) and the pty slaves (pty.c) are ttys; a pty
 * master is not one: its ioctls reach the slave's (tty_ioctl_peer).
 */
#ifndef TTY_CORE_H
#define TTY_CORE_H

#include <keel/sync.h>
#include <keel/types.h>
#include <svc/ldisc.h>
#include <uapi/termios.h>

struct file;
struct poll_table;
struct tty;

struct tty_driver {
	/* Takes len output bytes (after OPOST), with the tty's lock held:
	 * all of them, or what fits (echo may exceed write_room and is
	 * dropped then, as Linux's). */
	void (*output)(struct tty *t, const char *buf, size_t len);
	/* Output bytes it takes now, lock held; NULL: any amount at once. */
	size_t (*write_room)(struct tty *t);
	/* Without the lock: output went out (wake its readers); input was
	 * read (wake the writers of input). Either may be NULL. */
	void (*output_done)(struct tty *t);
	void (*input_taken)(struct tty *t);
	/* TCFLSH's how (TCIFLUSH...) was done, lock held; may be NULL. */
	void (*flushed)(struct tty *t, unsigned how);
	/* A file opens or closes on the tty (vfs_lock held): counts the
	 * opens. open may refuse (-EIO). Either may be NULL. */
	int (*open)(struct tty *t);
	void (*close)(struct tty *t);
	/* The last reference went (tty_put): free it. NULL: static. */
	void (*free)(struct tty *t);
	/* Its session leader's exit frees it (tty_leader_exit), as Linux's
	 * disassociate_ctty does for ptys; the console keeps its session. */
	bool leader_exit_frees;
};

struct tty {
	struct spinlock lock; /* everything below but refs */
	struct ldisc ld;
	struct waitq read_wq;  /* readers and pollers waiting for input */
	struct waitq write_wq; /* writers waiting for room (ptys) */
	struct linux_winsize ws;
	int session;  /* the session it controls, 0: none */
	int fg_pgrp;  /* its foreground process group, 0: none */
	bool hung_up; /* the pty's master went: reads 0, the rest -EIO */
	unsigned refs; /* atomic: open files, the master, ctty lookups */
	const struct tty_driver *drv;
};

/* Sets t up: default termios, no session, one reference. */
void tty_setup(struct tty *t, const struct tty_driver *drv,
	       const char *name);
void tty_get(struct tty *t);
/* Drops a reference; the last one calls drv->free. */
void tty_put(struct tty *t);

/* The file operations' work on tty t (file f): read(2) and write(2)
 * with line discipline, job control, waiting and O_NONBLOCK; ioctl(2)
 * of a terminal (termios, window size, job control, FIONREAD, TCFLSH);
 * poll. */
ssize_t tty_read(struct tty *t, struct file *f, uptr_t buf, size_t len);
ssize_t tty_write(struct tty *t, struct file *f, uptr_t buf, size_t len);
long tty_ioctl(struct tty *t, struct file *f, unsigned int cmd,
	       unsigned long arg);
uint32_t tty_poll(struct tty *t, struct poll_table *pt);

/* The file_ops of a file open on a tty (console.c): the tty in f->priv
 * (a pty slave's, the controlling terminal /dev/tty opened), else the
 * console (/dev/console). */
ssize_t tty_file_read(struct file *f, uptr_t buf, size_t len, uint64_t *pos);
ssize_t tty_file_write(struct file *f, uptr_t buf, size_t len,
		       uint64_t *pos);
long tty_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg);
uint32_t tty_file_poll(struct file *f, struct poll_table *pt);

/* The ioctls a pty master passes to its slave t, as Linux's
 * tty_pair_get_tty: termios, window size, TIOCGPGRP/TIOCGSID without
 * being the caller's terminal, TIOCSPGRP, TIOCSCTTY. -ENOIOCTLCMD for
 * the others (the master's own). */
long tty_ioctl_peer(struct tty *t, unsigned int cmd, unsigned long arg);

/* An open of t without O_NOCTTY by a session leader without a terminal
 * makes t its controlling terminal, if t has no session (Linux's
 * tty_open_proc_set_tty). */
void tty_open_ctty(struct tty *t, struct file *f);

/* The other end went (a pty's master closed): t is hung up, its session
 * leader gets SIGHUP and SIGCONT, and no process keeps t as controlling
 * terminal (Linux's tty_vhangup). Its readers and writers wake. */
void tty_hangup(struct tty *t);

/* The leader of session sid, whose terminal t is, exits: t's foreground
 * group gets SIGHUP, and t leaves the session (free for another). */
void tty_leader_exit(struct tty *t, int sid);

/* Whether the next input byte would be taken; lock held. */
bool tty_can_receive(struct tty *t);

#endif
