/*
 * alarm(2), x86-64 only (riscv64's libcs use setitimer): the interval
 * timer ITIMER_REAL as a one-shot of whole seconds (services/time/).
 */
#include <svc/syscall.h>
#include <svc/timer.h>

SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	return itimer_alarm(proc, seconds);
}
