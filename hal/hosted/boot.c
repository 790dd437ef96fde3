/*
 * Boot of the hosted backend: the host command line of keel-kernel, the
 * physical memory, the initrd (read into reserved physical memory as a
 * boot loader would), vCPU 0 and the console, then core_main. main.c only
 * calls these, so that unit tests can use every piece.
 *
 *   keel-kernel [--mem SIZE] [--cpus N] [--initrd FILE] [--stub PATH]
 *               [--] [KERNEL COMMAND LINE...]
 */
#include "hosted.h"

#include <err.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: keel-kernel [--mem SIZE] [--cpus N] [--initrd FILE] "
	"[--stub PATH] [--] [KERNEL ARGS...]\n"
	"  --mem SIZE     physical memory, e.g. 64M, 1G (default 256M)\n"
	"  --cpus N       virtual CPUs, 1..%d (default 1)\n"
	"  --initrd FILE  cpio archive loaded as the initial ramdisk\n"
	"  --stub PATH    user-program stub (default: keel-stub next to "
	"keel-kernel)\n"
	"  --help         this text\n"
	"Every other argument is joined with spaces into the kernel command "
	"line,\n"
	"e.g. `keel-kernel --initrd progs.cpio -- /hello a b` or "
	"`keel-kernel ktest`.\n";

/* Prints why (if any) and the usage: to stderr for errors, else stdout. */
static void usage(const char *why, const char *arg)
{
	FILE *out = why ? stderr : stdout;

	if (why)
		fprintf(stderr, "keel-kernel: %s%s%s\n", why, arg ? ": " : "",
			arg ? arg : "");
	fprintf(out, usage_text, HAL_MAX_CPUS);
	fflush(out);
}

bool hosted_parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t shift = 0;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end != '\0' || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

/* Appends word to the growing command line *line (space separated). */
static int cmdline_append(char **line, size_t *len, const char *word)
{
	size_t wl = strlen(word);
	char *n = realloc(*line, *len + wl + 2);

	if (!n)
		return -ENOMEM;
	if (*len)
		n[(*len)++] = ' ';
	memcpy(n + *len, word, wl + 1);
	*len += wl;
	*line = n;
	return 0;
}

/* Returns the value of option argv[*i] (advancing *i), or NULL. */
static const char *option_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		usage("option needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int parse_option(int argc, char **argv, int *i, struct hosted_opts *o)
{
	const char *a = argv[*i], *v;
	unsigned long n;
	char *end;

	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		usage(NULL, NULL);
		return 1;
	}
	if (strcmp(a, "--mem") && strcmp(a, "--cpus") && strcmp(a, "--initrd")
	    && strcmp(a, "--stub")) {
		usage("unknown option", a);
		return -EINVAL;
	}
	v = option_value(argc, argv, i);
	if (!v)
		return -EINVAL;
	if (strcmp(a, "--mem") == 0) {
		if (!hosted_parse_size(v, &o->mem) || o->mem < (4ull << 20)) {
			usage("--mem needs a size of at least 4M", v);
			return -EINVAL;
		}
	} else if (strcmp(a, "--cpus") == 0) {
		errno = 0;
		n = strtoul(v, &end, 10);
		if (errno || *end || n < 1 || n > HAL_MAX_CPUS) {
			usage("--cpus needs a number from 1 to 8", v);
			return -EINVAL;
		}
		o->cpus = (unsigned)n;
	} else if (strcmp(a, "--initrd") == 0) {
		o->initrd = v;
	} else {
		o->stub = v;
	}
	return 0;
}

int hosted_parse_args(int argc, char **argv, struct hosted_opts *o)
{
	size_t len = 0;
	bool options = true;

	*o = (struct hosted_opts){ .mem = HOSTED_DEFAULT_MEM, .cpus = 1 };
	o->cmdline = strdup("");
	if (!o->cmdline)
		return -ENOMEM;
	for (int i = 1; i < argc; i++) {
		int r = 0;

		if (options && strcmp(argv[i], "--") == 0) {
			/* Kept: the kernel's own syntax uses "--" too. */
			options = false;
			r = cmdline_append(&o->cmdline, &len, argv[i]);
		} else if (options && strncmp(argv[i], "-", 1) == 0 &&
			   argv[i][1] != '\0') {
			r = parse_option(argc, argv, &i, o);
		} else {
			r = cmdline_append(&o->cmdline, &len, argv[i]);
		}
		if (r) {
			hosted_opts_free(o);
			return r;
		}
	}
	return 0;
}

void hosted_opts_free(struct hosted_opts *o)
{
	free(o->cmdline);
	o->cmdline = NULL;
}

void hosted_load_initrd(const char *file, struct hal_boot_info *bi)
{
	struct stat st;
	hal_paddr_t base;
	char *dst;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0)
		err(1, "keel: cannot open initrd %s", file);
	if (!S_ISREG(st.st_mode))
		errx(1, "keel: initrd %s is not a regular file", file);
	if (st.st_size == 0) {
		close(fd);
		return;
	}
	base = hosted_phys_reserve(bi, (uint64_t)st.st_size);
	dst = hal_phys_to_virt(base);
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = read(fd, dst + done, (size_t)(st.st_size - done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err(1, "keel: cannot read initrd %s", file);
		done += n;
	}
	close(fd);
	bi->initrd_base = base;
	bi->initrd_size = (uint64_t)st.st_size;
}

void hosted_boot(const struct hosted_opts *o)
{
	static struct hal_boot_info bi;
	sigset_t winch;

	bi.cmdline = o->cmdline;
	bi.ncpus = o->cpus;
	/* A closed stdout must not kill the machine: writes just fail. */
	signal(SIGPIPE, SIG_IGN);
	hosted_phys_init(o->mem, &bi);
	if (o->initrd)
		hosted_load_initrd(o->initrd, &bi);
	hosted_stub_set_path(o->stub);
	hosted_confine_prepare(o->cmdline);
	/* Only the console input thread takes the host's SIGWINCH; every
	 * thread made from here on inherits the block. */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &winch, NULL);
	hosted_cpu_boot(o->cpus);
	hosted_console_init();
	hosted_confine(o->cmdline);
	core_main(&bi);
}

int hosted_errno(int host_errno)
{
	/*
	 * The host is Linux and Keel speaks the Linux ABI, so the numbers are
	 * the same on x86-64; this is the single place that relies on it.
	 */
	if (host_errno <= 0 || host_errno >= 4096)
		return -EIO;
	return -host_errno;
}

void hosted_die_write(const char *msg)
{
	size_t len = strlen(msg);

	while (len) {
		ssize_t n = write(2, msg, len);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return;
		}
		msg += n;
		len -= (size_t)n;
	}
}
