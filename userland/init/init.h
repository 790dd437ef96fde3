/*
 * keel-init's parts (userland/init/): the mounts and host name of the
 * system (mount.c), the request the runner wrote into the image
 * (request.c), and its one way to report a problem.
 */
#ifndef KEEL_INIT_H
#define KEEL_INIT_H

/* What to run: argv and envp, NULL-terminated. */
struct init_request {
	char **argv;
	char **envp;
};

/* Where the runner puts the request (docs/runner.md). */
#define INIT_ARGV_FILE "/etc/keel/argv"
#define INIT_ENV_FILE "/etc/keel/env"

/* Prints "keel-init: WHAT: strerror(err)" on stderr; never fails. */
void init_note(const char *what, int err);

/* Mounts proc, devtmpfs, sysfs and tmpfs where nothing is mounted yet;
 * a failure is noted, never fatal. */
void init_mount_all(void);

/* Sets the host name from /etc/hostname, if there is one. */
void init_set_hostname(void);

/* Fills req: argv from init's own arguments (argv[1]...) if there are
 * any, else from INIT_ARGV_FILE, else /bin/sh; the environment is the
 * defaults overridden by INIT_ENV_FILE. Returns 0, or -1 after a note
 * (no memory, a malformed file). */
int init_read_request(int argc, char **argv, struct init_request *req);

#endif
