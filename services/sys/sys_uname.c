/*
 * uname(2), sethostname(2) and setdomainname(2). Keel has one UTS
 * namespace: the host and domain names are machine-wide, as Linux's
 * initial namespace. uname reports "Linux" and a release in the shape
 * Linux programs parse ("6.1.0-keel"), because libcs and programs test the
 * release for features; the machine is the architecture's name.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/sync.h>
#include <keel/uaccess.h>
#include <svc/arch.h>
#include <svc/cred.h>
#include <svc/syscall.h>
#include <svc/uts.h>
#include <uapi/utsname.h>

#define UTS_RELEASE "6.1.0-keel"
#define UTS_VERSION "#1 SMP Keel"
#define UTS_NAME_MAX (UAPI_UTS_LEN - 1) /* __NEW_UTS_LEN */

static struct spinlock uts_lock = SPINLOCK_INIT("uts");
static char uts_nodename[UAPI_UTS_LEN] = "(none)";
static char uts_domainname[UAPI_UTS_LEN] = "(none)";

const char *uts_release(void)
{
	return UTS_RELEASE;
}

const char *uts_version(void)
{
	return UTS_VERSION;
}

void uts_hostname(char *buf, size_t size)
{
	spin_lock(&uts_lock);
	kstrlcpy(buf, uts_nodename, size);
	spin_unlock(&uts_lock);
}

/* uname(buf): fills struct new_utsname. 0 or -EFAULT. */
SYSCALL_DEFINE1(uname, uptr_t, buf)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	kstrlcpy(u.sysname, "Linux", sizeof(u.sysname));
	kstrlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	kstrlcpy(u.version, UTS_VERSION, sizeof(u.version));
	kstrlcpy(u.machine, SVC_ARCH_NAME, sizeof(u.machine));
	spin_lock(&uts_lock);
	memcpy(u.nodename, uts_nodename, sizeof(u.nodename));
	memcpy(u.domainname, uts_domainname, sizeof(u.domainname));
	spin_unlock(&uts_lock);
	return copy_to_user(buf, &u, sizeof(u));
}

/* Sets one of the names from len user bytes (no NUL needed), as Linux:
 * -EPERM unless p is root (CAP_SYS_ADMIN), then -EINVAL for len < 0 or
 * > 64, -EFAULT. */
static long set_uts_name(struct proc *p, char *name, uptr_t src, int len)
{
	char tmp[UAPI_UTS_LEN];

	if (!cred_proc_capable(p))
		return -EPERM;
	if (len < 0 || len > UTS_NAME_MAX)
		return -EINVAL;
	if (copy_from_user(tmp, src, (size_t)len))
		return -EFAULT;
	memset(tmp + len, 0, sizeof(tmp) - (size_t)len);
	spin_lock(&uts_lock);
	memcpy(name, tmp, sizeof(tmp));
	spin_unlock(&uts_lock);
	return 0;
}

SYSCALL_DEFINE2(sethostname, uptr_t, name, int, len)
{
	return set_uts_name(proc, uts_nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, uptr_t, name, int, len)
{
	return set_uts_name(proc, uts_domainname, name, len);
}
