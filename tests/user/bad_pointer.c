/*
 * Hands the kernel a pointer to nothing: write(1, 0x1, 10) must fail with
 * -EFAULT instead of crashing anything. Prints the result and exits 0 when
 * it is -EFAULT, else 1.
 */
#include <user.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	long r = sys_write(1, (const void *)1ul, 10);

	uprintf("write(1, 0x1, 10) = %ld\n", r);
	return r == -EFAULT ? 0 : 1;
}
