/*
 * Init: the services' entry point. Runs the services' registered init
 * functions (SERVICE_INIT, by level), reads the programs to run from the
 * boot command line, loads each from the initrd and runs them one after
 * another (run=seq) or all at once (run=par), then powers the machine off
 * with their status as a shell would report it: the last program's for
 * seq, the first non-zero one (in command-line order) for par. A program
 * that cannot be started counts as 127 (not found) or 126 (cannot run).
 */
#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <svc/cmdline.h>
#include <svc/proc.h>
#include <svc/selftest.h>
#include <svc/service.h>

#define STATUS_NOT_FOUND 127
#define STATUS_CANNOT_RUN 126
#define STATUS_USAGE 1

static const char *start_error_text(int err)
{
	switch (err) {
	case -ENOENT:
		return "No such file";
	case -EACCES:
		return "Permission denied";
	case -ENOEXEC:
		return "Exec format error";
	case -E2BIG:
		return "Argument list too long";
	case -ENOMEM:
		return "Out of memory";
	case -EINVAL:
		return "The initrd is malformed";
	default:
		return "Cannot run";
	}
}

/* Creates the process for prog, or reports why not. Returns 0 with *out
 * set, else the shell status to count for it. */
static int create(const struct init_prog *prog, struct proc **out)
{
	int err = proc_create(prog->argv[0], prog->argv, out);

	if (!err)
		return 0;
	kprintf("keel: %s: %s (%s)\n", prog->argv[0], start_error_text(err),
		errno_name(-err));
	return err == -ENOENT ? STATUS_NOT_FOUND : STATUS_CANNOT_RUN;
}

/* Runs the programs one after another; returns the last one's status. */
static int run_sequential(const struct init_cmdline *cl)
{
	int status = 0;

	for (unsigned i = 0; i < cl->nprogs; i++) {
		struct proc *p;

		status = create(&cl->progs[i], &p);
		if (status)
			continue;
		proc_start(p);
		status = proc_wait(p);
		pr_debug("init: %s exited with status %d\n",
			 cl->progs[i].argv[0], status);
		proc_free(p);
	}
	return status;
}

/* Starts every program that could be created, waits for all of them and
 * returns the first non-zero status in command-line order (0 if none). */
static int run_parallel(const struct init_cmdline *cl)
{
	struct proc *procs[INIT_MAX_PROGS] = { NULL };
	int status[INIT_MAX_PROGS];
	int result = 0;

	for (unsigned i = 0; i < cl->nprogs; i++)
		status[i] = create(&cl->progs[i], &procs[i]);
	for (unsigned i = 0; i < cl->nprogs; i++)
		if (procs[i])
			proc_start(procs[i]);
	for (unsigned i = 0; i < cl->nprogs; i++) {
		if (procs[i]) {
			status[i] = proc_wait(procs[i]);
			proc_free(procs[i]);
		}
		if (!result)
			result = status[i];
	}
	return result;
}

void services_main(void)
{
	const struct service_init *failed = NULL;
	struct init_cmdline *cl;
	int err, status;

	err = service_init_all(&failed);
	if (err) {
		kprintf("keel: service %s failed to start (%s)\n",
			failed->name, errno_name(-err));
		power_off(STATUS_USAGE);
	}
	selftest_run_requested();
	cl = kmalloc(sizeof(*cl));
	if (!cl) {
		kprintf("keel: init: out of memory\n");
		power_off(STATUS_USAGE);
	}
	err = init_parse_cmdline(boot_cmdline(), cl);
	if (err) {
		kprintf("keel: bad command line: %s (%s); expected "
			"[OPTIONS] -- PROGRAM [ARGS...] [--- PROGRAM ...]\n",
			cl->error, errno_name(-err));
		power_off(STATUS_USAGE);
	}
	if (cl->nprogs == 0) {
		kprintf("keel: no program to run: boot with "
			"`-- PROGRAM [ARGS...]` (programs come from the "
			"initrd)\n");
		power_off(STATUS_USAGE);
	}
	status = cl->mode == INIT_RUN_PAR ? run_parallel(cl)
					  : run_sequential(cl);
	kfree(cl);
	power_off(status);
}
