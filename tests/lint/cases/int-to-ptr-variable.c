/*
 * lint-expect: int-to-ptr
 * lint-path: demo/int_to_ptr.c
 *
 * Dereferencing a user address: the hole uptr_t exists to close. Only
 * clang-tidy's performance-no-int-to-ptr sees this one.
 */
#include <keel/types.h>

int demo_peek(uptr_t user);

int demo_peek(uptr_t user)
{
	const int *p = (const int *)user.addr;

	return *p;
}
