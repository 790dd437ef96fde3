/*
 * User mode on the hosted backend, kernel side (placeholder: the stub
 * process protocol lands next). Address spaces are recorded; running user
 * code reports an exception.
 */
#include "hosted.h"

#include <errno.h>
#include <stdlib.h>

struct hosted_stub {
	int unused;
};

void hosted_stub_set_path(const char *path)
{
	(void)path;
}

void hosted_user_interrupted(void)
{
}

void hosted_stub_kill_all(void)
{
}

int hal_as_init(struct hal_as *as, hal_paddr_t root)
{
	as->root = root;
	as->stub = calloc(1, sizeof(*as->stub));
	return as->stub ? 0 : hosted_errno(ENOMEM);
}

void hal_as_destroy(struct hal_as *as)
{
	free(as->stub);
	as->stub = NULL;
}

void hal_tlb_update(struct hal_as *as, uintptr_t va, hal_paddr_t pa,
		    unsigned prot)
{
	(void)as, (void)va, (void)pa, (void)prot;
}

void hal_tlb_invalidate(struct hal_as *as, uintptr_t va, size_t len)
{
	(void)as, (void)va, (void)len;
}

enum hal_trap hal_user_run(struct hal_uctx *ctx, struct hal_as *as,
			   struct hal_trap_info *info)
{
	(void)as;
	info->addr = ctx->rip;
	info->access = 0;
	info->exception = HAL_EXC_PROTECTION;
	return HAL_TRAP_EXCEPTION;
}
