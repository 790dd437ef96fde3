/*
 * The kernel command line as boot code reads it: space-separated words,
 * `key=value` or `flag`, up to a `--` after which the words belong to the
 * programs to run.
 */
#ifndef CORE_KERNEL_CMDLINE_H
#define CORE_KERNEL_CMDLINE_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <keel/types.h>

/*
 * Looks for key among the kernel's own words of cmdline (before any
 * `--`). Returns false if absent. If present, *value points at the text
 * after `key=` and *len is its length (not NUL-terminated: the next word
 * follows); for a bare `key`, *len is 0.
 */
bool cmdline_find(const char *cmdline, const char *key, const char **value,
		  size_t *len);

#endif
