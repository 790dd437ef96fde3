/*
 * Linux's names of the signals, for console lines and traces.
 */
#include <svc/proc.h>
#include <uapi/signal.h>

static const char *const names[] = {
	[SIGHUP] = "SIGHUP",	   [SIGINT] = "SIGINT",
	[SIGQUIT] = "SIGQUIT",	   [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP",	   [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS",	   [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL",	   [SIGUSR1] = "SIGUSR1",
	[SIGSEGV] = "SIGSEGV",	   [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE",	   [SIGALRM] = "SIGALRM",
	[SIGTERM] = "SIGTERM",	   [SIGSTKFLT] = "SIGSTKFLT",
	[SIGCHLD] = "SIGCHLD",	   [SIGCONT] = "SIGCONT",
	[SIGSTOP] = "SIGSTOP",	   [SIGTSTP] = "SIGTSTP",
	[SIGTTIN] = "SIGTTIN",	   [SIGTTOU] = "SIGTTOU",
	[SIGURG] = "SIGURG",	   [SIGXCPU] = "SIGXCPU",
	[SIGXFSZ] = "SIGXFSZ",	   [SIGVTALRM] = "SIGVTALRM",
	[SIGPROF] = "SIGPROF",	   [SIGWINCH] = "SIGWINCH",
	[SIGIO] = "SIGIO",	   [SIGPWR] = "SIGPWR",
	[SIGSYS] = "SIGSYS",
};

const char *proc_signal_name(int sig)
{
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		return "SIGRT";
	if (sig <= 0 || sig >= (int)(sizeof(names) / sizeof(names[0])) ||
	    !names[sig])
		return "SIG?";
	return names[sig];
}
