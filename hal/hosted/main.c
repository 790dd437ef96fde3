/*
 * The host entry point of keel-kernel: parses the host options and boots
 * the machine (boot.c does the work so that unit tests can reuse it).
 */
#include "hosted.h"

int main(int argc, char **argv)
{
	struct hosted_opts o;

	if (hosted_parse_args(argc, argv, &o) != 0)
		return 2;
	hosted_boot(&o);
}
