/*
 * Credentials, as Linux keeps them: a real, effective, saved and
 * file-system user id, the same four group ids, and a list of
 * supplementary groups. Keel keeps them per process (struct proc's cred,
 * under proc_lock) rather than per thread: glibc and musl apply every
 * set*id call to all threads of a process anyway (SIGSETXID), and Linux's
 * rules accept the repeated calls, so the result is the same.
 *
 * There are no capability sets: an effective uid of 0 has every
 * capability (CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_CHOWN, CAP_FOWNER,
 * CAP_DAC_OVERRIDE...), any other none, and the file-system checks treat
 * a file-system uid of 0 as root, as Linux does when it drops and raises
 * the file-system capabilities with the fsuid (cap_task_fix_setuid).
 *
 * The VFS sees a struct vfs_cred: the fs ids and the groups. Each thread
 * keeps its own copy (cred_current_fs()), refreshed when a system call
 * starts, so one call sees one set of ids even when another thread of its
 * process changes them meanwhile, and the group list it points into stays
 * alive (the list is immutable and counted).
 */
#ifndef SVC_CRED_H
#define SVC_CRED_H

#include <keel/types.h>

struct proc;
struct thread;

#define CRED_NGROUPS_MAX 65536u   /* Linux's NGROUPS_MAX */
#define CRED_ID_NONE 0xffffffffu  /* (uid_t)-1: "unchanged", never an id */

/* A supplementary group list: sorted (getgroups returns it so, as
 * Linux's groups_sort), immutable once made, freed with its last
 * reference. */
struct cred_groups {
	unsigned refs; /* atomic */
	uint32_t n;
	uint32_t gid[];
};

/* The four ids of one kind (user or group). */
struct cred_ids {
	uint32_t real, eff, saved, fs;
};

/* A process's credentials (proc_lock; groups may be NULL: none). */
struct proc_cred {
	struct cred_ids uid, gid;
	struct cred_groups *groups;
};

/* What the VFS checks: the fs ids, the groups (NULL: none). */
struct vfs_cred {
	uint32_t uid, gid;
	struct cred_groups *groups;
};

/* A thread's copy of its process's vfs_cred and the generation it was
 * taken at (0: never). */
struct thread_cred {
	struct vfs_cred fs;
	const struct vfs_cred *override; /* cred_override_begin's, or NULL */
	unsigned gen;
};

/* ---- The rules (pure: unit-tested) ----------------------------------
 * Each changes *ids as Linux's set*uid (the gid calls follow the same
 * rules with CAP_SETGID) or returns -EPERM / -EINVAL leaving it as it
 * was. capable: the caller has CAP_SETUID (CAP_SETGID for gids). */

/* setuid(id): capable sets all four; otherwise id must be the real or
 * saved one and becomes the effective (and fs) one. -EINVAL for -1. */
int cred_ids_set(struct cred_ids *ids, uint32_t id, bool capable);

/* setreuid(real, eff), CRED_ID_NONE keeping one: a new real id must be
 * the old real or effective one, a new effective id one of real,
 * effective, saved. The saved id becomes the new effective one when the
 * real id is set, or the effective one set to other than the old real. */
int cred_ids_set_re(struct cred_ids *ids, uint32_t real, uint32_t eff,
		    bool capable);

/* setresuid(real, eff, saved), CRED_ID_NONE keeping one: each new id
 * must be one of the three old ones. The fs id follows the effective. */
int cred_ids_set_res(struct cred_ids *ids, uint32_t real, uint32_t eff,
		     uint32_t saved, bool capable);

/* setfsuid(id): returns the old fs id always; sets it when id is one of
 * the four ids or capable (-1 never). */
uint32_t cred_ids_set_fs(struct cred_ids *ids, uint32_t id, bool capable);

/* After exec: saved and fs ids become the effective. */
void cred_ids_exec(struct cred_ids *ids);

/* A new list of n groups (sorted copy of gid), one reference; NULL when
 * out of memory. */
struct cred_groups *cred_groups_new(const uint32_t *gid, uint32_t n);
void cred_groups_get(struct cred_groups *g);
void cred_groups_put(struct cred_groups *g); /* NULL is fine */

/* Is gid the fs gid of c or one of its groups? */
bool vfs_cred_in_group(const struct vfs_cred *c, uint32_t gid);

/* ---- The process's credentials ------------------------------------ */

/* Has c the capabilities of root (effective uid 0)? */
static inline bool cred_capable(const struct proc_cred *c)
{
	return c->uid.eff == 0;
}

/* Has p root's capabilities now (effective uid 0; proc_lock taken)? */
bool cred_proc_capable(struct proc *p);

/* A copy of p's ids (proc_lock taken inside; groups not referenced:
 * for reading ids only). */
struct proc_cred cred_of(struct proc *p);

/* The credentials the calling thread's file-system operations use (the
 * thread's copy; root for a kernel task). Valid until the thread's next
 * system call. */
const struct vfs_cred *cred_current_fs(void);

/* The calling thread's real ids with its groups, as access(2) checks
 * them (a kernel task: root), valid like cred_current_fs's. */
struct vfs_cred cred_current_real(void);

/* Makes c the calling thread's file-system credentials until
 * cred_override_end (Linux's override_creds, for access(2)'s real ids
 * through the whole lookup). No-op for a kernel task. */
void cred_override_begin(const struct vfs_cred *c);
void cred_override_end(void);

/* Refreshes t's copy when its process's credentials changed since it was
 * taken (called when a system call starts), and releases it at the end. */
void cred_thread_refresh(struct thread *t);
void cred_thread_release(struct thread *t);

/* The auxv's AT_SECURE: did the program start with ids that differ
 * (effective from real, as after a set-id exec)? */
bool cred_secure_exec(const struct proc_cred *c);

/* The effective ids an exec gives p (a set-user-ID or set-group-ID
 * program's owner or group, else p's own), set before the exec hooks
 * copy them to the saved and fs ids (cred_exec). */
void cred_exec_set_effective(struct proc *p, uint32_t euid, uint32_t egid);

#endif
