/*
 * x86-64 only (riscv64 does not trap on division by zero): an integer
 * division by zero raises SIGFPE with FPE_INTDIV and si_addr the
 * instruction; the handler resumes after it.
 */
#include <user.h>

long fault_divide(long a, long b);
extern char fault_divide_resume[];

static volatile int code;
static volatile unsigned long addr;

static void on_fpe(int sig, struct usiginfo *info, void *uc)
{
	(void)sig;
	code = info->si_code;
	addr = info->u.fault.addr;
	*uc_pc(uc) = (unsigned long)fault_divide_resume;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sig_install(SIGFPE, on_fpe, SA_SIGINFO, 0, NULL);
	fault_divide(1, 0);
	uprintf("divide by zero: FPE_INTDIV %s, si_addr in fault_divide %s\n",
		code == FPE_INTDIV ? "yes" : "no",
		addr > (unsigned long)fault_divide &&
				addr < (unsigned long)fault_divide_resume
			? "yes"
			: "no");
	return 0;
}
