/* set_robust_list(2)/get_robust_list(2): the head is recorded and read
 * back, and the rejected cases. qemu-user has neither call, so the
 * riscv64 oracle is the x86-64 native run (runner/keeltool/suite_abi.py). */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	void *head_seen = NULL;
	size_t len_seen = 0;
	long head[3] = { 0 };

	head[0] = (long)head; /* an empty list points at itself */
	SHOW("set_robust_list", syscall(SYS_set_robust_list, head, 24));
	SHOW("get_robust_list",
	     syscall(SYS_get_robust_list, 0, &head_seen, &len_seen));
	abi_yes("the head is ours", head_seen == (void *)head);
	printf("len: %zu\n", len_seen);
	SHOW("set_robust_list len 23", syscall(SYS_set_robust_list, head, 23));
	SHOW("get_robust_list no such pid",
	     syscall(SYS_get_robust_list, 0x7fffffff, &head_seen, &len_seen));
	SHOW("get_robust_list bad pointer",
	     syscall(SYS_get_robust_list, 0, (void *)8, &len_seen));
	return 0;
}
