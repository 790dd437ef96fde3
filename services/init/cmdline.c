/*
 * The boot command line parser of init (see <svc/cmdline.h>). It splits
 * the line into words in the caller's struct (no allocation: it runs before
 * anything else and is unit-tested with hostile input), then reads the
 * options before `--` and the programs after it.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <svc/cmdline.h>

#define PROGRAMS_MARK "--"
#define NEXT_PROGRAM_MARK "---"
/* A limit's value as a string literal, for the error texts. */
#define LITERAL(x) #x
#define STRINGIFY(x) LITERAL(x)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Records why the line is refused (for init to print); returns err. */
static int refuse(struct init_cmdline *out, int err, const char *why)
{
	out->error = why;
	return err;
}

/*
 * Appends one byte (a word's character or its terminating NUL) to the word
 * store. Every byte goes through here, so none lands past the store:
 * -E2BIG when it is full.
 */
static int store_byte(struct init_cmdline *out, size_t *used, char c)
{
	if (*used >= sizeof(out->words))
		return refuse(out, -E2BIG, "the command line is too long: "
			      "its words take more than "
			      STRINGIFY(INIT_CMDLINE_MAX) " bytes");
	out->words[(*used)++] = c;
	return 0;
}

/*
 * Copies the next word of *line into out->words at *used, dequoted and
 * NUL-terminated, and advances *line. Returns 1 for a word, 0 at the end
 * of the line, -EINVAL for an unterminated quote, -E2BIG when the words
 * do not fit.
 */
static int next_word(const char **line, struct init_cmdline *out,
		     size_t *used, const char **word)
{
	const char *s = *line;
	bool quoted = false;
	int err;

	while (is_blank(*s))
		s++;
	if (!*s)
		return 0;
	*word = out->words + *used;
	for (; *s && (quoted || !is_blank(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		err = store_byte(out, used, *s);
		if (err)
			return err;
	}
	if (quoted)
		return refuse(out, -EINVAL, "a quote (\") is not closed");
	err = store_byte(out, used, '\0');
	if (err)
		return err;
	*line = s;
	return 1;
}

/* Applies one option word; options init does not know are the core's. */
static int apply_option(const char *word, struct init_cmdline *out)
{
	if (kstrncmp(word, "run=", 4) != 0)
		return 0;
	if (kstrcmp(word + 4, "seq") == 0)
		out->mode = INIT_RUN_SEQ;
	else if (kstrcmp(word + 4, "par") == 0)
		out->mode = INIT_RUN_PAR;
	else
		return refuse(out, -EINVAL, "run= takes seq or par");
	return 0;
}

/* Appends word (NULL ends the current program) to the argv store. */
static int store_arg(struct init_cmdline *out, unsigned *nargs,
		     const char *word)
{
	if (*nargs == INIT_MAX_ARGV)
		return refuse(out, -E2BIG, "too many arguments: at most "
			      STRINGIFY(INIT_MAX_ARGV) " over all programs, "
			      "one per program included");
	out->argv_store[(*nargs)++] = word;
	return 0;
}

/* Opens a new program whose argv starts at the next store slot. */
static int begin_program(struct init_cmdline *out, unsigned nargs)
{
	if (out->nprogs == INIT_MAX_PROGS)
		return refuse(out, -E2BIG, "too many programs: at most "
			      STRINGIFY(INIT_MAX_PROGS));
	out->progs[out->nprogs].argc = 0;
	out->progs[out->nprogs].argv = &out->argv_store[nargs];
	out->nprogs++;
	return 0;
}

/* Ends the current program: it must have a path; terminates its argv. */
static int end_program(struct init_cmdline *out, unsigned *nargs)
{
	if (out->progs[out->nprogs - 1].argc == 0)
		return refuse(out, -EINVAL, "a program is missing before or "
			      "after ---");
	return store_arg(out, nargs, NULL);
}

static int add_program_word(struct init_cmdline *out, unsigned *nargs,
			    const char *word)
{
	int err = store_arg(out, nargs, word);

	if (!err)
		out->progs[out->nprogs - 1].argc++;
	return err;
}

int init_parse_cmdline(const char *line, struct init_cmdline *out)
{
	bool in_programs = false;
	unsigned nargs = 0;
	size_t used = 0;
	const char *word;
	int got = 0, err = 0;

	memset(out, 0, sizeof(*out));
	out->mode = INIT_RUN_SEQ;
	if (!line)
		return 0;
	while (!err && (got = next_word(&line, out, &used, &word)) > 0) {
		if (!in_programs && kstrcmp(word, PROGRAMS_MARK) == 0) {
			in_programs = true;
			err = begin_program(out, nargs);
		} else if (!in_programs) {
			err = apply_option(word, out);
		} else if (kstrcmp(word, NEXT_PROGRAM_MARK) == 0) {
			err = end_program(out, &nargs);
			if (!err)
				err = begin_program(out, nargs);
		} else {
			err = add_program_word(out, &nargs, word);
		}
	}
	if (!err && got < 0)
		err = got;
	if (!err && in_programs) {
		/* A bare "--" means no program at all. */
		if (out->nprogs == 1 && out->progs[0].argc == 0)
			out->nprogs = 0;
		else
			err = end_program(out, &nargs);
	}
	if (err) {
		const char *why = out->error;

		memset(out, 0, sizeof(*out));
		out->error = why;
	}
	return err;
}
