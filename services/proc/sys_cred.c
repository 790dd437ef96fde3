/*
 * The credential calls: get*id, getres*id, set*id, setres*id, setre*id,
 * setfs*id, getgroups and setgroups, on the caller's process credentials
 * (<svc/cred.h>) with Linux's permission rules (services/proc/cred.c).
 * Root is an effective uid of 0: it has CAP_SETUID and CAP_SETGID.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/uaccess.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/syscall.h>

SYSCALL_DEFINE0(getuid)
{
	return cred_of(proc).uid.real;
}

SYSCALL_DEFINE0(geteuid)
{
	return cred_of(proc).uid.eff;
}

SYSCALL_DEFINE0(getgid)
{
	return cred_of(proc).gid.real;
}

SYSCALL_DEFINE0(getegid)
{
	return cred_of(proc).gid.eff;
}

/* Writes the real, effective and saved id to the three user words; 0 or
 * -EFAULT (words before a bad one may have been written, as Linux). */
static long put_res_ids(const struct cred_ids *ids, uptr_t r, uptr_t e,
			uptr_t s)
{
	if (copy_u32_to_user(r, ids->real) || copy_u32_to_user(e, ids->eff) ||
	    copy_u32_to_user(s, ids->saved))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, uptr_t, ruid, uptr_t, euid, uptr_t, suid)
{
	struct proc_cred c = cred_of(proc);

	return put_res_ids(&c.uid, ruid, euid, suid);
}

SYSCALL_DEFINE3(getresgid, uptr_t, rgid, uptr_t, egid, uptr_t, sgid)
{
	struct proc_cred c = cred_of(proc);

	return put_res_ids(&c.gid, rgid, egid, sgid);
}

/* The set calls, one shape for users and groups. */
enum id_call { ID_SET, ID_SET_RE, ID_SET_RES, ID_SET_FS };

/* Applies call to p's user (group false) or group ids under proc_lock,
 * with the capability of p's effective uid before the change. The
 * rule's result: 0 / -EPERM / -EINVAL, or the old fs id for ID_SET_FS. */
static long change_ids(struct proc *p, bool group, enum id_call call,
		       uint32_t a, uint32_t b, uint32_t c)
{
	struct cred_ids *ids, old;
	bool capable;
	long ret;

	proc_lock();
	ids = group ? &p->cred.gid : &p->cred.uid;
	old = *ids;
	capable = cred_capable(&p->cred);
	switch (call) {
	case ID_SET:
		ret = cred_ids_set(ids, a, capable);
		break;
	case ID_SET_RE:
		ret = cred_ids_set_re(ids, a, b, capable);
		break;
	case ID_SET_RES:
		ret = cred_ids_set_res(ids, a, b, c, capable);
		break;
	default:
		ret = cred_ids_set_fs(ids, a, capable);
		break;
	}
	/* Linux's commit_creds: a new effective or fs id makes the process
	 * not dumpable (suid_dumpable 0) until its next exec. */
	if (ids->eff != old.eff || ids->fs != old.fs)
		p->dumpable = 0;
	__atomic_add_fetch(&p->cred_gen, 1, __ATOMIC_RELEASE);
	proc_unlock();
	return ret;
}

SYSCALL_DEFINE1(setuid, unsigned int, uid)
{
	return change_ids(proc, false, ID_SET, uid, 0, 0);
}

SYSCALL_DEFINE1(setgid, unsigned int, gid)
{
	return change_ids(proc, true, ID_SET, gid, 0, 0);
}

SYSCALL_DEFINE2(setreuid, unsigned int, ruid, unsigned int, euid)
{
	return change_ids(proc, false, ID_SET_RE, ruid, euid, 0);
}

SYSCALL_DEFINE2(setregid, unsigned int, rgid, unsigned int, egid)
{
	return change_ids(proc, true, ID_SET_RE, rgid, egid, 0);
}

SYSCALL_DEFINE3(setresuid, unsigned int, ruid, unsigned int, euid,
		unsigned int, suid)
{
	return change_ids(proc, false, ID_SET_RES, ruid, euid, suid);
}

SYSCALL_DEFINE3(setresgid, unsigned int, rgid, unsigned int, egid,
		unsigned int, sgid)
{
	return change_ids(proc, true, ID_SET_RES, rgid, egid, sgid);
}

SYSCALL_DEFINE1(setfsuid, unsigned int, uid)
{
	return change_ids(proc, false, ID_SET_FS, uid, 0, 0);
}

SYSCALL_DEFINE1(setfsgid, unsigned int, gid)
{
	return change_ids(proc, true, ID_SET_FS, gid, 0, 0);
}

/* getgroups(size, list): the number of groups; with size > 0 they are
 * written to list too. -EINVAL for size < 0 or smaller than the count,
 * -EFAULT. */
SYSCALL_DEFINE2(getgroups, int, size, uptr_t, list)
{
	struct cred_groups *g;
	long n;

	if (size < 0)
		return -EINVAL;
	proc_lock();
	g = proc->cred.groups;
	cred_groups_get(g);
	proc_unlock();
	n = g ? g->n : 0;
	if (size && n > size)
		n = -EINVAL;
	else if (size && n &&
		 copy_to_user(list, g->gid, (size_t)n * sizeof(uint32_t)))
		n = -EFAULT;
	cred_groups_put(g);
	return n;
}

/* Reads n group ids from list into a new group list: -ENOMEM, -EFAULT,
 * -EINVAL for an id of -1 (no valid gid), as Linux's groups_from_user. */
static int groups_from_user(uptr_t list, uint32_t n, struct cred_groups **out)
{
	uint32_t *ids = kmalloc((size_t)(n ? n : 1) * sizeof(uint32_t));
	int err = 0;

	if (!ids)
		return -ENOMEM;
	if (n && copy_from_user(ids, list, (size_t)n * sizeof(uint32_t)))
		err = -EFAULT;
	for (uint32_t i = 0; !err && i < n; i++)
		if (ids[i] == CRED_ID_NONE)
			err = -EINVAL;
	if (!err) {
		*out = cred_groups_new(ids, n);
		if (!*out)
			err = -ENOMEM;
	}
	kfree(ids);
	return err;
}

/* setgroups(size, list): replaces the supplementary groups. -EPERM
 * without CAP_SETGID (checked first, as Linux), -EINVAL for a size
 * outside 0..NGROUPS_MAX, -EFAULT, -ENOMEM. */
SYSCALL_DEFINE2(setgroups, int, size, uptr_t, list)
{
	struct cred_groups *g, *old;
	int err;

	if (!cred_proc_capable(proc))
		return -EPERM;
	if ((unsigned int)size > CRED_NGROUPS_MAX)
		return -EINVAL;
	err = groups_from_user(list, (uint32_t)size, &g);
	if (err)
		return err;
	proc_lock();
	old = proc->cred.groups;
	proc->cred.groups = g;
	__atomic_add_fetch(&proc->cred_gen, 1, __ATOMIC_RELEASE);
	proc_unlock();
	cred_groups_put(old);
	return 0;
}
