/*
 * lint-expect: keel-core
 * lint-path: demo/flags.c
 * lint-args: '--svc-cflags=-O2 -DKEEL_CORE -Iservices/include'
 *
 * Clean code, but the services are compiled with -DKEEL_CORE.
 */
int demo_flags(void);

int demo_flags(void)
{
	return 0;
}
