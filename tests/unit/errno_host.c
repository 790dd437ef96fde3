/*
 * The host C library's errno values for every name in ERRNO_LIST, built in
 * a file of its own because the host's <errno.h> and <keel/errno.h> define
 * the same macros.
 */
#include <errno.h>

#include "errno_list.h"

const struct errno_entry host_errnos[] = { ERRNO_LIST(ERRNO_ENTRY) };
const size_t host_errnos_count = sizeof(host_errnos) / sizeof(host_errnos[0]);
