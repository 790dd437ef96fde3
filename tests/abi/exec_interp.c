/* execve of programs whose PT_INTERP names a dynamic linker that cannot
 * be used, built here as small ELF files: a missing one (ENOENT), one that
 * is not ELF, one for another machine and one with a corrupt program
 * header table (ELIBBAD), a path without its NUL (ENOEXEC), one that is a
 * directory (EACCES); and personality(2) keeping ADDR_NO_RANDOMIZE
 * across fork. */
#define _GNU_SOURCE
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include "abi.h"
#include "abi_files.h"

#if defined(__x86_64__)
#define MACHINE EM_X86_64
#define OTHER_MACHINE EM_AARCH64
#else
#define MACHINE EM_RISCV
#define OTHER_MACHINE EM_X86_64
#endif

#define BASE 0x400000ul

/* The first bytes of a small ELF executable: the header, a PT_LOAD of
 * the whole file and a PT_INTERP naming interp (len bytes, the NUL
 * included or not), the path right after the headers. */
struct tiny_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	char path[64];
};

static int write_file(const char *name, const void *data, size_t len)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	int ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static void fill_header(Elf64_Ehdr *eh, uint16_t type, uint16_t machine,
			uint16_t phnum)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = phnum;
}

/* Writes a program at name whose interpreter is interp; with_nul false
 * leaves the path's NUL out of PT_INTERP. */
static int make_program(const char *name, const char *interp, int with_nul)
{
	struct tiny_elf t;
	size_t len = strlen(interp) + (with_nul ? 1 : 0);

	memset(&t, 0, sizeof(t));
	fill_header(&t.eh, ET_EXEC, MACHINE, 2);
	t.eh.e_entry = BASE + offsetof(struct tiny_elf, path);
	t.ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
				.p_offset = 0, .p_vaddr = BASE,
				.p_paddr = BASE, .p_filesz = sizeof(t),
				.p_memsz = sizeof(t), .p_align = 0x1000 };
	t.ph[1] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R,
				.p_offset = offsetof(struct tiny_elf, path),
				.p_vaddr = BASE + offsetof(struct tiny_elf, path),
				.p_filesz = len, .p_memsz = len, .p_align = 1 };
	memcpy(t.path, interp, strlen(interp));
	if (!with_nul)
		t.path[strlen(interp)] = 'x'; /* no NUL at the end */
	return write_file(name, &t, sizeof(t));
}

/* A would-be dynamic linker: ET_DYN for machine, with phentsize as given
 * (a wrong one is a corrupt program header table). */
static int make_interp(const char *name, uint16_t machine,
		       uint16_t phentsize)
{
	struct tiny_elf t;

	memset(&t, 0, sizeof(t));
	fill_header(&t.eh, ET_DYN, machine, 1);
	t.eh.e_phentsize = phentsize;
	t.ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
				.p_filesz = sizeof(t), .p_memsz = sizeof(t),
				.p_align = 0x1000 };
	return write_file(name, &t, sizeof(t));
}

/* Runs name in a child and prints execve's errno (the child exits 0 when
 * execve failed as it should). */
static void try_exec(const char *label, const char *name)
{
	char *const argv[] = { (char *)name, NULL };
	char *const envp[] = { NULL };
	int fds[2], st, err = 0;
	pid_t pid;

	if (pipe(fds))
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		execve(name, argv, envp);
		err = errno;
		if (write(fds[1], &err, sizeof(err)) < 0)
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(fds[0]);
	waitpid(pid, &st, 0);
	if (err)
		printf("%s: execve -1 %s\n", label, abi_errname(err));
	else
		printf("%s: execve succeeded\n", label);
}

static void personality_flags(void)
{
	int st;
	pid_t pid;

	SHOW("query", personality(0xffffffff));
	SHOW("set ADDR_NO_RANDOMIZE", personality(ADDR_NO_RANDOMIZE));
	SHOW("query again", personality(0xffffffff));
	pid = fork();
	if (pid == 0)
		_exit(personality(0xffffffff) == ADDR_NO_RANDOMIZE ? 0 : 1);
	waitpid(pid, &st, 0);
	abi_yes("kept across fork", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	SHOW("back to PER_LINUX", personality(PER_LINUX));
	SHOW("query last", personality(0xffffffff));
}

int main(void)
{
	static const char text[] = "not an ELF file at all, just some text\n";

	abi_scratch_enter();
	if (make_program("missing", "./no-such-ld.so", 1) ||
	    make_program("no_nul", "./ld-text.so", 0) ||
	    make_program("text", "./ld-text.so", 1) ||
	    make_program("foreign", "./ld-foreign.so", 1) ||
	    make_program("corrupt", "./ld-corrupt.so", 1) ||
	    make_program("directory", "./ld-dir", 1) ||
	    write_file("ld-text.so", text, sizeof(text)) ||
	    make_interp("ld-foreign.so", OTHER_MACHINE, sizeof(Elf64_Phdr)) ||
	    make_interp("ld-corrupt.so", MACHINE, 3) || mkdir("ld-dir", 0755)) {
		perror("making the programs");
		return 1;
	}
#if defined(__x86_64__)
	try_exec("missing interpreter", "./missing");
	try_exec("path without NUL", "./no_nul");
	try_exec("interpreter is text", "./text");
	try_exec("interpreter for another machine", "./foreign");
	try_exec("corrupt program headers", "./corrupt");
	try_exec("interpreter is a directory", "./directory");
#else
	/* The riscv64 oracle, qemu-user, hands the exec of a riscv64 ELF to
	 * the x86-64 host kernel, which says ENOEXEC to every one. */
	printf("exec cases: x86-64 only\n");
	(void)try_exec;
#endif
	personality_flags();
	abi_scratch_leave();
	return 0;
}
