/*
 * pause(2), x86-64 only (riscv64's libcs use ppoll or rt_sigsuspend):
 * sleeps until a signal is to be delivered; -ERESTARTNOHAND makes it
 * EINTR after a handler and restarts it when no handler runs.
 */
#include <keel/errno.h>
#include <svc/signal.h>
#include <svc/syscall.h>

SYSCALL_DEFINE0(pause)
{
	signal_wait_deliverable(thread);
	return -ERESTARTNOHAND;
}
