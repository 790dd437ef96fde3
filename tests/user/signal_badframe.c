/*
 * rt_sigreturn with no frame behind the stack pointer: the kernel must
 * kill the program with SIGSEGV (status 139), not crash or return. The
 * second case hands sigreturn a frame from a handler whose saved pc the
 * handler made garbage: the program dies by SIGSEGV too (on x86-64 an
 * address no user code can have). The third sets, on riscv64, a word
 * after the F/D state, where Linux finds no extension context and refuses
 * the frame: SIGSEGV, "invalid signal frame" (elsewhere the pc, as the
 * second).
 */
#include <user.h>

static void on_usr1(int sig, struct usiginfo *info, void *uc)
{
	(void)sig;
	(void)info;
	*uc_pc(uc) = 0xdead000000000000ul;
}

/* riscv64: a word after the F/D state; x86-64 (and the native oracle,
 * which runs there) has none, and garbles the pc instead: both kernels
 * refuse the frame with SIGSEGV. */
static void on_usr2(int sig, struct usiginfo *info, void *uc)
{
	(void)sig;
	(void)info;
	if (uc_fp_tail(uc))
		*uc_fp_tail(uc) = 1;
	else
		*uc_pc(uc) = 0xdead000000000000ul;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "fptail") == 0) {
		sig_install(SIGUSR2, on_usr2, SA_SIGINFO, 0, NULL);
		uputs("returning with a frame Linux refuses");
		sys_kill((int)sys_getpid(), SIGUSR2);
	} else if (argc > 1 && strcmp(argv[1], "pc") == 0) {
		sig_install(SIGUSR1, on_usr1, SA_SIGINFO, 0, NULL);
		uputs("returning to a garbage pc");
		sys_kill((int)sys_getpid(), SIGUSR1);
	} else {
		uputs("sigreturn with an unmapped frame");
		sigreturn_at(0x1000);
	}
	uputs("still alive: FAILED");
	return 1;
}
