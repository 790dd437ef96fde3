/*
 * Reading the kernel command line: finds `key` or `key=value` words
 * before the `--` that starts the program list.
 */
#include <keel/string.h>

#include "kernel/cmdline.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

bool cmdline_find(const char *cmdline, const char *key, const char **value,
		  size_t *len)
{
	size_t klen = kstrlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *word;
		size_t wlen;

		while (is_space(*p))
			p++;
		word = p;
		while (*p && !is_space(*p))
			p++;
		wlen = (size_t)(p - word);
		if (wlen == 0)
			break;
		if (wlen == 2 && word[0] == '-' && word[1] == '-')
			break;
		if (wlen >= klen && kstrncmp(word, key, klen) == 0 &&
		    (wlen == klen || word[klen] == '=')) {
			*value = wlen == klen ? word + wlen : word + klen + 1;
			*len = wlen == klen ? 0 : wlen - klen - 1;
			return true;
		}
	}
	return false;
}
