/*
 * The UTS names (services/sys/sys_uname.c) for those who show them
 * besides uname(2): /proc/version and /proc/sys/kernel/.
 */
#ifndef SVC_UTS_H
#define SVC_UTS_H

#include <stddef.h>

const char *uts_release(void); /* "6.1.0-keel" */
const char *uts_version(void); /* "#1 SMP Keel" */
/* The host name, NUL-ended, cut to size. */
void uts_hostname(char *buf, size_t size);

#endif
