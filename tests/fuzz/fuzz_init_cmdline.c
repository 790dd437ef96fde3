/*
 * libFuzzer harness of init's boot command-line parser
 * (services/init/cmdline.c), which splits the line the user (or the
 * runner) typed into options and programs with their arguments: the input
 * is the line, NUL-terminated, parsed into an exactly-sized heap object
 * so that ASan stops a write past its word store (issue 12's bug).
 *
 * Checks the parser's contract (<svc/cmdline.h>): the result is 0, -E2BIG
 * or -EINVAL; a failure leaves no program and says why; on success every
 * program has a path, a NULL-terminated argv inside the argv store whose
 * strings are inside the word store.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <svc/cmdline.h>

/* Is s a NUL-terminated string inside out->words? */
static int in_words(const struct init_cmdline *out, const char *s)
{
	const char *end = out->words + sizeof(out->words);

	return s >= out->words && s < end &&
	       memchr(s, 0, (size_t)(end - s)) != NULL;
}

static void check_programs(const struct init_cmdline *out)
{
	const char *const *store_end = out->argv_store + INIT_MAX_ARGV;

	FUZZ_CHECK(out->mode == INIT_RUN_SEQ || out->mode == INIT_RUN_PAR);
	FUZZ_CHECK(out->nprogs <= INIT_MAX_PROGS);
	for (unsigned i = 0; i < out->nprogs; i++) {
		const struct init_prog *p = &out->progs[i];

		FUZZ_CHECK(p->argc >= 1);
		FUZZ_CHECK(p->argv >= out->argv_store &&
			   p->argv + p->argc < store_end);
		for (unsigned a = 0; a < p->argc; a++)
			FUZZ_CHECK(in_words(out, p->argv[a]));
		FUZZ_CHECK(p->argv[p->argc] == NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstring(data, size);
	struct init_cmdline *out = malloc(sizeof(*out));
	int err;

	FUZZ_CHECK(out != NULL);
	err = init_parse_cmdline(line, out);
	FUZZ_CHECK(err == 0 || err == -E2BIG || err == -EINVAL);
	if (err) {
		FUZZ_CHECK(out->error != NULL && out->nprogs == 0);
	} else {
		check_programs(out);
	}
	free(out);
	free(line);
	return 0;
}
