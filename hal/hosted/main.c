/*
 * The host entry point of keel-kernel: parses the host options and boots
 * the machine (boot.c does the work so that unit tests can reuse it).
 */
#include "hosted.h"

int main(int argc, char **argv)
{
	struct hosted_opts o;
	int r = hosted_parse_args(argc, argv, &o);

	if (r != 0)
		return r > 0 ? 0 : 2; /* --help, or a usage error */
	hosted_boot(&o);
}
