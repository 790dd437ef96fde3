/*
 * The helpers every harness shares (see fuzz.h).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hal/hal.h>
/* Before the keel headers: it spells __attribute__((noreturn)). */
#include "../../hal/hosted/hosted.h"
#include <keel/log.h>
#include "mm/mm.h"

void fuzz_check_failed(const char *file, int line, const char *cond)
{
	fprintf(stderr, "FUZZ CHECK failed at %s:%d: %s\n", file, line, cond);
	abort();
}

char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_boot_mm(void)
{
	static struct hal_boot_info bi;
	static bool booted;

	if (booted)
		return;
	bi.cmdline = "";
	bi.ncpus = 1;
	hosted_phys_init(FUZZ_PHYS_BYTES, &bi);
	mm_init(&bi);
	log_set_level(LOG_ERR);
	booted = true;
}
