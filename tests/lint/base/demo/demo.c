/*
 * The clean base of the lint fixtures: ordinary service code.
 */
#include <demo/demo.h>
#include <keel/uaccess.h>

unsigned demo_sum(const uint8_t *buf, size_t len)
{
	unsigned sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += buf[i];
	return sum;
}
