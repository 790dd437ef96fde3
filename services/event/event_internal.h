/*
 * What the event files (eventfd, timerfd, epoll) share: an anonymous
 * inode each (anon_inodefs) and Linux's noop_llseek.
 */
#ifndef EVENT_INTERNAL_H
#define EVENT_INTERNAL_H

#include <svc/vfs.h>

/* A new open file on a new anonymous inode (mode 0600, no type) at
 * *out, flags its status (O_RDWR | O_NONBLOCK...), priv the object: 0,
 * -ENFILE at /proc/sys/fs/file-max (as Linux's alloc_empty_file) or
 * -ENOMEM (priv is the caller's to free then). Takes vfs_lock. */
int event_anon_file(uint32_t flags, const struct file_ops *ops, void *priv,
		    struct file **out);

/* lseek on these files: the position, unchanged (0). */
int64_t event_noop_llseek(struct file *f, int64_t off, int whence);

#endif
