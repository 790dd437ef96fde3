/*
 * What keel-init runs: the argv and environment the runner wrote into the
 * image as NUL-separated words (each word ends with a NUL; any byte but
 * NUL may be in a word, so quoting never matters), or init's own
 * arguments. The environment starts from a login-like default that the
 * env file overrides by name.
 */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REQUEST_MAX (1 << 20) /* a file larger than this is refused */

static const char *const default_argv[] = { "/bin/sh", NULL };

static const char *const default_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root",
	"SHELL=/bin/sh",
	"USER=root",
	"LOGNAME=root",
	"TERM=linux",
	NULL,
};

/* Reads all of path into a new buffer (*len bytes). Returns 0, 1 when
 * there is no such file, -1 after a note. */
static int read_file(const char *path, char **buf, size_t *len)
{
	struct stat st = { 0 };
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		init_note(path, errno);
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_size > REQUEST_MAX) {
		init_note(path, st.st_size > REQUEST_MAX ? EFBIG : errno);
		close(fd);
		return -1;
	}
	*buf = malloc((size_t)st.st_size + 1);
	while (*buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!*buf || got != (size_t)st.st_size) {
		init_note(path, *buf ? EIO : ENOMEM);
		free(*buf);
		return -1;
	}
	*len = got;
	return 0;
}

/* Splits buf (len bytes, every word NUL-terminated) into a NULL-ended
 * vector. Returns NULL after a note if the last word lacks its NUL. */
static char **split_words(const char *path, char *buf, size_t len)
{
	size_t n = 0, k = 0;
	char **v;

	if (len && buf[len - 1] != '\0') {
		init_note(path, EINVAL);
		return NULL;
	}
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\0';
	v = calloc(n + 1, sizeof(*v));
	if (!v) {
		init_note(path, ENOMEM);
		return NULL;
	}
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		v[k++] = buf + i;
	return v;
}

/* A NULL-ended copy of the vector words; NULL after a note. */
static char **copy_words(const char *path, const char *const *words)
{
	size_t n = 0;
	char **v;

	while (words[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v) {
		init_note(path, ENOMEM);
		return NULL;
	}
	memcpy(v, words, n * sizeof(*v));
	return v;
}

/* The words of path, else a copy of fallback (no file or an empty one);
 * NULL after a note. */
static char **read_words(const char *path, const char *const *fallback)
{
	char *buf = NULL;
	size_t len = 0;
	int got = read_file(path, &buf, &len);

	if (got < 0)
		return NULL;
	if (got == 1 || len == 0) {
		free(buf);
		return copy_words(path, fallback);
	}
	return split_words(path, buf, len);
}

/* The index in env of the entry naming the same variable as var, else
 * the index of its NULL. */
static size_t env_slot(char **env, const char *var)
{
	size_t name = strcspn(var, "=");
	size_t i = 0;

	for (; env[i]; i++)
		if (!strncmp(env[i], var, name) && env[i][name] == '=')
			break;
	return i;
}

/* The default environment with extra's entries put in by name. */
static char **merge_env(char **extra)
{
	size_t nd = sizeof(default_env) / sizeof(default_env[0]) - 1, ne = 0;
	char **env;

	while (extra[ne])
		ne++;
	env = calloc(nd + ne + 1, sizeof(*env));
	if (!env) {
		init_note("environment", ENOMEM);
		return NULL;
	}
	memcpy(env, default_env, nd * sizeof(*env));
	for (size_t i = 0; i < ne; i++)
		if (strchr(extra[i], '='))
			env[env_slot(env, extra[i])] = extra[i];
	return env;
}

int init_read_request(int argc, char **argv, struct init_request *req)
{
	static const char *const no_words[] = { NULL };
	char **extra;

	if (argc > 1)
		req->argv = argv + 1;
	else
		req->argv = read_words(INIT_ARGV_FILE, default_argv);
	if (!req->argv)
		return -1;
	extra = read_words(INIT_ENV_FILE, no_words);
	if (!extra)
		return -1;
	req->envp = merge_env(extra);
	return req->envp ? 0 : -1;
}
