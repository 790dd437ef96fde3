/*
 * Scatter-gather I/O: readv(2)/writev(2)'s struct iovec (user addresses
 * as 64-bit numbers) and the most vectors one call takes. Checked against
 * the toolchain's <linux/uio.h> (scripts/check-uapi).
 */
#ifndef UAPI_UIO_H
#define UAPI_UIO_H

#include <stdint.h>

struct linux_iovec {
	uint64_t iov_base; /* a user address */
	uint64_t iov_len;
};

#define UIO_FASTIOV 8
#define UIO_MAXIOV 1024

#endif
