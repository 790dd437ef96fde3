/* execve of set-user-ID and set-group-ID programs, as Linux: a copy of
 * this program owned by OWNER:GROUP with S_ISUID/S_ISGID runs with the
 * file's owner (group) as its effective and saved ids, AT_SECURE 1 and
 * not dumpable; the real ids stay. Each exec is in a child that first
 * drops to the unprivileged USER:UGROUP (or stays root). Not with
 * PR_SET_NO_NEW_PRIVS, not from a nosuid mount, not for S_ISGID without
 * S_IXGRP (mandatory locking's mark), and a plain program under a
 * set-id parent gets its ids back to one (the saved id follows the
 * effective). The exec'd copy prints its ids itself (`--report`). */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "abi.h"
#include "abi_files.h"

#define OWNER 4321
#define GROUP 4322
#define USER 4242
#define UGROUP 4243

/* The exec'd copy: its ids, AT_SECURE and dumpable. */
static int report(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("  uid %u %u %u gid %u %u %u secure %lu dumpable %d\n", r, e,
	       s, gr, ge, gs, getauxval(AT_SECURE),
	       prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	fflush(stdout);
	return 0;
}

/* Copies this program to path, owned by OWNER:GROUP with mode. */
static int install(const char *path, mode_t mode)
{
	if (abi_copy_file("/proc/self/exe", path))
		return -1;
	/* chown clears the set-id bits: the mode comes after it */
	return chown(path, OWNER, GROUP) || chmod(path, mode) ? -1 : 0;
}

enum how { AS_ROOT, DROPPED, DROPPED_NO_NEW_PRIVS };

/* Runs path --report (with then: path --chain then, which execs then
 * --report) in a child that first takes the ids how says. */
static void run_then(const char *label, const char *path, enum how how,
		     const char *then)
{
	gid_t none[1] = { 0 };
	int st = -1;
	pid_t pid;

	printf("%s:\n", label);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (how != AS_ROOT &&
		    (setgroups(0, none) || setresgid(UGROUP, UGROUP, UGROUP) ||
		     setresuid(USER, USER, USER)))
			_exit(120);
		if (how == DROPPED_NO_NEW_PRIVS &&
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			_exit(121);
		if (then)
			execl(path, "exec_setid", "--chain", then,
			      (char *)NULL);
		else
			execl(path, "exec_setid", "--report", (char *)NULL);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		printf("  ended with status 0x%x\n", st);
}

static void run(const char *label, const char *path, enum how how)
{
	run_then(label, path, how, NULL);
}

/* From a set-uid image, a plain program: ids all the caller's again? */
static int chain(const char *plain)
{
	fflush(stdout);
	execl(plain, "exec_setid", "--report", (char *)NULL);
	return 100 + errno;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--report"))
		return report();
	if (argc > 2 && !strcmp(argv[1], "--chain"))
		return chain(argv[2]);
	abi_scratch_enter();
	/* the dropped user must reach the copies */
	SHOW("chmod scratch", chmod(".", 0755));
	SHOW("set-uid copy", install("suid", 04755));
	SHOW("set-gid copy", install("sgid", 02755));
	SHOW("both", install("sboth", 06755));
	SHOW("set-gid without group exec", install("slock", 02745));
	SHOW("plain copy", install("plain", 0755));
	run("plain, dropped", "./plain", DROPPED);
	run("set-uid, dropped", "./suid", DROPPED);
	run("set-gid, dropped", "./sgid", DROPPED);
	run("both, dropped", "./sboth", DROPPED);
	run("both, as root", "./sboth", AS_ROOT);
	run("set-gid without group exec, dropped", "./slock", DROPPED);
	run("set-uid, dropped, no_new_privs", "./suid",
	    DROPPED_NO_NEW_PRIVS);
	run_then("set-uid, dropped, then a plain program", "./suid", DROPPED,
		 "./plain");
	SHOW("nosuid dir", mkdir("ns", 0755));
	SHOW("mount nosuid tmpfs",
	     mount("none", "ns", "tmpfs", MS_NOSUID, "mode=0755"));
	SHOW("set-uid copy on it", install("ns/suid", 06755));
	run("set-uid on nosuid, dropped", "./ns/suid", DROPPED);
	SHOW("umount", umount("ns"));
	abi_scratch_leave();
	return 0;
}
