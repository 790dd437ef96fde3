/*
 * epoll's hook in the VFS (services/event/epoll.c): an open file keeps
 * the epoll items that watch it (file->watches), and when its last
 * reference goes they go too, as Linux's eventpoll_release: closing every
 * descriptor of a file removes it from every epoll set.
 */
#ifndef SVC_EPOLL_H
#define SVC_EPOLL_H

struct file;

/* f's last reference is going (vfs_lock held): removes the items
 * watching it. */
void epoll_file_closed(struct file *f);

#endif
