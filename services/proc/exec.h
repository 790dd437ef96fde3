/*
 * Program images for exec (exec.c): what execve and init's first
 * processes share. exec_image_open finds the program through the VFS,
 * follows `#!` interpreters as Linux's binfmt_script, copies the
 * arguments and environment with Linux's limits and checks the ELF file,
 * all without touching the process; exec_image_load then builds the new
 * address space, installs it and points the thread's registers at its
 * entry.
 */
#ifndef SERVICES_PROC_EXEC_H
#define SERVICES_PROC_EXEC_H

#include <keel/types.h>

struct file;
struct proc;
struct thread;
struct vfs_cred;
struct exec_image;

/*
 * The image of path with kernel strings argv and envp (NULL-terminated;
 * envp NULL: the default environment), looked up from the root, for a
 * first process. 0 with *out, or -ENOENT, -ENOTDIR, -ELOOP, -EACCES,
 * -ENOEXEC, -E2BIG, -ENOMEM.
 */
int exec_image_open(struct exec_image **out, const char *path,
		    const char *const *argv, const char *const *envp,
		    const struct vfs_cred *cred);

/*
 * The same for execveat(dirfd, path, argv, envp, flags) by p: the user
 * arrays and strings copied (-EFAULT), flags AT_EMPTY_PATH and
 * AT_SYMLINK_NOFOLLOW (-EINVAL for others).
 */
int exec_image_open_user(struct exec_image **out, struct proc *p,
			 int dirfd, uptr_t path, uptr_t argv, uptr_t envp,
			 int flags);

/* Builds img's new address space (the ELF loaded, the initial stack
 * written), nothing of p changed; p's limits and pid seed it. Returns 0
 * or -ENOMEM. */
int exec_image_load(struct exec_image *img, struct proc *p);

/* Makes f (NULL: none) the program file p holds (exe_hold.c): a
 * reference taken, the old one dropped. */
void exe_hold_set(struct proc *p, struct file *f);

/* Makes the loaded image p's (its old memory dropped): p's name from the
 * path, t's registers at the entry and initial stack, t's task on the new
 * space. Cannot fail. */
void exec_image_commit(struct exec_image *img, struct proc *p,
		       struct thread *t);

/* Frees img (NULL is fine). */
void exec_image_free(struct exec_image *img);

#endif
