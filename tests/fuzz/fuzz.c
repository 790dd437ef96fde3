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
#include "sched/sched.h"

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

size_t fuzz_take(struct fuzz_script *s, void *out, size_t n)
{
	if (n > s->left)
		n = s->left;
	memcpy(out, s->p, n);
	s->p += n;
	s->left -= n;
	return n;
}

uint8_t fuzz_take8(struct fuzz_script *s)
{
	uint8_t v = 0;

	fuzz_take(s, &v, 1);
	return v;
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

void fuzz_set_user_space(struct vm_space *vs)
{
	static struct task user;

	user.vm = vs;
	this_cpu()->current = vs ? &user : NULL;
}
