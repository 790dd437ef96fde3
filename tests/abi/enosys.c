/* A system call number no Linux call has: -1 ENOSYS, and the program
 * carries on. */
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	SHOW("syscall 1999", syscall(1999));
	SHOW("syscall 1999 again", syscall(1999, 1, 2, 3));
	SHOW("syscall -1", syscall(-1));
	abi_yes("getpid still works", getpid() > 0);
	return 0;
}
