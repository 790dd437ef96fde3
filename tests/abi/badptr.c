/* The table-driven bad-input sweep: every system call Keel implements that
 * takes a user pointer (the list is generated at build time from the
 * SYSCALL_DEFINEs: scripts/gen-badptr-cases, badptr_cases.h) is called
 * with each pointer argument in turn
 *   - unmapped (a page mapped and unmapped again),
 *   - in the kernel half of the address space,
 *   - for the arguments the kernel writes through, a pointer into this
 *     program's own (read-only) code,
 * and with each fd argument -1, each flags argument all ones and each
 * size argument absurd (all ones); the other arguments are harmless (a
 * scratch file with data for fds, the cwd for dirfds, small sizes, 0,
 * NULL pointers). Each result is printed as "ok" or its errno name, and
 * the native run is the oracle: Linux says EFAULT, or whatever it checks
 * first. The process must live through all of it (the last line), and
 * the kernel too. EXCEPTIONS lists, with the reason, the cases where Keel
 * answers otherwise on purpose. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

enum bp_kind { BP_INT, BP_UPTR };

struct badptr_arg {
	enum bp_kind kind;
	const char *name;
	int written; /* the kernel writes through it */
};

struct badptr_case {
	const char *name;
	long nr;
	int nargs;
	struct badptr_arg args[6];
};

#include "badptr_cases.h"

/* Calls not made at all, each with its reason. */
static const char *const SKIPPED[] = {
	/* A bad argv or envp with a NULL path still fails on the path, but
	 * a mistake here replaces the test program. */
	"execve", "execveat",
	/* As root natively: never risk mounting or changing the root. */
	"mount", "umount2", "chroot",
	/* Waits on the scratch file's fd for ever (not an epoll/event fd
	 * only on Keel) or for a signal: nothing to learn about pointers. */
	"rt_sigsuspend",
	NULL,
};

/* Calls whose answers differ from Linux's in a case, with the reason;
 * their lines say "(exception)" and the case is not made. */
static const char *const EXCEPTIONS[] = {
	/* Linux reads the iovec before it looks at the RWF_* flags
	 * (EFAULT for a bad iov with bad flags); Keel checks the flags
	 * first (EOPNOTSUPP). Same answers for good iovecs. */
	"preadv2 flags all ones", "pwritev2 flags all ones",
	/* The socket calls (services/net) look the socket up first
	 * (ENOTSOCK for the scratch file) where Linux first copies the
	 * address in (connect: EFAULT, EINVAL for a bad length), checks a
	 * kernel-half buffer (sendto, recvfrom: EFAULT) or the MSG_* flags
	 * (sendmsg, recvmsg with all flags: EINVAL). Follow-up for the
	 * socket service: then these lines go. socketpair and setsockopt
	 * differ in their order of checks the same way. */
	"connect uaddr unmapped", "connect uaddr kernel", "connect len absurd",
	"sendto buf kernel", "recvfrom buf kernel", "sendmsg flags all ones",
	"recvmsg flags all ones", "socketpair usv unmapped",
	"socketpair usv kernel", "setsockopt len absurd",
	/* The xattr setters check the value (EFAULT) before the flags,
	 * Linux the flags first (EINVAL); fsetxattr looks at the name
	 * before the fd. Follow-up for services/vfs's xattr calls. */
	"setxattr flags all ones", "lsetxattr flags all ones",
	"fsetxattr flags all ones", "fsetxattr fd -1", "fgetxattr fd -1",
	"fremovexattr fd -1", "flistxattr fd -1",
	/* recvmmsg and sendmmsg: as sendmsg, ENOTSOCK before the flags. */
	"recvmmsg flags all ones", "sendmmsg flags all ones",
	NULL,
};

static bool listed(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

static int scratch_fd;

/* The harmless value of a non-pointer argument, by its name. */
static long benign(const char *name)
{
	if (strstr(name, "dirfd"))
		return AT_FDCWD;
	if (!strcmp(name, "fd") || ends_with(name, "_fd") ||
	    !strncmp(name, "fd_", 3) || ends_with(name, "fd"))
		return scratch_fd;
	if (!strcmp(name, "pid") || !strcmp(name, "tid") ||
	    !strcmp(name, "tgid"))
		return getpid();
	if (!strcmp(name, "sig"))
		return SIGUSR1;
	if (!strcmp(name, "sigsetsize"))
		return 8;
	if (!strcmp(name, "nfds") || !strcmp(name, "iovcnt") ||
	    !strcmp(name, "vlen"))
		return 1;
	if (strstr(name, "count") || strstr(name, "len") ||
	    strstr(name, "siz") || !strcmp(name, "n") ||
	    !strcmp(name, "maxevents") || !strcmp(name, "nr_futexes"))
		return 64;
	return 0; /* flags, modes, timeouts, clocks, options, ... */
}

static bool is_fd(const char *name)
{
	return benign(name) == scratch_fd && !strstr(name, "dirfd");
}

static bool is_size(const char *name)
{
	return benign(name) == 64;
}

/* Calls c with argument i set to v (others benign; pointers NULL) and
 * prints the outcome. */
static void try(const struct badptr_case *c, int i, long v, const char *what)
{
	char label[96];
	long a[6] = { 0 };
	long r;

	snprintf(label, sizeof(label), "%s %s %s", c->name, c->args[i].name,
		 what);
	if (listed(EXCEPTIONS, label)) {
		printf("%s: (exception)\n", label);
		return;
	}
	for (int k = 0; k < c->nargs; k++)
		if (c->args[k].kind == BP_INT)
			a[k] = benign(c->args[k].name);
	a[i] = v;
	lseek(scratch_fd, 0, SEEK_SET);
	errno = 0;
	r = syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	printf("%s: %s\n", label, r == -1 ? abi_errname(errno) : "ok");
}

static void code_page(void)
{
}

int main(void)
{
	char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const long kernel = (long)0xffff800000000000ul;
	const long code = (long)(uintptr_t)code_page;
	int cases = 0;

	abi_scratch_enter();
	scratch_fd = open("scratch", O_RDWR | O_CREAT, 0644);
	for (int i = 0; i < 256; i++)
		write(scratch_fd, "x", 1);
	munmap(gone, 4096);
	signal(SIGUSR1, SIG_IGN);
	for (size_t n = 0; n < sizeof(badptr_cases) / sizeof(badptr_cases[0]);
	     n++) {
		const struct badptr_case *c = &badptr_cases[n];

		if (listed(SKIPPED, c->name))
			continue;
		for (int i = 0; i < c->nargs; i++) {
			const struct badptr_arg *arg = &c->args[i];

			if (arg->kind == BP_UPTR) {
				try(c, i, (long)(uintptr_t)gone, "unmapped");
				try(c, i, kernel, "kernel");
				if (arg->written)
					try(c, i, code, "code");
			} else if (is_fd(arg->name)) {
				try(c, i, -1, "-1");
			} else if (!strcmp(arg->name, "flags")) {
				try(c, i, -1, "all ones");
			} else if (is_size(arg->name)) {
				try(c, i, -1, "absurd");
			}
		}
		cases++;
	}
	printf("calls tried: %s\n", cases > 50 ? "many" : "few");
	printf("still alive\n");
	close(scratch_fd);
	abi_scratch_leave();
	return 0;
}
