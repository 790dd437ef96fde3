/* getrandom(2) and /dev/urandom, /dev/random: lengths, flags, and the
 * rejected cases. The bytes themselves can only be checked for not
 * repeating. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

/* Reads from a random device as getrandom's callers would. */
static void show_device(const char *path)
{
	unsigned char a[64], b[64];
	int fd = open(path, O_RDONLY);

	abi_yes(path, fd >= 0);
	SHOW("read 64", read(fd, a, sizeof(a)));
	SHOW("read 64 again", read(fd, b, sizeof(b)));
	abi_yes("the two differ", memcmp(a, b, sizeof(a)) != 0);
	SHOW("read 0", read(fd, a, 0));
	SHOW("read to a bad pointer", syscall(SYS_read, fd, (void *)8, 16));
	close(fd);
}

int main(void)
{
	unsigned char a[64], b[64], big[5000];

	SHOW("getrandom 64", getrandom(a, sizeof(a), 0));
	SHOW("getrandom 64 again", getrandom(b, sizeof(b), 0));
	abi_yes("the two differ", memcmp(a, b, sizeof(a)) != 0);
	SHOW("getrandom 0", getrandom(a, 0, 0));
	SHOW("getrandom 5000", getrandom(big, sizeof(big), 0));
	SHOW("GRND_NONBLOCK", getrandom(a, 16, GRND_NONBLOCK));
	SHOW("GRND_RANDOM", getrandom(a, 16, GRND_RANDOM));
	SHOW("GRND_INSECURE", syscall(SYS_getrandom, a, 16, 0x0004));
	SHOW("GRND_INSECURE|GRND_RANDOM",
	     syscall(SYS_getrandom, a, 16, 0x0004 | GRND_RANDOM));
	SHOW("unknown flag", syscall(SYS_getrandom, a, 16, 0x100));
	SHOW("bad pointer", syscall(SYS_getrandom, (void *)8, 16, 0));
	show_device("/dev/urandom");
	show_device("/dev/random");
	return 0;
}
