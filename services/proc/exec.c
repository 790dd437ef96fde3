/*
 * Program images (see exec.h), after Linux's fs/exec.c and
 * fs/binfmt_script.c:
 *
 *  - the file is found through the VFS (vfs_open_exec: ENOENT, ENOTDIR,
 *    ELOOP, EACCES without an execute bit or for a non-regular file);
 *  - the argument and environment strings are copied with Linux's
 *    limits: one string of MAX_ARG_STRLEN (128 KiB, NUL included) at
 *    most, and all strings and their pointers together within a quarter
 *    of RLIMIT_STACK (at most 6 MiB, at least 128 KiB), else E2BIG;
 *  - a file starting with `#!` names an interpreter and at most one
 *    argument on its first line (256 bytes at most: a longer line is cut
 *    unless that would cut the interpreter's name, ENOEXEC), and argv
 *    becomes interpreter, [argument], script path, argv[1..]; an
 *    interpreter may be a script itself, up to Linux's depth (ELOOP);
 *  - anything else must be an ELF executable (ENOEXEC); one with
 *    PT_INTERP gets its dynamic linker loaded too (a missing one is its
 *    open's errno, ENOENT; a corrupt one ELIBBAD, as Linux), which then
 *    runs first, with AT_BASE, AT_ENTRY and AT_PHDR telling it where
 *    itself and the program are;
 *  - ET_DYN programs go to two thirds of the user range and the dynamic
 *    linker below the mmap base, each moved by a random amount (ASLR:
 *    up to 1/128 of the user range) unless personality(2) has
 *    ADDR_NO_RANDOMIZE;
 *  - the core's vDSO goes below the stack (random pages lower, the same
 *    ADDR_NO_RANDOMIZE rule), its address in AT_SYSINFO_EHDR.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/elf.h>
#include <svc/elf_format.h>
#include <svc/proc.h>
#include <svc/procfs.h>
#include <svc/random.h>
#include <svc/vfs.h>
#include <svc/vfs_sys.h>
#include <svc/vmar.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>
#include <uapi/stat.h>

#include "exec.h"
#include "exec_file.h"
#include "proc_internal.h"

#define MAX_ARG_STRLEN (32 * PAGE_SIZE) /* one string, NUL included */
#define ARG_MAX_MIN (32 * PAGE_SIZE)    /* the least total Linux allows */
#define ARG_MAX_CAP (6ul << 20)         /* _STK_LIM / 4 * 3 */
#define BINPRM_BUF_SIZE 256             /* the #! line Linux looks at */
#define MAX_INTERP_DEPTH 5              /* exec_binprm's depth > 5 */

/* The environment init's programs start with. */
static const char *const default_envp[] = {
	"PATH=/bin:/usr/bin",
	"HOME=/",
	NULL,
};

/* A growing vector of kernel strings, NULL-terminated. */
struct strv {
	char **v;
	size_t n, cap;
};

struct exec_image {
	char *filename;      /* as given: AT_EXECFN, comm's source */
	char *exe;           /* the ELF file's absolute path: /proc/PID/exe */
	struct strv argv, envp;
	size_t limit;        /* what strings and pointers may take */
	struct exec_file prog; /* the ELF program (after any #! lines) */
	struct elf_image elf;
	struct exec_file ld;   /* its dynamic linker (ld.f NULL: none) */
	struct elf_image interp;
	uint32_t euid, egid; /* the ids it runs with (note_set_ids) */
	struct vm_space *vs; /* built by exec_image_load */
	struct vmar *vmar;
	uintptr_t entry, sp;
};

static int strv_insert(struct strv *s, size_t at, char *str)
{
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = kcalloc(cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		if (s->n)
			memcpy(v, s->v, s->n * sizeof(*v));
		kfree(s->v);
		s->v = v;
		s->cap = cap;
	}
	memmove(&s->v[at + 1], &s->v[at], (s->n - at) * sizeof(*s->v));
	s->v[at] = str;
	s->v[++s->n] = NULL;
	return 0;
}

static int strv_push_copy(struct strv *s, size_t at, const char *str)
{
	char *c = kstrdup(str);
	int err;

	if (!c)
		return -ENOMEM;
	err = strv_insert(s, at, c);
	if (err)
		kfree(c);
	return err;
}

static void strv_remove(struct strv *s, size_t at)
{
	kfree(s->v[at]);
	memmove(&s->v[at], &s->v[at + 1], (s->n - at) * sizeof(*s->v));
	s->n--;
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		kfree(s->v[i]);
	kfree(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Bytes the strings of s take on the stack, NULs included. */
static size_t strv_bytes(const struct strv *s)
{
	size_t sum = 0;

	for (size_t i = 0; i < s->n; i++)
		sum += kstrlen(s->v[i]) + 1;
	return sum;
}

/* Linux's bprm_stack_limits: what RLIMIT_STACK leaves for the strings
 * and pointers of argc + envc entries. */
static size_t args_limit(const struct proc *p)
{
	uint64_t stack = p ? p->rlim[RLIMIT_STACK].rlim_cur : (8ul << 20);
	size_t limit = ARG_MAX_CAP;

	if (stack / 4 < limit)
		limit = (size_t)(stack / 4);
	if (limit < ARG_MAX_MIN)
		limit = ARG_MAX_MIN;
	return limit;
}

/* E2BIG unless the filename, strings and pointers fit img->limit. */
static int check_total(const struct exec_image *img)
{
	size_t ptrs = ((img->argv.n ? img->argv.n : 1) + img->envp.n) *
		      sizeof(uint64_t);
	size_t total = kstrlen(img->filename) + 1 + strv_bytes(&img->argv) +
		       strv_bytes(&img->envp);

	if (img->limit <= ptrs || total > img->limit - ptrs)
		return -E2BIG;
	return 0;
}

/* Copies the kernel vector list into s; E2BIG for a string over
 * MAX_ARG_STRLEN. */
static int copy_kernel_strv(struct strv *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++) {
		int err;

		if (kstrnlen(list[i], MAX_ARG_STRLEN) >= MAX_ARG_STRLEN)
			return -E2BIG;
		err = strv_push_copy(s, s->n, list[i]);
		if (err)
			return err;
	}
	return 0;
}

/* Copies the user vector at u (NULL: empty) into s, counting against
 * budget (bytes of strings and pointers left): -EFAULT, -E2BIG. */
static int copy_user_strv(struct strv *s, uptr_t u, char *scratch,
			  size_t *budget)
{
	for (size_t i = 0; u.addr; i++) {
		uint64_t at;
		ssize_t n;
		char *c;
		int err;

		if (copy_from_user(&at, uptr_add(u, i * sizeof(at)),
				   sizeof(at)))
			return -EFAULT;
		if (!at)
			break;
		if (*budget < sizeof(at))
			return -E2BIG;
		*budget -= sizeof(at);
		n = strncpy_from_user(scratch, uptr((uintptr_t)at),
				      MAX_ARG_STRLEN);
		if (n < 0)
			return n == -ENAMETOOLONG ? -E2BIG : (int)n;
		if ((size_t)n + 1 > *budget)
			return -E2BIG;
		*budget -= (size_t)n + 1;
		c = kmalloc((size_t)n + 1);
		if (!c)
			return -ENOMEM;
		memcpy(c, scratch, (size_t)n + 1);
		err = strv_insert(s, s->n, c);
		if (err) {
			kfree(c);
			return err;
		}
	}
	return 0;
}

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first character in [p, end) that is not a space or tab, or NULL. */
static char *next_non_spacetab(char *p, const char *end)
{
	for (; p < end; p++)
		if (!spacetab(*p))
			return p;
	return NULL;
}

/* The first space, tab or NUL in [p, end), or NULL. */
static char *next_terminator(char *p, const char *end)
{
	for (; p < end; p++)
		if (spacetab(*p) || !*p)
			return p;
	return NULL;
}

/*
 * Parses the #! line in buf (BINPRM_BUF_SIZE bytes, NUL padded) as
 * Linux's load_script: *name the interpreter, *arg its optional argument
 * (NULL), both NUL-terminated inside buf. -ENOEXEC when there is no
 * interpreter or its name may be cut.
 */
static int parse_shebang(char *buf, char **name, char **arg)
{
	char *buf_end = buf + BINPRM_BUF_SIZE - 1;
	char *i_end = NULL;
	char *i_name, *i_sep;

	for (char *c = buf; c < buf + BINPRM_BUF_SIZE && !i_end; c++)
		if (*c == '\n')
			i_end = c;
	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end || !next_terminator(i_end, buf_end))
			return -ENOEXEC;
		i_end = buf_end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(buf + 2, i_end);
	if (!i_name || i_name == i_end)
		return -ENOEXEC;
	*arg = NULL;
	i_sep = next_terminator(i_name, i_end);
	if (i_sep && *i_sep)
		*arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (*arg)
		*i_sep = '\0';
	*name = i_name;
	return 0;
}

/* Rewrites img->argv for a script at path run by name [arg]:
 * name, [arg], path, argv[1..]. */
static int splice_interpreter(struct exec_image *img, const char *name,
			      const char *arg, const char *path)
{
	size_t at = 0;
	int err;

	if (img->argv.n)
		strv_remove(&img->argv, 0);
	err = strv_push_copy(&img->argv, at++, name);
	if (!err && arg)
		err = strv_push_copy(&img->argv, at++, arg);
	if (!err)
		err = strv_push_copy(&img->argv, at, path);
	return err ? err : check_total(img);
}

/* Notes the absolute path of f, the program being loaded (Linux's
 * /proc/PID/exe names the file run, symlinks resolved: not /bin/sh for
 * busybox, not /proc/self/exe when re-executed through it); without
 * memory or a name the path as given stands in. */
static void note_exe(struct exec_image *img, struct file *f)
{
	kfree(img->exe);
	img->exe = kmalloc(VFS_PATH_MAX);
	vfs_lock();
	if (img->exe && vfs_path_name(&f->path, img->exe, VFS_PATH_MAX) < 0) {
		kfree(img->exe);
		img->exe = NULL;
	}
	vfs_unlock();
}

/*
 * Finds the program: opens path (from dirfd for the first, then each
 * interpreter from the cwd), reads it, and follows #! lines up to
 * Linux's depth. Ends with img->prog an ELF file checked by
 * elf_check_head.
 */
static int resolve(struct exec_image *img, struct proc *p, struct file *f)
{
	char buf[BINPRM_BUF_SIZE];
	char *name, *arg, *path = NULL;
	const char *head;
	size_t len;
	int err;

	for (int depth = 0;; depth++) {
		if (depth > MAX_INTERP_DEPTH) {
			err = -ELOOP;
			break;
		}
		note_exe(img, f);
		err = exec_file_open(&img->prog, f);
		if (err)
			break;
		head = img->prog.head;
		len = img->prog.head_len;
		if (len < 2 || head[0] != '#' || head[1] != '!') {
			err = elf_check_head(head, len, img->prog.size,
					     &img->elf);
			break;
		}
		memset(buf, 0, sizeof(buf));
		memcpy(buf, head, MIN(len, sizeof(buf)));
		err = parse_shebang(buf, &name, &arg);
		if (!err)
			err = splice_interpreter(img, name, arg,
						 path ? path : img->filename);
		if (err)
			break;
		kfree(path);
		path = kstrdup(name);
		exec_file_drop(&img->prog);
		if (!path) {
			err = -ENOMEM;
			break;
		}
		err = vfs_open_exec(p, AT_FDCWD, path, 0,
				    p ? cred_current_fs() : &VFS_ROOT_CRED, &f);
		if (err)
			break;
	}
	kfree(path);
	return err;
}

/*
 * Opens, reads and checks the dynamic linker img->elf names (PT_INTERP),
 * from the cwd when relative (as Linux's open_exec). Returns 0 with
 * img->interp filled, the open's errno (ENOENT, EACCES...), -EIO for a
 * file shorter than an ELF header, or -ELIBBAD for one that is not a
 * loadable ELF object for this machine.
 */
static int open_interp(struct exec_image *img, struct proc *p)
{
	const char *name = (const char *)img->prog.head + img->elf.interp_off;
	struct file *f;
	int err = vfs_open_exec(p, AT_FDCWD, name, 0, &VFS_ROOT_CRED, &f);

	if (err)
		return err;
	err = exec_file_open(&img->ld, f);
	if (err)
		return err;
	/* Linux reads the ELF header first: a shorter file is -EIO. */
	if (img->ld.head_len < sizeof(struct elf64_ehdr))
		return -EIO;
	if (elf_check_head(img->ld.head, img->ld.head_len, img->ld.size,
			   &img->interp))
		return -ELIBBAD;
	return 0;
}

/*
 * Linux's bprm_fill_uid: the new image runs with p's effective ids,
 * but a set-user-ID program (S_ISUID) with its file's owner as the
 * effective uid and a set-group-ID one (S_ISGID with S_IXGRP; without
 * it the bit marks mandatory locking) with its group as the effective
 * gid; neither on a nosuid mount nor under PR_SET_NO_NEW_PRIVS. The
 * file is the ELF program: a script's bits do not count. The exec hooks
 * then make these the saved ids too (cred_exec).
 */
static void note_set_ids(struct exec_image *img, struct proc *p)
{
	const struct file *f = img->prog.f;
	struct proc_cred c = p ? cred_of(p) : (struct proc_cred){ 0 };
	uint32_t mode, uid, gid;
	bool nosuid;

	img->euid = c.uid.eff;
	img->egid = c.gid.eff;
	vfs_lock();
	mode = f->inode->mode;
	uid = f->inode->uid;
	gid = f->inode->gid;
	nosuid = f->path.mnt && (f->path.mnt->flags & MS_NOSUID);
	vfs_unlock();
	if (nosuid ||
	    (p && __atomic_load_n(&p->no_new_privs, __ATOMIC_RELAXED)))
		return;
	if (mode & S_ISUID)
		img->euid = uid;
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		img->egid = gid;
}

static struct exec_image *image_alloc(struct proc *p)
{
	struct exec_image *img = kzalloc(sizeof(*img));

	if (img)
		img->limit = args_limit(p);
	return img;
}

int exec_image_open(struct exec_image **out, const char *path,
		    const char *const *argv, const char *const *envp,
		    const struct vfs_cred *cred)
{
	struct exec_image *img = image_alloc(NULL);
	struct file *f;
	int err;

	if (!img)
		return -ENOMEM;
	img->filename = kstrdup(path);
	err = img->filename ? 0 : -ENOMEM;
	if (!err)
		err = vfs_open_exec(NULL, AT_FDCWD, path, 0, cred, &f);
	if (!err) {
		err = copy_kernel_strv(&img->argv, argv);
		if (!err)
			err = copy_kernel_strv(&img->envp,
					       envp ? envp : default_envp);
		if (!err)
			err = check_total(img);
		if (err) {
			vfs_lock();
			vfs_file_put(f);
			vfs_unlock();
		}
	}
	if (!err)
		err = resolve(img, NULL, f);
	if (!err)
		note_set_ids(img, NULL);
	if (!err && img->elf.has_interp)
		err = open_interp(img, NULL);
	if (err) {
		exec_image_free(img);
		return err;
	}
	*out = img;
	return 0;
}

/* Copies argv and envp from user memory into img, as Linux's
 * copy_strings: -EFAULT, -E2BIG. */
static int copy_user_args(struct exec_image *img, uptr_t argv, uptr_t envp)
{
	char *scratch = kmalloc(MAX_ARG_STRLEN);
	size_t budget = img->limit;
	int err;

	if (!scratch)
		return -ENOMEM;
	err = copy_user_strv(&img->argv, argv, scratch, &budget);
	if (!err)
		err = copy_user_strv(&img->envp, envp, scratch, &budget);
	kfree(scratch);
	return err ? err : check_total(img);
}

int exec_image_open_user(struct exec_image **out, struct proc *p,
			 int dirfd, uptr_t path, uptr_t argv, uptr_t envp,
			 int flags)
{
	struct exec_image *img;
	struct file *f;
	ssize_t n;
	int err;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	img = image_alloc(p);
	if (!img)
		return -ENOMEM;
	img->filename = kmalloc(VFS_PATH_MAX);
	if (!img->filename) {
		exec_image_free(img);
		return -ENOMEM;
	}
	n = strncpy_from_user(img->filename, path, VFS_PATH_MAX);
	err = n < 0 ? (int)n : 0;
	if (!err)
		err = vfs_open_exec(p, dirfd, img->filename, flags,
				    cred_current_fs(), &f);
	if (!err) {
		err = copy_user_args(img, argv, envp);
		if (err) {
			vfs_lock();
			vfs_file_put(f);
			vfs_unlock();
		}
	}
	if (!err)
		err = resolve(img, p, f);
	if (!err)
		note_set_ids(img, p);
	if (!err && img->elf.has_interp)
		err = open_interp(img, p);
	if (err) {
		exec_image_free(img);
		return err;
	}
	*out = img;
	return 0;
}

/* The auxv's ids: p's real ids and the effective ones the image runs
 * with (note_set_ids); AT_SECURE when they differ. */
static void set_cred_args(struct elf_stack_args *args,
			  const struct exec_image *img, struct proc *p)
{
	struct proc_cred c = cred_of(p);

	c.uid.eff = img->euid;
	c.gid.eff = img->egid;
	args->uid = c.uid.real;
	args->euid = c.uid.eff;
	args->gid = c.gid.real;
	args->egid = c.gid.eff;
	args->secure = cred_secure_exec(&c);
}

/* A random multiple of align below the ASLR range (1/128 of the user
 * range: Linux's 28 bits of pages on x86-64), or 0 when p does not
 * randomize (PERSONA_ADDR_NO_RANDOMIZE). */
static uintptr_t random_offset(const struct proc *p, uint64_t *seed,
			       uintptr_t align)
{
	uintptr_t range = user_va_max() / 128;

	if (p && (p->personality & PERSONA_ADDR_NO_RANDOMIZE))
		return 0;
	return ALIGN_DOWN((uintptr_t)(random_mix64(seed) % range), align);
}

/*
 * Chooses where the ET_DYN program and the dynamic linker go: the
 * program above where elf_check put it, the dynamic linker ending below
 * the mmap base (so that the libraries it maps come below it). -ENOMEM
 * when they do not fit.
 */
static int place_images(struct exec_image *img, const struct proc *p,
			uint64_t *seed)
{
	int err = 0;

	if (img->elf.dyn)
		err = elf_rebase(&img->elf,
				 img->elf.base +
					 random_offset(p, seed, img->elf.align));
	if (!err && img->ld.f && img->interp.dyn) {
		uintptr_t top = vmar_mmap_base(), span = elf_span(&img->interp);
		uintptr_t off = random_offset(p, seed, img->interp.align);

		if (span + off > top)
			return -ENOMEM;
		err = elf_rebase(&img->interp,
				 ALIGN_DOWN(top - span - off, img->interp.align));
	}
	return err;
}

/* How far below the stack the vDSO may go (a random multiple of pages):
 * it stays inside the gap between the stack and the mmap base. */
#define VDSO_RANDOM_RANGE (64ul << 20)
#define VDSO_STACK_GAP (16 * PAGE_SIZE) /* riscv's trampoline sits here */

/*
 * Maps the vDSO below the stack region, a random number of pages lower
 * unless p does not randomize (so ADDR_NO_RANDOMIZE runs see the same
 * addresses every time); *ehdr gets AT_SYSINFO_EHDR. 0 or -errno.
 */
static int place_vdso(struct exec_image *img, const struct proc *p,
		      uint64_t *seed, uintptr_t *ehdr)
{
	uintptr_t top = elf_stack_top() - ELF_STACK_SIZE - VDSO_STACK_GAP;
	uintptr_t off = 0;

	if (!p || !(p->personality & PERSONA_ADDR_NO_RANDOMIZE))
		off = ALIGN_DOWN((uintptr_t)(random_mix64(seed) %
					     VDSO_RANDOM_RANGE),
				 PAGE_SIZE);
	return vmar_map_vdso(img->vmar, top - off - vmar_vdso_span(), ehdr);
}

int exec_image_load(struct exec_image *img, struct proc *p)
{
	struct elf_stack_args args;
	uint64_t seed = time_now_ns() ^ ((uint64_t)p->pid << 32);
	int err = place_images(img, p, &seed);

	if (!err)
		err = mm_new(&img->vs, &img->vmar);
	if (err)
		return err;
	exec_file_source(&img->prog);
	err = elf_load(&img->elf, &img->prog.src, img->vs, img->vmar, false);
	if (!err && img->ld.f) {
		exec_file_source(&img->ld);
		err = elf_load(&img->interp, &img->ld.src, img->vs, img->vmar,
			       true);
	}
	if (!err)
		err = place_vdso(img, p, &seed, &args.sysinfo_ehdr);
	if (!err) {
		args.argv = (const char *const *)img->argv.v;
		args.envp = (const char *const *)img->envp.v;
		args.execfn = img->filename;
		args.random_seed = random_mix64(&seed);
		args.interp_base =
			img->ld.f ? img->interp.base - img->interp.lowest : 0;
		set_cred_args(&args, img, p);
		err = elf_setup_stack(&img->elf, img->vs, img->vmar, &args,
				      &img->sp);
	}
	if (err) {
		mm_discard(img->vs, img->vmar);
		img->vs = NULL;
		img->vmar = NULL;
		return err;
	}
	img->entry = img->ld.f ? img->interp.entry : img->elf.entry;
	return 0;
}

/* The last component of path, cut to fit name (Linux's kbasename and
 * __set_task_comm), as the process's name and the exec'ing thread's,
 * which leads the process from here on (de_thread). */
static void set_name(struct proc *p, struct thread *t, const char *path)
{
	const char *base = path;

	for (const char *c = path; *c; c++)
		if (*c == '/' && c[1])
			base = c + 1;
	proc_lock();
	kstrlcpy(p->name, base, sizeof(p->name));
	kstrlcpy(t->name, base, sizeof(t->name));
	proc_unlock();
}

void exec_image_commit(struct exec_image *img, struct proc *p,
		       struct thread *t)
{
	task_set_vm(t->task, img->vs);
	mm_install(p, img->vs, img->vmar); /* the vmar's reference */
	img->vs = NULL;
	img->vmar = NULL;
	exe_hold_set(p, img->prog.f); /* ETXTBSY while it runs */
	cred_exec_set_effective(p, img->euid, img->egid);
	set_name(p, t, img->filename);
	procfs_note_exec(p, img->exe ? img->exe : img->filename,
			 (const char *const *)img->argv.v,
			 (const char *const *)img->envp.v);
	uctx_init(task_user_ctx(t->task), img->entry, img->sp);
}

void exec_image_free(struct exec_image *img)
{
	if (!img)
		return;
	if (img->vs)
		mm_discard(img->vs, img->vmar);
	strv_free(&img->argv);
	strv_free(&img->envp);
	exec_file_drop(&img->prog);
	exec_file_drop(&img->ld);
	kfree(img->filename);
	kfree(img->exe);
	kfree(img);
}
