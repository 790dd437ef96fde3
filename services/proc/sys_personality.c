/*
 * personality(2): the process's execution domain and its flags. Keel has
 * only Linux's own domain (PER_LINUX, 0); the flags are kept as given
 * (fork and exec keep them, as Linux for a program that is not set-id)
 * and ADDR_NO_RANDOMIZE is the one that changes anything: exec then puts
 * ET_DYN programs and the dynamic linker at fixed bases (exec.c).
 */
#include <svc/proc.h>
#include <svc/syscall.h>

#define PERSONALITY_QUERY 0xffffffffu

/* personality(persona): the previous persona; sets persona unless it is
 * 0xffffffff (the query). Cannot fail, as Linux for PER_LINUX. */
SYSCALL_DEFINE1(personality, unsigned int, persona)
{
	unsigned int old = proc->personality;

	if (persona != PERSONALITY_QUERY)
		proc->personality = persona;
	return old;
}
