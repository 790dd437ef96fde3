/* prctl(2) PR_SET_NAME/PR_GET_NAME (15 bytes kept) and an unknown
 * option. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	char name[32];
	memset(name, 'z', sizeof(name));
	SHOW("PR_SET_NAME", prctl(PR_SET_NAME, "abi-short"));
	SHOW("PR_GET_NAME", prctl(PR_GET_NAME, name));
	printf("name: %s\n", name);
	SHOW("PR_SET_NAME long", prctl(PR_SET_NAME, "a-name-longer-than-16"));
	memset(name, 'z', sizeof(name));
	SHOW("PR_GET_NAME", prctl(PR_GET_NAME, name));
	printf("name: %s\n", name);
	abi_yes("name is NUL-padded to 16", name[15] == '\0' && name[16] == 'z');
	SHOW("PR_GET_NAME bad pointer", prctl(PR_GET_NAME, (void *)8));
	SHOW("PR_SET_NAME bad pointer", prctl(PR_SET_NAME, (void *)8));
	SHOW("unknown option", prctl(0x7fff0000, 0, 0, 0, 0));
	return 0;
}
