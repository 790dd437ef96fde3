/*
 * The boot command line as init reads it (docs/architecture.md, "Boot
 * command line"):
 *
 *     [key=value | flag]... [-- PROGRAM [ARGS...] [--- PROGRAM [ARGS...]]...]
 *
 * Init acts on run=seq|par; other options belong to the core and are
 * skipped. Words are separated by blanks; a double-quoted part keeps its
 * blanks ("a b" is one word, the quotes go).
 */
#ifndef SVC_CMDLINE_H
#define SVC_CMDLINE_H

#include <keel/types.h>

#define INIT_CMDLINE_MAX 4096 /* bytes, NUL included */
#define INIT_MAX_PROGS 16
#define INIT_MAX_ARGV 256 /* argv slots over all programs, NULLs included */

enum init_run_mode {
	INIT_RUN_SEQ, /* one after another; status of the last */
	INIT_RUN_PAR, /* all at once; status: first non-zero */
};

struct init_prog {
	unsigned argc;
	const char *const *argv; /* argv[0] is the path; NULL-terminated */
};

struct init_cmdline {
	enum init_run_mode mode;
	unsigned nprogs;
	struct init_prog progs[INIT_MAX_PROGS];
	const char *argv_store[INIT_MAX_ARGV];
	char words[INIT_CMDLINE_MAX]; /* the words, NUL-separated */
	const char *error; /* on failure: what is wrong, as a sentence */
};

/*
 * Parses line into *out (which it fills completely; no allocation).
 * Returns 0, -E2BIG when the line, the programs or the arguments exceed
 * the limits above, or -EINVAL for an unterminated quote, a bad run=
 * value, or an empty program ("-- ---", a trailing "---"). Every byte of
 * the word store is bounds-checked: an over-long line is refused, never
 * truncated. On failure *out is cleared but for out->error, which says
 * what was wrong (a static string).
 */
int init_parse_cmdline(const char *line, struct init_cmdline *out);

#endif
