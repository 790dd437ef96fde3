/*
 * close_range(2) flags (<linux/close_range.h>), checked by
 * scripts/check-uapi.
 */
#ifndef UAPI_CLOSE_RANGE_H
#define UAPI_CLOSE_RANGE_H

#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)

#endif
