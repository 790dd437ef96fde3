/* Thread-local storage of the main thread, as the libc sets it up from
 * the program's PT_TLS: initialised and zeroed variables, distinct from
 * globals, errno living there. */
#include <errno.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "abi.h"

static __thread int initialised = 1234;
static __thread long zeroed;
static __thread char buf[100] = "tls-string";
static int global = 1234;

int main(void)
{
	printf("initialised: %d\n", initialised);
	printf("zeroed: %ld\n", zeroed);
	printf("buf: %s\n", buf);
	initialised++;
	zeroed = -5;
	printf("after writes: %d %ld %d\n", initialised, zeroed, global);
	abi_yes("TLS is not the global", &initialised != &global);
	errno = 0;
	prctl(0x7fff0000, 0, 0, 0, 0);
	printf("errno after a bad prctl: %s\n", abi_errname(errno));
	return 0;
}
