/* uname(2) as programs parse it, and the rejected host/domain names
 * (the successful cases would rename the oracle's machine). */
#include <ctype.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	struct utsname u;
	char long_name[80];

	memset(long_name, 'x', sizeof(long_name));
	SHOW("uname", uname(&u));
	printf("sysname: %s\n", u.sysname);
	printf("machine: %s\n", u.machine);
	abi_yes("release starts with a digit", isdigit((unsigned char)u.release[0]));
	abi_yes("release has a dot", strchr(u.release, '.') != NULL);
	abi_yes("nodename is set", u.nodename[0] != '\0');
	abi_yes("version is set", u.version[0] != '\0');
	SHOW("uname bad pointer", syscall(SYS_uname, (void *)8));
	SHOW("sethostname len -1", syscall(SYS_sethostname, long_name, -1));
	SHOW("sethostname len 65", sethostname(long_name, 65));
	SHOW("setdomainname len 65", setdomainname(long_name, 65));
	SHOW("sethostname bad pointer", syscall(SYS_sethostname, (void *)8, 4));
	return 0;
}
