/* Resource limits: every limit readable with soft <= hard, the three
 * calls agreeing, a lowered limit read back, and the rejected cases. */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	struct rlimit r, old, set;
	int ordered = 1, agree = 1;

	for (int i = 0; i < RLIM_NLIMITS; i++) {
		struct rlimit p;

		if (getrlimit(i, &r) || prlimit(0, i, NULL, &p))
			printf("limit %d: -1 %s\n", i, abi_errname(errno));
		ordered &= r.rlim_cur <= r.rlim_max;
		agree &= r.rlim_cur == p.rlim_cur && r.rlim_max == p.rlim_max;
	}
	abi_yes("every soft limit <= hard", ordered);
	abi_yes("getrlimit and prlimit agree", agree);
	SHOW("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &old));
	set.rlim_cur = 100;
	set.rlim_max = old.rlim_max;
	SHOW("setrlimit NOFILE 100", setrlimit(RLIMIT_NOFILE, &set));
	SHOW("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &r));
	printf("NOFILE soft: %lu\n", (unsigned long)r.rlim_cur);
	abi_yes("NOFILE hard unchanged", r.rlim_max == old.rlim_max);
	set.rlim_cur = 50;
	SHOW("prlimit own pid", prlimit(getpid(), RLIMIT_NOFILE, &set, &r));
	printf("prlimit old soft: %lu\n", (unsigned long)r.rlim_cur);
	SHOW("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &r));
	printf("NOFILE soft: %lu\n", (unsigned long)r.rlim_cur);
	set.rlim_cur = set.rlim_max = 64;
	SHOW("setrlimit CORE 64", setrlimit(RLIMIT_CORE, &set));
	SHOW("getrlimit CORE", getrlimit(RLIMIT_CORE, &r));
	printf("CORE: %lu %lu\n", (unsigned long)r.rlim_cur,
	       (unsigned long)r.rlim_max);
	set.rlim_cur = 10;
	set.rlim_max = 5;
	SHOW("soft above hard", setrlimit(RLIMIT_CORE, &set));
	SHOW("resource 99",
	     syscall(SYS_prlimit64, 0, 99, NULL, &r));
	SHOW("resource 16", syscall(SYS_prlimit64, 0, RLIM_NLIMITS, NULL, &r));
	SHOW("bad old pointer",
	     syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, (void *)8));
	SHOW("bad new pointer",
	     syscall(SYS_prlimit64, 0, RLIMIT_CORE, (void *)8, NULL));
	SHOW("NOFILE above nr_open",
	     setrlimit(RLIMIT_NOFILE,
		       &(struct rlimit){ 2000000000ul, 2000000000ul }));
	SHOW("no such pid", prlimit(0x7fffffff, RLIMIT_CORE, NULL, &r));
	return 0;
}
