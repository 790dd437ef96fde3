/*
 * Function names for the hosted kernel's backtraces without opening files:
 * libunwind's unw_get_proc_name reads /proc/PID/maps and maps the
 * executable on every call, which the confined kernel (confine.c) may not
 * do. So before confinement the kernel maps its own executable once,
 * read-only, and later looks return addresses up in its symbol table
 * (.symtab, or .dynsym if stripped), with no host call at all.
 */
#include "hosted.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The start of the executable's mapping (the linker defines it). */
extern const char __executable_start[];

static const Elf64_Sym *syms;
static size_t nsyms;
static const char *strtab;
static size_t strtab_size;
static uintptr_t load_bias;

/* Finds the symbol table section and its strings in the file image. */
static bool find_symtab(const unsigned char *file, size_t size)
{
	const Elf64_Ehdr *eh = (const void *)file;
	const Elf64_Shdr *sh;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_shentsize != sizeof(*sh) || eh->e_shoff > size ||
	    (size_t)eh->e_shnum * sizeof(*sh) > size - eh->e_shoff)
		return false;
	sh = (const void *)(file + eh->e_shoff);
	for (unsigned pass = 0; pass < 2; pass++) {
		unsigned want = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;

		for (unsigned i = 0; i < eh->e_shnum; i++) {
			const Elf64_Shdr *s = &sh[i], *str;

			if (s->sh_type != want || s->sh_link >= eh->e_shnum)
				continue;
			str = &sh[s->sh_link];
			if (s->sh_offset > size || s->sh_size > size - s->sh_offset ||
			    str->sh_offset > size ||
			    str->sh_size > size - str->sh_offset)
				return false;
			syms = (const void *)(file + s->sh_offset);
			nsyms = s->sh_size / sizeof(Elf64_Sym);
			strtab = (const char *)file + str->sh_offset;
			strtab_size = str->sh_size;
			return true;
		}
	}
	return false;
}

void hosted_symbols_load(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *file;

	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || st.st_size <= 0) {
		close(fd);
		return;
	}
	file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (file == MAP_FAILED)
		return;
	/* A PIE is linked at 0: its first byte is mapped at the bias. */
	load_bias = (uintptr_t)__executable_start;
	if (((const Elf64_Ehdr *)file)->e_type == ET_EXEC)
		load_bias = 0;
	if (!find_symtab(file, (size_t)st.st_size)) {
		munmap(file, (size_t)st.st_size);
		syms = NULL;
	}
}

bool hosted_symbols_loaded(void)
{
	return syms != NULL;
}

bool hosted_symbol_name(uintptr_t ip, char *name, size_t size,
			uintptr_t *offset)
{
	/* A return address may be just past its function (a call to a
	 * noreturn function ends it): look up the call instruction. */
	uintptr_t addr = ip - load_bias - 1;
	const Elf64_Sym *best = NULL;

	for (size_t i = 0; syms && i < nsyms; i++) {
		const Elf64_Sym *s = &syms[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || !s->st_value ||
		    s->st_name >= strtab_size)
			continue;
		if (addr >= s->st_value && addr - s->st_value < s->st_size &&
		    (!best || s->st_value > best->st_value))
			best = s;
	}
	if (!best)
		return false;
	snprintf(name, size, "%.*s", (int)(strtab_size - best->st_name),
		 strtab + best->st_name);
	*offset = addr + 1 - best->st_value;
	return true;
}
