/*
 * What the pipe's files share (services/pipe/): the object's life, its
 * size changes and the atomic accessors its sleep conditions use.
 */
#ifndef PIPE_INTERNAL_H
#define PIPE_INTERNAL_H

#include <svc/pipe.h>

/* A new empty pipe of the default size (no reference, no ends). */
struct pipe *pipe_new(void);
/* Drops a reference (vfs_lock held); the last frees the pipe and
 * detaches it from its fifo. */
void pipe_put(struct pipe *p);
/* F_SETPIPE_SZ: the new size, -EINVAL (over 2^31), -EPERM (growing past
 * pipe-max-size without root), -EBUSY (the slots in use would not fit),
 * -ENOMEM. */
long pipe_resize(struct pipe *p, unsigned long arg);
/* Frees n slots' pages and the array. */
void pipe_free_slots(struct pipe_slot *slots, unsigned n);

/* The pipe's mutex; skipped before the scheduler runs (no current task:
 * the unit tests), where there is one flow of control, as vfs_lock. */
void pipe_lock(struct pipe *p);
void pipe_unlock(struct pipe *p);

size_t pipe_load(const size_t *v);
void pipe_store(size_t *v, size_t x);
unsigned pipe_load_u(const unsigned *v);
void pipe_store_u(unsigned *v, unsigned x);

#endif
