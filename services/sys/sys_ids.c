/*
 * The identity calls: user and group ids, thread id, parent id. Keel has
 * no credentials yet: every process runs as root (uid, gid 0, real,
 * effective and saved alike), so these report 0 and cannot fail, except
 * getresuid/getresgid, which write three ids and can fault. (gettid and
 * getppid are with the process service, services/proc/sys_proc.c.)
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/syscall.h>

#define ROOT_ID 0u

SYSCALL_DEFINE0(getuid)
{
	return ROOT_ID;
}

SYSCALL_DEFINE0(geteuid)
{
	return ROOT_ID;
}

SYSCALL_DEFINE0(getgid)
{
	return ROOT_ID;
}

SYSCALL_DEFINE0(getegid)
{
	return ROOT_ID;
}

/* Writes the real, effective and saved id (all root) to the three user
 * words; 0 or -EFAULT (words before a bad one may have been written, as
 * Linux). */
static long put_res_ids(uptr_t r, uptr_t e, uptr_t s)
{
	if (put_user_u32(r, ROOT_ID) || put_user_u32(e, ROOT_ID) ||
	    put_user_u32(s, ROOT_ID))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, uptr_t, ruid, uptr_t, euid, uptr_t, suid)
{
	return put_res_ids(ruid, euid, suid);
}

SYSCALL_DEFINE3(getresgid, uptr_t, rgid, uptr_t, egid, uptr_t, sgid)
{
	return put_res_ids(rgid, egid, sgid);
}
