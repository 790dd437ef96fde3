/*
 * Names of Linux errno values, for log messages and test diagnostics.
 */
#include <keel/errno.h>
#include <keel/types.h>

#define NAME(e) [e] = #e

static const char *const errno_names[] = {
	NAME(EPERM),   NAME(ENOENT),       NAME(ESRCH),     NAME(EINTR),
	NAME(EIO),     NAME(ENXIO),        NAME(E2BIG),     NAME(ENOEXEC),
	NAME(EBADF),   NAME(ECHILD),       NAME(EAGAIN),    NAME(ENOMEM),
	NAME(EACCES),  NAME(EFAULT),       NAME(EBUSY),     NAME(EEXIST),
	NAME(EXDEV),   NAME(ENODEV),       NAME(ENOTDIR),   NAME(EISDIR),
	NAME(EINVAL),  NAME(ENFILE),       NAME(EMFILE),    NAME(ENOTTY),
	NAME(EFBIG),   NAME(ENOSPC),       NAME(ESPIPE),    NAME(EROFS),
	NAME(EMLINK),  NAME(EPIPE),        NAME(EDOM),      NAME(ERANGE),
	NAME(EDEADLK), NAME(ENAMETOOLONG), NAME(ENOSYS),    NAME(ENOTEMPTY),
	NAME(ELOOP),   NAME(ETIMEDOUT),
};

/* Accepts err negated or not ("-ENOMEM" and "ENOMEM" name the same). */
const char *errno_name(int err)
{
	unsigned e = err < 0 ? 0u - (unsigned)err : (unsigned)err;

	if (e > 0 && e < ARRAY_SIZE(errno_names) && errno_names[e])
		return errno_names[e];
	return "E?";
}
