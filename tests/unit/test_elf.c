/*
 * Unit tests of the ELF loader (services/elf/): elf_check against
 * malformed, truncated, foreign and hostile files (every one -ENOEXEC),
 * static-pie placement, then elf_load and elf_setup_stack into a real
 * address space of the core: file bytes where they belong, protections
 * from p_flags, .bss left to demand paging, shared boundary pages, and
 * the System V initial stack read back word by word. Files are built in
 * exactly-sized heap buffers so that Valgrind catches any overrun.
 */
#include "unit.h"
#include "mm_fixtures.h"

#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/arch.h>
#include <svc/elf.h>
#include <svc/elf_format.h>
#include <svc/vmar.h>

#define TEXT_VA 0x400000ul
#define TEXT_SIZE 0x1800ul /* two pages, the second partly */
#define DATA_OFF 0x2000ul
#define DATA_VA (0x600000ul + DATA_OFF)
#define DATA_FILESZ 0x300ul
#define BSS_SIZE (16ul << 20)
#define ENTRY (TEXT_VA + 0x100)
#define FILE_LEN (DATA_OFF + DATA_FILESZ)
#define MAX_PHDRS 20

struct elf_file {
	unsigned char bytes[FILE_LEN + MAX_PHDRS * sizeof(struct elf64_phdr)];
	size_t len;
};

static struct elf_file f;

static struct elf64_ehdr get_ehdr(void)
{
	struct elf64_ehdr eh;

	memcpy(&eh, f.bytes, sizeof(eh));
	return eh;
}

static void put_ehdr(const struct elf64_ehdr *eh)
{
	memcpy(f.bytes, eh, sizeof(*eh));
}

static struct elf64_phdr get_phdr(unsigned i)
{
	struct elf64_phdr ph;
	struct elf64_ehdr eh = get_ehdr();

	memcpy(&ph, f.bytes + eh.e_phoff + i * sizeof(ph), sizeof(ph));
	return ph;
}

static void put_phdr(unsigned i, const struct elf64_phdr *ph)
{
	struct elf64_ehdr eh = get_ehdr();

	memcpy(f.bytes + eh.e_phoff + i * sizeof(*ph), ph, sizeof(*ph));
}

static void set_load(unsigned i, uint64_t off, uint64_t va, uint64_t filesz,
		     uint64_t memsz, uint32_t flags)
{
	struct elf64_phdr ph = { PT_LOAD, flags, off, va, va, filesz, memsz,
				 0x1000 };

	put_phdr(i, &ph);
}

/* A static x86-64 (or riscv64) executable: text R-X at TEXT_VA holding
 * the headers, data RW- at DATA_VA followed by a 16 MiB .bss. */
static void make_exec(void)
{
	struct elf64_ehdr eh = { 0 };

	memset(&f, 0, sizeof(f));
	for (size_t i = 0; i < FILE_LEN; i++)
		f.bytes[i] = (unsigned char)(i * 7 + 1);
	memcpy(eh.e_ident, "\177ELF", 4);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = SVC_ELF_MACHINE;
	eh.e_version = EV_CURRENT;
	eh.e_entry = ENTRY;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(struct elf64_phdr);
	eh.e_phnum = 2;
	put_ehdr(&eh);
	set_load(0, 0, TEXT_VA, TEXT_SIZE, TEXT_SIZE, PF_R | PF_X);
	set_load(1, DATA_OFF, DATA_VA, DATA_FILESZ, DATA_FILESZ + BSS_SIZE,
		 PF_R | PF_W);
	f.len = FILE_LEN;
}

/* make_exec() with phnum program headers: the first two are text and
 * data, the others hold file bytes until the test sets them. */
static void make_exec_phnum(unsigned phnum)
{
	struct elf64_ehdr eh;

	make_exec();
	eh = get_ehdr();
	eh.e_phnum = (uint16_t)phnum;
	put_ehdr(&eh);
}

/* elf_check on an exactly-sized copy of the first len bytes. */
static int check_len(size_t len, struct elf_image *img)
{
	void *copy = malloc(len ? len : 1);
	int err;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, f.bytes, len);
	err = elf_check(copy, len, img);
	free(copy);
	return err;
}

static int check(void)
{
	struct elf_image img;

	return check_len(f.len, &img);
}

START_TEST(accepts_a_static_executable)
{
	struct elf_image img;

	make_exec();
	ck_assert_int_eq(elf_check(f.bytes, f.len, &img), 0);
	ck_assert_uint_eq(img.nsegs, 2);
	ck_assert_uint_eq(img.entry, ENTRY);
	ck_assert_uint_eq(img.phnum, 2);
	ck_assert_uint_eq(img.phdr_addr, TEXT_VA + sizeof(struct elf64_ehdr));
	ck_assert_uint_eq(img.segs[0].vaddr, TEXT_VA);
	ck_assert_uint_eq(img.segs[0].prot, VM_READ | VM_EXEC);
	ck_assert_uint_eq(img.segs[1].vaddr, DATA_VA);
	ck_assert_uint_eq(img.segs[1].prot, VM_READ | VM_WRITE);
	ck_assert_uint_eq(img.end, ALIGN_UP(DATA_VA + DATA_FILESZ + BSS_SIZE,
					   PAGE_SIZE));
	ck_assert_uint_eq(img.end % PAGE_SIZE, 0);
}
END_TEST

START_TEST(truncated_files_are_refused)
{
	const size_t lens[] = { 0, 1, 4, 63, 64, 64 + 56, 64 + 2 * 56 - 1,
				TEXT_SIZE - 1, FILE_LEN - 1 };
	struct elf_image img;

	make_exec();
	ck_assert_int_eq(check_len(FILE_LEN, &img), 0);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		ck_assert_msg(check_len(lens[i], &img) == -ENOEXEC,
			      "%zu bytes accepted", lens[i]);
	ck_assert_int_eq(elf_check(NULL, 100, &img), -ENOEXEC);
}
END_TEST

/* One header field set to a bad value. */
struct header_change {
	const char *what;
	size_t offset, size;
	uint64_t value;
};

#define EH_FIELD(field) offsetof(struct elf64_ehdr, field), \
	sizeof(((struct elf64_ehdr *)0)->field)

START_TEST(bad_headers_are_refused)
{
	static const struct header_change changes[] = {
		{ "magic", 1, 1, 'e' },
		{ "32-bit class", EI_CLASS, 1, 1 },
		{ "big endian", EI_DATA, 1, 2 },
		{ "ident version", EI_VERSION, 1, 0 },
		{ "e_version", EH_FIELD(e_version), 2 },
		{ "relocatable", EH_FIELD(e_type), 1 },
		{ "core dump", EH_FIELD(e_type), 4 },
		{ "foreign machine", EH_FIELD(e_machine),
		  SVC_ELF_MACHINE == 62 ? 243 : 62 },
		{ "i386", EH_FIELD(e_machine), 3 },
		{ "small ehsize", EH_FIELD(e_ehsize), 52 },
		{ "phentsize", EH_FIELD(e_phentsize), 32 },
		{ "no phdrs", EH_FIELD(e_phnum), 0 },
		{ "phnum huge", EH_FIELD(e_phnum), 0xffff },
		{ "phnum past end", EH_FIELD(e_phnum), FILE_LEN / 56 },
		{ "phoff at end", EH_FIELD(e_phoff), FILE_LEN },
		{ "phoff wraps", EH_FIELD(e_phoff), ~0ull - 8 },
		{ "entry in kernel", EH_FIELD(e_entry), 0xffffffff81000000ull },
		{ "entry below user", EH_FIELD(e_entry), 0x1000 },
		{ "entry null", EH_FIELD(e_entry), 0 },
	};

	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		const struct header_change *c = &changes[i];

		make_exec();
		ck_assert_int_eq(check(), 0);
		memcpy(f.bytes + c->offset, &c->value, c->size);
		ck_assert_msg(check() == -ENOEXEC, "accepted: %s", c->what);
	}
}
END_TEST

/* One PT_LOAD of the data segment changed. */
struct segment_change {
	const char *what;
	uint64_t offset, vaddr, filesz, memsz, align;
};

START_TEST(bad_segments_are_refused)
{
	const uint64_t max = user_va_max();
	const struct segment_change changes[] = {
		{ "offset past end", FILE_LEN + 0x1000, DATA_VA, 1, 1, 0x1000 },
		{ "filesz past end", DATA_OFF, DATA_VA, DATA_FILESZ + 1,
		  DATA_FILESZ + 1, 0x1000 },
		{ "offset+filesz wraps", ~0ull - 0xfff, 0x603000 - 0x1000,
		  0x2000, 0x2000, 0x1000 },
		{ "filesz > memsz", DATA_OFF, DATA_VA, DATA_FILESZ, 0x10,
		  0x1000 },
		{ "kernel address", DATA_OFF, 0xffff800000002000ull, 0x10,
		  0x10, 0x1000 },
		{ "below user_va_min", DATA_OFF, 0x2000, 0x10, 0x10, 0x1000 },
		{ "vaddr+memsz wraps", DATA_OFF, DATA_VA, 0x10,
		  ~0ull - DATA_VA + 0x10, 0x1000 },
		{ "into the stack region", DATA_OFF, DATA_VA, 0x10,
		  max - DATA_VA - 0x1000, 0x1000 },
		{ "at user_va_max", DATA_OFF, max + 0x2000 - 0x1000, 0x10,
		  0x10, 0x1000 },
		{ "align not a power of 2", DATA_OFF, DATA_VA, 0x10, 0x10,
		  0x1800 },
		{ "incongruent", DATA_OFF, DATA_VA + 0x100, 0x10, 0x10,
		  0x1000 },
		{ "overlaps text", DATA_OFF, TEXT_VA + 0x1000, 0x10, 0x10,
		  0x1000 },
		{ "covers text", DATA_OFF, TEXT_VA - 0x1000, 0x10, 0x10000,
		  0x1000 },
	};

	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		const struct segment_change *c = &changes[i];
		struct elf64_phdr ph;

		make_exec();
		ph = get_phdr(1);
		ph.p_offset = c->offset;
		ph.p_vaddr = c->vaddr;
		ph.p_filesz = c->filesz;
		ph.p_memsz = c->memsz;
		ph.p_align = c->align;
		put_phdr(1, &ph);
		ck_assert_msg(check() == -ENOEXEC, "accepted: %s", c->what);
	}
}
END_TEST

START_TEST(interpreter_is_recorded)
{
	static const char path[] = "/lib/ld.so";
	struct elf64_phdr ph;
	struct elf_image img;

	make_exec_phnum(3);
	memcpy(f.bytes + 0x200, path, sizeof(path));
	ph = (struct elf64_phdr){ PT_INTERP, PF_R, 0x200, TEXT_VA + 0x200,
				  0, sizeof(path), sizeof(path), 1 };
	put_phdr(2, &ph);
	ck_assert_int_eq(elf_check(f.bytes, f.len, &img), 0);
	ck_assert(img.has_interp);
	ck_assert_uint_eq(img.interp_off, 0x200);
	ck_assert_uint_eq(img.interp_len, sizeof(path));
	ck_assert_str_eq((const char *)img.file + img.interp_off, path);
	/* An ET_EXEC image cannot move. */
	ck_assert(!img.dyn);
	ck_assert_int_eq(elf_rebase(&img, 0x10000000), -EINVAL);
}
END_TEST

START_TEST(unsupported_programs_are_refused)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;

	/* An interpreter path that does not end in its NUL, one too short,
	 * one past the end of the file, one longer than PATH_MAX. */
	make_exec_phnum(3);
	f.bytes[0x200 + 19] = 'x';
	ph = (struct elf64_phdr){ PT_INTERP, PF_R, 0x200, TEXT_VA + 0x200,
				  0, 20, 20, 1 };
	put_phdr(2, &ph);
	ck_assert_int_eq(check(), -ENOEXEC);
	ph.p_filesz = 1;
	f.bytes[0x200] = 0;
	put_phdr(2, &ph);
	ck_assert_int_eq(check(), -ENOEXEC);
	ph.p_offset = FILE_LEN - 1;
	ph.p_filesz = 2;
	put_phdr(2, &ph);
	ck_assert_int_eq(check(), -ENOEXEC);
	ph.p_offset = 0;
	ph.p_filesz = ELF_INTERP_MAX + 1;
	f.bytes[ELF_INTERP_MAX] = 0;
	put_phdr(2, &ph);
	ck_assert_int_eq(check(), -ENOEXEC);

	/* Nothing to load. */
	make_exec();
	for (unsigned i = 0; i < 2; i++) {
		ph = get_phdr(i);
		ph.p_type = PT_NULL;
		put_phdr(i, &ph);
	}
	ck_assert_int_eq(check(), -ENOEXEC);

	/* More PT_LOADs than the loader takes (headers moved past the
	 * data so that they fit). */
	make_exec();
	eh = get_ehdr();
	eh.e_phoff = FILE_LEN;
	eh.e_phnum = ELF_MAX_SEGMENTS + 1;
	put_ehdr(&eh);
	f.len = FILE_LEN + (ELF_MAX_SEGMENTS + 1) * sizeof(ph);
	for (unsigned i = 0; i <= ELF_MAX_SEGMENTS; i++)
		set_load(i, 0, TEXT_VA + i * 0x1000ul, 0x10, 0x10, PF_R);
	ck_assert_int_eq(check(), -ENOEXEC);
	eh.e_phnum = ELF_MAX_SEGMENTS;
	put_ehdr(&eh);
	ck_assert_int_eq(check(), 0);
}
END_TEST

START_TEST(empty_segments_and_pt_phdr)
{
	struct elf_image img;
	struct elf64_phdr ph;

	make_exec_phnum(4);
	/* A zero-sized PT_LOAD anywhere is ignored... */
	ph = (struct elf64_phdr){ PT_LOAD, PF_R, 0, 0x10, 0, 0, 0, 0 };
	put_phdr(2, &ph);
	/* ...and PT_PHDR says where the headers are. */
	ph = (struct elf64_phdr){ PT_PHDR, PF_R, 64, TEXT_VA + 64, 0,
				  4 * 56, 4 * 56, 8 };
	put_phdr(3, &ph);
	ck_assert_int_eq(elf_check(f.bytes, f.len, &img), 0);
	ck_assert_uint_eq(img.nsegs, 2);
	ck_assert_uint_eq(img.phdr_addr, TEXT_VA + 64);
	ph.p_vaddr = 0xffffffff00000000ull; /* PT_PHDR outside user space */
	put_phdr(3, &ph);
	ck_assert_int_eq(check(), -ENOEXEC);
}
END_TEST

START_TEST(static_pie_goes_to_a_fixed_base)
{
	uintptr_t base = ALIGN_DOWN(user_va_max() / 3 * 2, PAGE_SIZE);
	struct elf_image img;
	struct elf64_ehdr eh;

	make_exec();
	eh = get_ehdr();
	eh.e_type = ET_DYN;
	eh.e_entry = 0x100;
	put_ehdr(&eh);
	set_load(0, 0, 0, TEXT_SIZE, TEXT_SIZE, PF_R | PF_X);
	set_load(1, DATA_OFF, 0x200000 + DATA_OFF, DATA_FILESZ, DATA_FILESZ,
		 PF_R | PF_W);
	ck_assert_int_eq(elf_check(f.bytes, f.len, &img), 0);
	ck_assert_uint_eq(img.base, base);
	ck_assert_uint_eq(img.segs[0].vaddr, base);
	ck_assert_uint_eq(img.segs[1].vaddr, base + 0x200000 + DATA_OFF);
	ck_assert_uint_eq(img.entry, base + 0x100);
	ck_assert_uint_eq(img.phdr_addr, base + 64);
	/* elf_rebase moves everything by the same amount, down or up. */
	ck_assert(img.dyn);
	ck_assert_int_eq(elf_rebase(&img, 0x10000000), 0);
	ck_assert_uint_eq(img.segs[0].vaddr, 0x10000000);
	ck_assert_uint_eq(img.segs[1].vaddr, 0x10000000 + 0x200000 + DATA_OFF);
	ck_assert_uint_eq(img.entry, 0x10000000 + 0x100);
	ck_assert_uint_eq(img.phdr_addr, 0x10000000 + 64);
	ck_assert_uint_eq(elf_span(&img), 0x200000 + DATA_OFF + PAGE_SIZE);
	ck_assert_int_eq(elf_rebase(&img, 0x10000001), -EINVAL);
	ck_assert_int_eq(elf_rebase(&img, elf_stack_top() - ELF_STACK_SIZE -
						  PAGE_SIZE),
			 -ENOMEM);
	ck_assert_int_eq(elf_rebase(&img, 0), -ENOMEM);
	ck_assert_uint_eq(img.entry, 0x10000000 + 0x100);
	ck_assert_int_eq(elf_rebase(&img, base), 0);
	ck_assert_uint_eq(img.entry, base + 0x100);
	/* A segment reaching past the user range from that base. */
	set_load(1, DATA_OFF, user_va_max() / 2, DATA_FILESZ, DATA_FILESZ,
		 PF_R | PF_W);
	ck_assert_int_eq(check(), -ENOEXEC);
	/* An entry below the image. */
	set_load(0, 0x1000, 0x1000, 0x10, 0x10, PF_R | PF_X);
	set_load(1, DATA_OFF, 0x200000 + DATA_OFF, 0x10, 0x10, PF_R | PF_W);
	ck_assert_int_eq(check(), -ENOEXEC);
}
END_TEST

/* ---- Loading into an address space ---------------------------------- */

static unsigned prot_at(struct space *s, uintptr_t va)
{
	unsigned prot = 0;

	ck_assert_int_eq(vm_query(s->vs, va, &prot), 0);
	return prot;
}

static void load_exec(struct space *s, struct elf_image *img)
{
	space_open(s);
	ck_assert_int_eq(elf_check(f.bytes, f.len, img), 0);
	ck_assert_int_eq(elf_load(img, NULL, s->vs, &s->vmar, false), 0);
}

START_TEST(load_maps_file_bytes_with_their_protection)
{
	static unsigned char buf[TEXT_SIZE];
	struct elf_image img;
	struct space s;
	unsigned prot;

	make_exec();
	load_exec(&s, &img);
	ck_assert_int_eq(vm_read(s.vs, TEXT_VA, buf, TEXT_SIZE), 0);
	ck_assert_int_eq(memcmp(buf, f.bytes, TEXT_SIZE), 0);
	ck_assert_int_eq(vm_read(s.vs, DATA_VA, buf, DATA_FILESZ), 0);
	ck_assert_int_eq(memcmp(buf, f.bytes + DATA_OFF, DATA_FILESZ), 0);
	/* The rest of the last file page is zero, text's and data's. */
	ck_assert_int_eq(vm_read(s.vs, TEXT_VA + TEXT_SIZE, buf,
				 2 * PAGE_SIZE - TEXT_SIZE), 0);
	for (size_t i = 0; i < 2 * PAGE_SIZE - TEXT_SIZE; i++)
		ck_assert_uint_eq(buf[i], 0);
	ck_assert_int_eq(vm_read(s.vs, DATA_VA + DATA_FILESZ, buf,
				 PAGE_SIZE - DATA_FILESZ), 0);
	for (size_t i = 0; i < PAGE_SIZE - DATA_FILESZ; i++)
		ck_assert_uint_eq(buf[i], 0);
	ck_assert_uint_eq(prot_at(&s, TEXT_VA), VM_READ | VM_EXEC);
	ck_assert_uint_eq(prot_at(&s, TEXT_VA + PAGE_SIZE), VM_READ | VM_EXEC);
	ck_assert_uint_eq(prot_at(&s, DATA_VA), VM_READ | VM_WRITE);
	/* Nothing around the image. */
	ck_assert_int_eq(vm_query(s.vs, TEXT_VA - PAGE_SIZE, &prot), -ENOENT);
	ck_assert_int_eq(vm_query(s.vs, TEXT_VA + 2 * PAGE_SIZE, &prot),
			 -ENOENT);
	space_close(&s);
}
END_TEST

START_TEST(bss_is_demand_zero)
{
	uintptr_t bss = DATA_VA + PAGE_SIZE, end = DATA_VA + PAGE_SIZE +
						   BSS_SIZE;
	struct vmar_region r;
	struct elf_image img;
	uint64_t word = 1;
	struct space s;
	unsigned prot;

	make_exec();
	load_exec(&s, &img);
	/* 16 MiB of .bss cost nothing yet. */
	ck_assert_uint_lt(vm_space_frames(s.vs), 16);
	ck_assert_int_eq(vm_query(s.vs, bss, &prot), -ENOENT);
	ck_assert_int_eq(vmar_lookup(&s.vmar, bss, &r), 0);
	ck_assert_int_eq(r.kind, VMAR_ANON);
	ck_assert_uint_eq(r.start, bss);
	ck_assert_uint_eq(r.end, end);
	/* A fault maps zero pages (a few, around it). */
	ck_assert_int_eq(vmar_fault(s.vs, end - 8, USER_ACCESS_WRITE,
				    &s.vmar), 0);
	ck_assert_uint_eq(prot_at(&s, end - 8), VM_READ | VM_WRITE);
	ck_assert_int_eq(vm_read(s.vs, end - 8, &word, 8), 0);
	ck_assert_uint_eq(word, 0);
	ck_assert_int_eq(vm_query(s.vs, end, &prot), -ENOENT);
	ck_assert_int_eq(vmar_fault(s.vs, bss + 5 * PAGE_SIZE + 3,
				    USER_ACCESS_READ, &s.vmar), 0);
	ck_assert_uint_lt(vm_space_frames(s.vs), 64);
	/* Faults the vmar must refuse. */
	ck_assert_int_eq(vmar_fault(s.vs, bss, USER_ACCESS_EXEC, &s.vmar),
			 -EFAULT);
	ck_assert_int_eq(vmar_fault(s.vs, TEXT_VA, USER_ACCESS_WRITE,
				    &s.vmar), -EFAULT);
	ck_assert_int_eq(vmar_fault(s.vs, end, USER_ACCESS_READ, &s.vmar),
			 -EFAULT);
	ck_assert_int_eq(vmar_fault(s.vs, 0x1234, USER_ACCESS_WRITE, &s.vmar),
			 -EFAULT);
	space_close(&s);
}
END_TEST

START_TEST(segments_sharing_a_page)
{
	static unsigned char buf[PAGE_SIZE];
	struct elf_image img;
	struct space s;

	/* text [0x400000, 0x400800) R-X, data [0x400900, 0x400a00) RW-,
	 * rodata [0x400b00, 0x400b10) R--, all starting in one page; the
	 * rodata's memory (its .bss) runs on past that page. */
	make_exec_phnum(3);
	set_load(0, 0, TEXT_VA, 0x800, 0x800, PF_R | PF_X);
	set_load(1, 0x900, TEXT_VA + 0x900, 0x100, 0x100, PF_R | PF_W);
	set_load(2, 0xb00, TEXT_VA + 0xb00, 0x10, 0x2000, PF_R);
	load_exec(&s, &img);
	ck_assert_uint_eq(prot_at(&s, TEXT_VA),
			  VM_READ | VM_WRITE | VM_EXEC);
	ck_assert_int_eq(vm_read(s.vs, TEXT_VA, buf, PAGE_SIZE), 0);
	ck_assert_int_eq(memcmp(buf, f.bytes, 0x800), 0);
	ck_assert_int_eq(memcmp(buf + 0x900, f.bytes + 0x900, 0x100), 0);
	ck_assert_int_eq(memcmp(buf + 0xb00, f.bytes + 0xb00, 0x10), 0);
	for (size_t i = 0x800; i < 0x900; i++)
		ck_assert_uint_eq(buf[i], 0);
	for (size_t i = 0xb10; i < PAGE_SIZE; i++)
		ck_assert_uint_eq(buf[i], 0);
	/* The third segment's .bss beyond the page is demand-zero, R--. */
	ck_assert_int_eq(vmar_fault(s.vs, TEXT_VA + PAGE_SIZE,
				    USER_ACCESS_READ, &s.vmar), 0);
	ck_assert_uint_eq(prot_at(&s, TEXT_VA + PAGE_SIZE), VM_READ);
	space_close(&s);
}
END_TEST

/* Reads the 64-bit word at va. */
static uint64_t word_at(struct space *s, uintptr_t va)
{
	uint64_t w;

	ck_assert_int_eq(vm_read(s->vs, va, &w, sizeof(w)), 0);
	return w;
}

static void assert_string_at(struct space *s, uintptr_t va, const char *want)
{
	char buf[64];

	ck_assert_uint_lt(strlen(want), sizeof(buf));
	ck_assert_int_eq(vm_read(s->vs, va, buf, strlen(want) + 1), 0);
	ck_assert_str_eq(buf, want);
}

START_TEST(initial_stack_follows_the_abi)
{
	static const char *const argv[] = { "/prog", "a", "bc", NULL };
	static const char *const envp[] = { "HOME=/", NULL };
	const struct elf_stack_args args = { .argv = argv, .envp = envp,
					     .execfn = "/prog",
					     .random_seed = 42, .uid = 1000,
					     .euid = 1001, .gid = 100,
					     .egid = 101, .secure = true,
					     .interp_base = 0x7f0000 };
	uint64_t want_aux[64] = { 0 };
	bool seen[64] = { false };
	struct elf_image img;
	struct space s;
	uintptr_t sp, at, random = 0;
	uint64_t key, rnd[2];

	make_exec();
	load_exec(&s, &img);
	ck_assert_int_eq(elf_setup_stack(&img, s.vs, &s.vmar, &args, &sp), 0);
	ck_assert_uint_eq(sp % 16, 0);
	ck_assert_uint_lt(sp, elf_stack_top());
	ck_assert_uint_eq(word_at(&s, sp), 3);
	for (int i = 0; i < 3; i++)
		assert_string_at(&s, word_at(&s, sp + 8 + 8 * i), argv[i]);
	ck_assert_uint_eq(word_at(&s, sp + 32), 0);
	assert_string_at(&s, word_at(&s, sp + 40), "HOME=/");
	ck_assert_uint_eq(word_at(&s, sp + 48), 0);
	at = sp + 56;
	while ((key = word_at(&s, at)) != AT_NULL) {
		ck_assert_uint_lt(key, 64);
		ck_assert(!seen[key]);
		seen[key] = true;
		want_aux[key] = word_at(&s, at + 8);
		if (key == AT_RANDOM)
			random = want_aux[key];
		at += 16;
	}
	ck_assert_uint_eq(want_aux[AT_PHDR], img.phdr_addr);
	ck_assert_uint_eq(want_aux[AT_PHENT], sizeof(struct elf64_phdr));
	ck_assert_uint_eq(want_aux[AT_PHNUM], 2);
	ck_assert_uint_eq(want_aux[AT_PAGESZ], PAGE_SIZE);
	ck_assert_uint_eq(want_aux[AT_ENTRY], ENTRY);
	/* The ids and AT_SECURE are the ones exec passed. */
	ck_assert_uint_eq(want_aux[AT_UID], 1000);
	ck_assert_uint_eq(want_aux[AT_EUID], 1001);
	ck_assert_uint_eq(want_aux[AT_GID], 100);
	ck_assert_uint_eq(want_aux[AT_EGID], 101);
	ck_assert_uint_eq(want_aux[AT_SECURE], 1);
	ck_assert_uint_eq(want_aux[AT_BASE], 0x7f0000);
	assert_string_at(&s, want_aux[AT_EXECFN], "/prog");
	ck_assert_uint_eq(want_aux[AT_CLKTCK], 100);
	ck_assert(seen[AT_UID] && seen[AT_EUID] && seen[AT_GID] &&
		  seen[AT_EGID] && seen[AT_BASE] && seen[AT_HWCAP] &&
		  seen[AT_HWCAP2]);
	ck_assert_uint_eq(want_aux[AT_MINSIGSTKSZ], SVC_MINSIGSTKSZ);
	/* AT_PLATFORM exactly when the arch names one (x86-64 does). */
	ck_assert(seen[AT_PLATFORM] == (sizeof(SVC_ELF_PLATFORM) > 1));
	if (seen[AT_PLATFORM])
		assert_string_at(&s, want_aux[AT_PLATFORM], SVC_ELF_PLATFORM);
	/* AT_RANDOM: 16 bytes inside the stack, not all zero. */
	ck_assert_uint_gt(random, at);
	ck_assert_uint_lt(random + 16, elf_stack_top());
	ck_assert_int_eq(vm_read(s.vs, random, rnd, 16), 0);
	ck_assert(rnd[0] != 0 || rnd[1] != 0);
	/* The stack below the initial data grows on demand. */
	ck_assert_int_eq(vmar_fault(s.vs, elf_stack_top() - ELF_STACK_SIZE,
				    USER_ACCESS_WRITE, &s.vmar), 0);
	ck_assert_int_eq(vmar_fault(s.vs, elf_stack_top() - ELF_STACK_SIZE - 1,
				    USER_ACCESS_WRITE, &s.vmar), -EFAULT);
	space_close(&s);
}
END_TEST

START_TEST(too_many_arguments)
{
	static const char *argv[ELF_ARGC_MAX + 2];
	static char big[ELF_ARGS_MAX + 1];
	const char *const envp[] = { NULL };
	struct elf_stack_args args = { .argv = argv, .envp = envp,
				       .execfn = "/prog", .random_seed = 1 };
	struct elf_image img;
	struct space s;
	uintptr_t sp;

	for (int i = 0; i <= ELF_ARGC_MAX; i++)
		argv[i] = "x";
	argv[ELF_ARGC_MAX + 1] = NULL;
	make_exec();
	load_exec(&s, &img);
	ck_assert_int_eq(elf_setup_stack(&img, s.vs, &s.vmar, &args, &sp),
			 -E2BIG);
	memset(big, 'b', ELF_ARGS_MAX);
	argv[0] = big;
	argv[1] = NULL;
	ck_assert_int_eq(elf_setup_stack(&img, s.vs, &s.vmar, &args, &sp),
			 -E2BIG);
	/* Nothing was set up by the refused calls. */
	ck_assert_int_eq(vmar_fault(s.vs, elf_stack_top() - PAGE_SIZE,
				    USER_ACCESS_WRITE, &s.vmar), -EFAULT);
	space_close(&s);
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *check_tc = tcase_create("check");
	TCase *load_tc = tcase_create("load");

	tcase_add_test(check_tc, accepts_a_static_executable);
	tcase_add_test(check_tc, truncated_files_are_refused);
	tcase_add_test(check_tc, bad_headers_are_refused);
	tcase_add_test(check_tc, bad_segments_are_refused);
	tcase_add_test(check_tc, unsupported_programs_are_refused);
	tcase_add_test(check_tc, empty_segments_and_pt_phdr);
	tcase_add_test(check_tc, static_pie_goes_to_a_fixed_base);
	tcase_add_test(check_tc, interpreter_is_recorded);
	suite_add_tcase(s, check_tc);
	tcase_add_test(load_tc, load_maps_file_bytes_with_their_protection);
	tcase_add_test(load_tc, bss_is_demand_zero);
	tcase_add_test(load_tc, segments_sharing_a_page);
	tcase_add_test(load_tc, initial_stack_follows_the_abi);
	tcase_add_test(load_tc, too_many_arguments);
	suite_add_tcase(s, load_tc);
	return s;
}
UNIT_SUITE(elf_suite);
