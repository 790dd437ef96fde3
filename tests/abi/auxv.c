/* The auxiliary vector: which entries a static program is given and that
 * their values describe this program (its headers, entry, page size,
 * credentials, AT_RANDOM's bytes, AT_EXECFN's path). Values that differ
 * between machines (hwcaps, the real AT_MINSIGSTKSZ) are checked for
 * shape, not printed. */
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "abi.h"

extern const ElfW(Ehdr) __ehdr_start;
extern void _start(void);

static const struct {
	unsigned long type;
	const char *name;
} wanted[] = {
	{ AT_PHDR, "AT_PHDR" },     { AT_PHENT, "AT_PHENT" },
	{ AT_PHNUM, "AT_PHNUM" },   { AT_PAGESZ, "AT_PAGESZ" },
	{ AT_BASE, "AT_BASE" },     { AT_FLAGS, "AT_FLAGS" },
	{ AT_ENTRY, "AT_ENTRY" },   { AT_UID, "AT_UID" },
	{ AT_EUID, "AT_EUID" },     { AT_GID, "AT_GID" },
	{ AT_EGID, "AT_EGID" },     { AT_SECURE, "AT_SECURE" },
	{ AT_RANDOM, "AT_RANDOM" }, { AT_EXECFN, "AT_EXECFN" },
	{ AT_HWCAP, "AT_HWCAP" },   { AT_CLKTCK, "AT_CLKTCK" },
};

/* The auxv pairs, found past envp's NULL. */
static ElfW(auxv_t) *find_auxv(char **envp)
{
	while (*envp)
		envp++;
	return (ElfW(auxv_t) *)(envp + 1);
}

static int present(ElfW(auxv_t) *av, unsigned long type)
{
	for (; av->a_type != AT_NULL; av++)
		if (av->a_type == type)
			return 1;
	return 0;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int main(int argc, char **argv, char **envp)
{
	ElfW(auxv_t) *av = find_auxv(envp);
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	int nonzero = 0;

	(void)argc;
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		printf("%s present: %s\n", wanted[i].name,
		       present(av, wanted[i].type) ? "yes" : "no");
	abi_yes("AT_PHDR is the program headers",
		getauxval(AT_PHDR) ==
			(unsigned long)&__ehdr_start + __ehdr_start.e_phoff);
	printf("AT_PHENT: %lu\n", getauxval(AT_PHENT));
	abi_yes("AT_PHNUM is e_phnum",
		getauxval(AT_PHNUM) == __ehdr_start.e_phnum);
	printf("AT_PAGESZ: %lu\n", getauxval(AT_PAGESZ));
	abi_yes("sysconf page size agrees",
		sysconf(_SC_PAGESIZE) == (long)getauxval(AT_PAGESZ));
	printf("AT_BASE: %lu\n", getauxval(AT_BASE));
	printf("AT_FLAGS: %lu\n", getauxval(AT_FLAGS));
	abi_yes("AT_ENTRY is _start",
		getauxval(AT_ENTRY) == (unsigned long)&_start);
	abi_yes("AT_UID is getuid", getauxval(AT_UID) == getuid());
	abi_yes("AT_EUID is geteuid", getauxval(AT_EUID) == geteuid());
	abi_yes("AT_GID is getgid", getauxval(AT_GID) == getgid());
	abi_yes("AT_EGID is getegid", getauxval(AT_EGID) == getegid());
	printf("AT_SECURE: %lu\n", getauxval(AT_SECURE));
	printf("AT_CLKTCK: %lu\n", getauxval(AT_CLKTCK));
	abi_yes("sysconf clock ticks agree",
		sysconf(_SC_CLK_TCK) == (long)getauxval(AT_CLKTCK));
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	abi_yes("AT_RANDOM has non-zero bytes", nonzero);
	abi_yes("AT_EXECFN names this program",
		execfn && strcmp(base(execfn), base(argv[0])) == 0);
#ifdef __x86_64__
	printf("AT_PLATFORM: %s\n", (const char *)getauxval(AT_PLATFORM));
	abi_yes("AT_HWCAP2 present", present(av, AT_HWCAP2));
	abi_yes("AT_MINSIGSTKSZ >= 2048", getauxval(AT_MINSIGSTKSZ) >= 2048);
#endif
	return 0;
}
