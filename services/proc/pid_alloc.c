/*
 * The pid allocation scan (Linux's idr_alloc_cyclic in alloc_pid): the
 * first number not in use from the cursor on, below max; then, wrapped,
 * from RESERVED_PIDS (or 1 while the cursor has not passed it yet, as at
 * boot) up to the cursor. Pure: the caller says what is busy, so the unit
 * tests drive it without processes.
 */
#include <keel/errno.h>

#include "proc_internal.h"

/* The first free number in [from, to), or 0. */
static int scan(int from, int to, bool (*busy)(int nr, void *arg),
		void *arg)
{
	for (int nr = from; nr < to; nr++)
		if (!busy(nr, arg))
			return nr;
	return 0;
}

int pid_next(struct pid_cursor *c, bool (*busy)(int nr, void *arg),
	     void *arg)
{
	int min = c->next > PID_RESERVED ? PID_RESERVED : 1;
	int start = c->next < min ? min : c->next;
	int nr = start < c->max ? scan(start, c->max, busy, arg) : 0;

	if (!nr)
		nr = scan(min, start < c->max ? start : c->max, busy, arg);
	if (!nr)
		return -EAGAIN;
	c->next = nr + 1;
	return nr;
}
