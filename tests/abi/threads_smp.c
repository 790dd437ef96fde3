/* Two threads of one process pinned to two CPUs (sched_setaffinity) hand
 * a token back and forth by spinning on shared memory, with no system
 * call in the loop: both must run at the same time for it to go on, and
 * each must stay on its CPU (getcpu). Issue 7: threads of one address
 * space run in parallel. On one CPU only the pinning is refused. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include "abi.h"

#define HANDOFFS 200

static int turn; /* whose turn: even thread 0, odd thread 1 */

struct runner {
	int cpu;
	int pinned;   /* sched_setaffinity succeeded */
	int stayed;   /* getcpu said cpu before and after every handoff */
	int handoffs; /* turns this thread passed on */
};

static void *run(void *arg)
{
	struct runner *r = arg;
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(r->cpu, &one);
	r->pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
	r->stayed = sched_getcpu() == r->cpu;
	for (int i = 0; i < HANDOFFS; i++) {
		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) % 2 != r->cpu)
			;
		__atomic_add_fetch(&turn, 1, __ATOMIC_RELEASE);
		r->handoffs++;
	}
	r->stayed &= sched_getcpu() == r->cpu;
	return NULL;
}

int main(void)
{
	struct runner r[2] = { { .cpu = 0 }, { .cpu = 1 } };
	pthread_t t[2];
	cpu_set_t all;

	sched_getaffinity(0, sizeof(all), &all);
	abi_yes("two CPUs", CPU_ISSET(0, &all) && CPU_ISSET(1, &all));
	if (!CPU_ISSET(1, &all))
		return 0;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, run, &r[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++) {
		printf("thread %d pinned: %s\n", i, r[i].pinned ? "yes" : "no");
		printf("thread %d stayed on its CPU: %s\n", i,
		       r[i].stayed ? "yes" : "no");
		printf("thread %d handoffs: %d\n", i, r[i].handoffs);
	}
	printf("turns: %d\n", turn);
	return 0;
}
