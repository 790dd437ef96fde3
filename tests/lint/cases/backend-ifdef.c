/*
 * lint-expect: backend-ifdef
 * lint-path: demo/arch.c
 *
 * Services are the same code on every backend.
 */
int demo_word_bits(void);

int demo_word_bits(void)
{
#ifdef __x86_64__
	return 64;
#else
	return 0;
#endif
}
