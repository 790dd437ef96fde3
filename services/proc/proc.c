/*
 * Process lifetime: creation from an initrd program, start, exit, waiting
 * and freeing (see <svc/proc.h>). The parts of a process that other
 * services own (its memory: services/mm/mm_state.c) are set up and
 * released through their PROC_STATE hooks (proc_state.c). The loop that
 * runs a process's task in user mode is in loop.c.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/elf.h>
#include <svc/initrd.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/procfs.h>

#include "proc_internal.h"

/* The environment every program starts with. */
static const char *const default_envp[] = {
	"PATH=/bin:/usr/bin",
	"HOME=/",
	NULL,
};

static int next_pid = 1;

/* The last component of path, cut to fit name. */
static void set_name(struct proc *p, const char *path)
{
	const char *base = path;

	for (const char *c = path; *c; c++)
		if (*c == '/' && c[1])
			base = c + 1;
	kstrlcpy(p->name, base, sizeof(p->name));
}

/*
 * Builds p's address space from the executable file: checks it, loads it,
 * writes the initial stack. Returns 0 with *entry and *sp set, or -errno
 * (the caller frees the half-built space).
 */
static int build_image(struct proc *p, const void *file, size_t size,
		       const char *path, const char *const *argv,
		       uintptr_t *entry, uintptr_t *sp)
{
	struct elf_stack_args args;
	struct elf_image *img;
	int err;

	img = kmalloc(sizeof(*img));
	if (!img)
		return -ENOMEM;
	err = elf_check(file, size, img);
	if (err)
		goto out;
	err = elf_load(img, p->vs, &p->vmar);
	if (err)
		goto out;
	args.argv = argv;
	args.envp = default_envp;
	args.execfn = path;
	args.random_seed = time_now_ns() ^ ((uint64_t)p->pid << 32);
	err = elf_setup_stack(img, p->vs, &p->vmar, &args, sp);
	*entry = img->entry;
out:
	kfree(img);
	return err;
}

/* Creates the task that will run p, stopped. Returns 0 or -ENOMEM. */
static int make_task(struct proc *p, uintptr_t entry, uintptr_t sp)
{
	p->task = task_create(p->name, proc_task_main, p);
	if (!p->task)
		return -ENOMEM;
	task_set_vm(p->task, p->vs);
	task_set_owner(p->task, p);
	uctx_init(task_user_ctx(p->task), entry, sp);
	return 0;
}

/* Frees a process that was never started, its registered state set up. */
static void destroy(struct proc *p)
{
	if (p->task)
		task_put(p->task); /* never started: it just goes away */
	proc_state_exit(p);
	kfree(p);
}

int proc_create(const char *path, const char *const *argv,
		struct proc **out)
{
	uintptr_t entry = 0, sp = 0;
	const void *file;
	struct proc *p;
	size_t size;
	int err;

	err = initrd_find_file(path, &file, &size);
	if (err)
		return err;
	p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	p->state = PROC_NEW;
	set_name(p, path);
	waitq_init(&p->exit_wq, "proc exit");
	err = proc_state_fork(NULL, p);
	if (err) {
		kfree(p);
		return err;
	}
	err = build_image(p, file, size, path, argv, &entry, &sp);
	if (!err)
		err = make_task(p, entry, sp);
	if (!err)
		procfs_note_exec(p, path, argv, default_envp);
	if (err) {
		destroy(p);
		return err;
	}
	pr_debug("proc: pid %d (%s) created from %s, entry 0x%lx\n", p->pid,
		 p->name, path, (unsigned long)entry);
	*out = p;
	return 0;
}

void proc_start(struct proc *p)
{
	__atomic_store_n(&p->state, PROC_RUNNING, __ATOMIC_RELEASE);
	task_start(p->task);
}

static bool has_exited(struct proc *p)
{
	return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PROC_EXITED;
}

int proc_wait(struct proc *p)
{
	WAITQ_WAIT_EVENT(&p->exit_wq, has_exited(p));
	return p->term_signal ? 128 + p->term_signal : p->exit_code;
}

void proc_free(struct proc *p)
{
	if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PROC_NEW) {
		destroy(p);
		return;
	}
	/* The task may still be on its way out after waking us. */
	task_join(p->task);
	task_put(p->task);
	kfree(p);
}

struct proc *proc_current(void)
{
	struct task *t = task_current();

	return t ? task_owner(t) : NULL;
}

void proc_exit(struct proc *p, int code)
{
	p->exit_code = code & 0xff;
	p->exiting = true;
}

void proc_finish(struct proc *p)
{
	proc_state_exit(p);
	__atomic_store_n(&p->state, PROC_EXITED, __ATOMIC_RELEASE);
	waitq_wake_all(&p->exit_wq);
}
