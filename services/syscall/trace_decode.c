/*
 * strace's decoding of arguments and results, for the `strace` boot
 * option (trace.c): which argument is what comes from its name in the
 * SYSCALL_DEFINE (path, dirfd, flags, mode, prot, buf...) and the call's
 * name, so that a new handler is decoded as soon as it names its
 * arguments as the others do. User memory is read through the uaccess
 * API after the call returned: a string shows what is there then (up to
 * STR_MAX bytes, "..." after a longer one), and an address that cannot
 * be read is shown as the address.
 *
 *     openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
 *     mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS,
 *          -1, 0) = 0x7f0000000000
 *     write(1, "hello\n", 6) = 6
 *     read(7, 0x4000, 10) = -1 EBADF
 */
#include <stdarg.h>

#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>

#include "trace_internal.h"

#define STR_MAX 32 /* strace's default -s */

void trace_put(struct line *l, const char *fmt, ...)
{
	size_t at = MIN((size_t)l->n, l->size - 1);
	va_list ap;

	va_start(ap, fmt);
	l->n += kvsnprintf(l->buf + at, l->size - at, fmt, ap);
	va_end(ap);
}

struct flag_name {
	uint64_t bit;
	const char *name;
};

static const struct flag_name open_flags[] = {
	{ O_CREAT, "O_CREAT" },	      { O_EXCL, "O_EXCL" },
	{ O_NOCTTY, "O_NOCTTY" },     { O_TRUNC, "O_TRUNC" },
	{ O_APPEND, "O_APPEND" },     { O_NONBLOCK, "O_NONBLOCK" },
	{ O_SYNC, "O_SYNC" },	      { O_DSYNC, "O_DSYNC" },
	{ O_DIRECT, "O_DIRECT" },     { O_LARGEFILE, "O_LARGEFILE" },
	{ O_TMPFILE, "O_TMPFILE" },   { O_DIRECTORY, "O_DIRECTORY" },
	{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
	{ O_CLOEXEC, "O_CLOEXEC" },   { O_PATH, "O_PATH" },
	{ 0, NULL },
};

static const struct flag_name prot_flags[] = {
	{ PROT_READ, "PROT_READ" },   { PROT_WRITE, "PROT_WRITE" },
	{ PROT_EXEC, "PROT_EXEC" },   { PROT_SEM, "PROT_SEM" },
	{ PROT_GROWSDOWN, "PROT_GROWSDOWN" },
	{ PROT_GROWSUP, "PROT_GROWSUP" },
	{ 0, NULL },
};

static const struct flag_name map_flags[] = {
	{ MAP_FIXED, "MAP_FIXED" },	      { MAP_ANONYMOUS, "MAP_ANONYMOUS" },
	{ MAP_GROWSDOWN, "MAP_GROWSDOWN" },   { MAP_DENYWRITE, "MAP_DENYWRITE" },
	{ MAP_EXECUTABLE, "MAP_EXECUTABLE" }, { MAP_LOCKED, "MAP_LOCKED" },
	{ MAP_NORESERVE, "MAP_NORESERVE" },   { MAP_POPULATE, "MAP_POPULATE" },
	{ MAP_NONBLOCK, "MAP_NONBLOCK" },     { MAP_STACK, "MAP_STACK" },
	{ MAP_HUGETLB, "MAP_HUGETLB" },	      { MAP_SYNC, "MAP_SYNC" },
	{ MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" },
	{ 0, NULL },
};

/* Appends the names of the bits of v in names, "|"-joined, after first
 * (a name already written, or NULL), and what is left in hex. */
static void put_flags(struct line *l, uint64_t v, const struct flag_name *names,
		      const char *first)
{
	bool any = first != NULL;

	if (first)
		trace_put(l, "%s", first);
	for (const struct flag_name *f = names; f->name; f++) {
		if ((v & f->bit) != f->bit)
			continue;
		trace_put(l, "%s%s", any ? "|" : "", f->name);
		v &= ~f->bit;
		any = true;
	}
	if (v || !any)
		trace_put(l, "%s0x%llx", any ? "|" : "", (unsigned long long)v);
}

static void put_open_flags(struct line *l, uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					   "O_ACCMODE" };

	put_flags(l, v & ~(uint64_t)O_ACCMODE, open_flags, acc[v & O_ACCMODE]);
}

static void put_map_flags(struct line *l, uint64_t v)
{
	static const char *const type[] = { NULL, "MAP_SHARED", "MAP_PRIVATE",
					    "MAP_SHARED_VALIDATE" };
	uint64_t t = v & MAP_TYPE;

	put_flags(l, v & ~(uint64_t)MAP_TYPE, map_flags,
		  t < 4 ? type[t] : NULL);
}

/* Appends len bytes at user address a as a C string, escaped as strace
 * does; nul: stop at a NUL (a path). The address when nothing can be
 * read. */
static void put_user_string(struct line *l, uint64_t a, size_t len, bool nul)
{
	char s[STR_MAX];
	ssize_t got = copy_from_user_partial(s, uptr(a),
					     MIN(len, sizeof(s)));
	size_t n = 0;

	if (got < 0 || (got == 0 && len)) {
		trace_put(l, "0x%llx", (unsigned long long)a);
		return;
	}
	trace_put(l, "\"");
	for (; n < (size_t)got && !(nul && !s[n]); n++) {
		unsigned char c = (unsigned char)s[n];

		if (c == '"' || c == '\\')
			trace_put(l, "\\%c", c);
		else if (c == '\n')
			trace_put(l, "\\n");
		else if (c == '\t')
			trace_put(l, "\\t");
		else if (c == '\r')
			trace_put(l, "\\r");
		else if (c < 32 || c > 126)
			trace_put(l, "\\%o", c);
		else
			trace_put(l, "%c", c);
	}
	trace_put(l, "\"%s", n == sizeof(s) && (nul || len > n) ? "..." : "");
}

static bool is(const char *a, const char *b)
{
	return !kstrcmp(a, b);
}

/* Does s contain part? */
static bool contains(const char *s, const char *part)
{
	size_t n = kstrlen(part);

	for (; *s; s++)
		if (!kstrncmp(s, part, n))
			return true;
	return false;
}

static bool is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (is(s, *list))
			return true;
	return false;
}

static const char *const PATH_ARGS[] = {
	"path",	  "pathname", "upath", "oldpath", "newpath", "target",
	"linkpath", "filename", "uname", "source", NULL,
};
static const char *const OPEN_CALLS[] = { "open", "openat", "pipe2",
					  "dup3", NULL };
static const char *const MODE_CALLS[] = {
	"open",	 "openat", "creat",    "mkdir",	   "mkdirat", "chmod",
	"fchmod", "fchmodat", "fchmodat2", "mknod", "mknodat", "umask", NULL,
};
static const char *const ADDR_CALLS[] = { "mmap", "munmap", "mprotect",
					  "mremap", "brk", "madvise",
					  "msync", "mincore", "arch_prctl",
					  NULL };
static const char *const ADDR_ARGS[] = { "addr", "start", "old", "new_addr",
					 NULL };

/* The index of the argument of d named name, or -1. */
static int arg_index(const struct syscall_desc *d, const char *name)
{
	for (unsigned i = 0; i < d->nargs; i++)
		if (is(d->args[i].name, name))
			return (int)i;
	return -1;
}

/* Decodes argument i if strace would; false to show it by its kind. */
static bool put_decoded(struct line *l, const struct syscall_desc *d,
			unsigned i, const uint64_t *raw, bool returned,
			long ret)
{
	const char *name = d->args[i].name;
	uint64_t v = raw[i];
	int count = arg_index(d, "count");

	if (d->args[i].kind == SYSARG_UPTR) {
		if (!v)
			return false;
		if (is_one_of(name, PATH_ARGS) && !is(d->name, "execve") &&
		    !is(d->name, "execveat")) {
			put_user_string(l, v, STR_MAX, true);
			return true;
		}
		if (is(name, "buf") && count >= 0 &&
		    (is(d->name, "write") || is(d->name, "pwrite64"))) {
			put_user_string(l, v, raw[count], false);
			return true;
		}
		if (is(name, "buf") && returned && ret >= 0 &&
		    (is(d->name, "read") || is(d->name, "pread64"))) {
			put_user_string(l, v, (size_t)ret, false);
			return true;
		}
		return false;
	}
	if (contains(name, "dirfd") && (int)v == AT_FDCWD) {
		trace_put(l, "AT_FDCWD");
		return true;
	}
	if (is(name, "flags") && is_one_of(d->name, OPEN_CALLS)) {
		put_open_flags(l, v);
		return true;
	}
	if (is(name, "flags") && is(d->name, "mmap")) {
		put_map_flags(l, v);
		return true;
	}
	if (is(name, "prot")) {
		if (v == PROT_NONE)
			trace_put(l, "PROT_NONE");
		else
			put_flags(l, v, prot_flags, NULL);
		return true;
	}
	if (is(name, "mode") && is_one_of(d->name, MODE_CALLS)) {
		if (v)
			trace_put(l, "0%llo", (unsigned long long)(v & 07777777));
		else
			trace_put(l, "0");
		return true;
	}
	if (is_one_of(name, ADDR_ARGS) && is_one_of(d->name, ADDR_CALLS)) {
		if (v)
			trace_put(l, "0x%llx", (unsigned long long)v);
		else
			trace_put(l, "NULL");
		return true;
	}
	return false;
}

/* Appends argument raw, shown as its kind says. */
static void put_by_kind(struct line *l, enum sysarg_kind kind, uint64_t raw)
{
	switch (kind) {
	case SYSARG_INT:
		trace_put(l, "%d", (int)raw);
		return;
	case SYSARG_UINT:
		trace_put(l, "%u", (unsigned int)raw);
		return;
	case SYSARG_LONG:
		trace_put(l, "%lld", (long long)raw);
		return;
	case SYSARG_ULONG:
		trace_put(l, "%llu", (unsigned long long)raw);
		return;
	case SYSARG_UPTR:
		if (raw)
			trace_put(l, "0x%llx", (unsigned long long)raw);
		else
			trace_put(l, "NULL");
		return;
	}
	trace_put(l, "?");
}

void trace_put_arg(struct line *l, const struct syscall_desc *d, unsigned i,
		   const uint64_t *raw, bool returned, long ret)
{
	if (!put_decoded(l, d, i, raw, returned, ret))
		put_by_kind(l, d->args[i].kind, raw[i]);
}

void trace_put_result(struct line *l, const struct syscall_desc *d,
		      bool returned, long ret)
{
	if (!returned)
		trace_put(l, " = ?");
	else if (ret < 0 && ret >= -MAX_ERRNO)
		trace_put(l, " = -1 %s", errno_name((int)-ret));
	else if (is(d->name, "mmap") || is(d->name, "mremap") ||
		 is(d->name, "brk"))
		trace_put(l, " = 0x%llx", (unsigned long long)ret);
	else
		trace_put(l, " = %ld", ret);
}
