/* exit(3): atexit handlers run in reverse order, stdio is flushed, and
 * the status reaches the parent (the runner) masked to 8 bits. */
#include <stdio.h>
#include <stdlib.h>

static void first(void)
{
	printf("atexit: first registered, last run\n");
}

static void second(void)
{
	printf("atexit: second registered, first run\n");
}

int main(void)
{
	atexit(first);
	atexit(second);
	printf("main: unflushed line before exit");
	printf("\n");
	exit(256 + 42);
}
