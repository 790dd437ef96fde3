/*
 * What the machine was booted with, and how to stop it.
 */
#ifndef KEEL_BOOT_H
#define KEEL_BOOT_H

#include <keel/types.h>

/* The kernel command line (never NULL). */
const char *boot_cmdline(void);

/*
 * Looks for the kernel option key (`key` or `key=value`) among the words
 * before the `--` of the command line. Returns false if absent; else
 * *value points at the text after `key=` and *len is its length (it is
 * not NUL-terminated), 0 for a bare `key`.
 */
bool boot_option(const char *key, const char **value, size_t *len);

/* The initial ramdisk, read-only, or false when there is none. */
bool boot_initrd(const void **data, size_t *size);

/* Stops the machine; the host sees status. */
noreturn void power_off(int status);

/*
 * Entry point of the services, implemented by them: the core calls it in
 * its own kernel task once memory, scheduling and time are up, unless the
 * command line asks for the in-kernel tests.
 */
void services_main(void);

#endif
