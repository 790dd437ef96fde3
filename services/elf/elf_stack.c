/*
 * The initial user stack of a new program, as the System V ABI (x86-64 and
 * RISC-V alike) has it, from the stack pointer up:
 *
 *     argc | argv[0..argc-1] | NULL | envp[...] | NULL | auxv pairs ...
 *     AT_NULL 0 | padding | AT_RANDOM's 16 bytes | the strings | top
 *
 * The image is built in a kernel buffer and written with one vm_write.
 * The stack itself is an 8 MiB demand-zero region; only the pages holding
 * this initial data are mapped up front.
 *
 * The auxiliary vector has Linux's entries; AT_SYSINFO_EHDR (the vDSO's
 * ELF header) is left out when exec mapped no vDSO. AT_HWCAP and AT_HWCAP2 are 0: services cannot read the
 * CPU's features and the core does not report them yet; glibc and musl
 * probe x86-64 features with cpuid themselves. AT_PLATFORM is the arch's
 * (none on riscv64, as Linux), AT_MINSIGSTKSZ the ABI's MINSIGSTKSZ.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/vm.h>
#include <svc/arch.h>
#include <svc/elf.h>
#include <svc/random.h>
#include <svc/elf_format.h>
#include <svc/vmar.h>

#define AUXV_PAIRS 21 /* including AT_NULL */
#define RANDOM_BYTES 16
#define CLOCK_TICKS 100 /* AT_CLKTCK, as every Linux port reports */

struct stack_plan {
	size_t argc, envc;
	size_t string_bytes; /* argv, envp and execfn strings, NULs included */
	uintptr_t top, strings, random, sp;
};

/* Counts a NULL-terminated list, adding its string bytes to *bytes.
 * Returns 0 or -E2BIG. */
static int measure(const char *const *list, size_t *count, size_t *bytes)
{
	*count = 0;
	for (; list && list[*count]; (*count)++) {
		if (*count == ELF_ARGC_MAX)
			return -E2BIG;
		*bytes += kstrnlen(list[*count], ELF_ARGS_MAX) + 1;
		if (*bytes > ELF_ARGS_MAX)
			return -E2BIG;
	}
	return 0;
}

/* Measures the arguments and lays the initial stack out below
 * elf_stack_top() into *p. Returns 0 or -E2BIG. */
static int plan_stack(const struct elf_stack_args *args, struct stack_plan *p)
{
	size_t words;
	int err;

	p->string_bytes = kstrnlen(args->execfn, ELF_ARGS_MAX) + 1 +
			  sizeof(SVC_ELF_PLATFORM);
	err = measure(args->argv, &p->argc, &p->string_bytes);
	if (!err)
		err = measure(args->envp, &p->envc, &p->string_bytes);
	if (err)
		return err;
	words = 1 + p->argc + 1 + p->envc + 1 + 2 * AUXV_PAIRS;
	p->top = elf_stack_top();
	p->strings = p->top - p->string_bytes;
	p->random = ALIGN_DOWN(p->strings - RANDOM_BYTES, (uintptr_t)16);
	p->sp = ALIGN_DOWN(p->random - words * sizeof(uint64_t),
			   (uintptr_t)16);
	return 0;
}

/* Copies s into the buffer at user address *at, returning that address
 * and advancing *at. buf represents user addresses from p->sp up. */
static uintptr_t put_string(uint8_t *buf, const struct stack_plan *p,
			    uintptr_t *at, const char *s)
{
	size_t len = kstrnlen(s, ELF_ARGS_MAX) + 1;
	uintptr_t addr = *at;

	memcpy(buf + (addr - p->sp), s, len - 1);
	buf[addr - p->sp + len - 1] = '\0';
	*at += len;
	return addr;
}

/* Builds the initial stack p describes in buf (p->top - p->sp bytes,
 * zeroed): argc, the pointer arrays, auxv, the strings and AT_RANDOM. */
static void fill_stack(uint8_t *buf, const struct stack_plan *p,
		       const struct elf_image *img,
		       const struct elf_stack_args *args)
{
	uint64_t *w = (uint64_t *)buf; /* p->sp is 16-byte aligned */
	uint64_t seed = args->random_seed;
	uint64_t rnd[2] = { random_mix64(&seed), random_mix64(&seed) };
	uintptr_t at = p->strings, execfn, platform;
	size_t k = 0;

	w[k++] = p->argc;
	for (size_t i = 0; i < p->argc; i++)
		w[k++] = put_string(buf, p, &at, args->argv[i]);
	w[k++] = 0;
	for (size_t i = 0; i < p->envc; i++)
		w[k++] = put_string(buf, p, &at, args->envp[i]);
	w[k++] = 0;
	execfn = put_string(buf, p, &at, args->execfn);
	platform = put_string(buf, p, &at, SVC_ELF_PLATFORM);
	memcpy(buf + (p->random - p->sp), rnd, RANDOM_BYTES);

	const uint64_t auxv[AUXV_PAIRS][2] = {
		/* Linux puts it first too; AT_IGNORE when there is none. */
		{ args->sysinfo_ehdr ? AT_SYSINFO_EHDR : AT_IGNORE,
		  args->sysinfo_ehdr },
		{ AT_PHDR, img->phdr_addr },
		{ AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, img->phnum },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_BASE, args->interp_base },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, img->entry },
		{ AT_UID, args->uid },
		{ AT_EUID, args->euid },
		{ AT_GID, args->gid },
		{ AT_EGID, args->egid },
		{ AT_SECURE, args->secure },
		{ AT_RANDOM, p->random },
		{ AT_EXECFN, execfn },
		{ AT_HWCAP, 0 },
		{ AT_HWCAP2, 0 },
		{ AT_CLKTCK, CLOCK_TICKS },
		{ AT_MINSIGSTKSZ, SVC_MINSIGSTKSZ },
		/* Replaced by AT_NULL below when the arch has no platform. */
		{ sizeof(SVC_ELF_PLATFORM) > 1 ? AT_PLATFORM : AT_NULL,
		  sizeof(SVC_ELF_PLATFORM) > 1 ? platform : 0 },
		{ AT_NULL, 0 },
	};
	memcpy(&w[k], auxv, sizeof(auxv));
}

int elf_setup_stack(const struct elf_image *img, struct vm_space *vs,
		    struct vmar *v, const struct elf_stack_args *args,
		    uintptr_t *sp)
{
	struct stack_plan p;
	size_t len;
	uint8_t *buf;
	int err;

	err = plan_stack(args, &p);
	if (err)
		return err;
	len = p.top - p.sp;
	buf = kzalloc(len);
	if (!buf)
		return -ENOMEM;
	fill_stack(buf, &p, img, args);

	err = vmar_add(v, p.top - ELF_STACK_SIZE, p.top, VM_READ | VM_WRITE,
		       VMAR_ANON);
	if (!err)
		err = vm_map_zero(vs, ALIGN_DOWN(p.sp, PAGE_SIZE),
				  p.top - ALIGN_DOWN(p.sp, PAGE_SIZE),
				  VM_READ | VM_WRITE);
	if (!err)
		err = vm_write(vs, p.sp, buf, len);
	kfree(buf);
	if (!err)
		*sp = p.sp;
	return err;
}
