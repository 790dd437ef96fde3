/* The first libc program: stdio through to exit, and main's return value
 * as the exit status. */
#include <stdio.h>

int main(void)
{
	printf("hello: world\n");
	printf("number: %d\n", 42);
	return 3;
}
