/*
 * lint-expect: backend-ifdef
 * lint-path: demo/pt.c
 *
 * The #if defined() spelling, on a HAL macro, split over two lines.
 */
int demo_levels(void);

int demo_levels(void)
{
#if defined(DEMO_NEVER) || \
	defined(HAL_PT_SV39)
	return 3;
#endif
	return 4;
}
