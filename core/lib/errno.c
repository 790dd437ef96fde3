/*
 * Names of Linux errno values, for log messages and test diagnostics: one
 * table for the user-visible values 1..133, one for the kernel-internal
 * ones from ERESTARTSYS (512) on.
 */
#include <keel/errno.h>
#include <keel/types.h>

#define NAME(e) [e] = #e
#define KNAME(e) [(e) - ERESTARTSYS] = #e

static const char *const user_names[] = {
	NAME(EPERM),            NAME(ENOENT),           NAME(ESRCH),
	NAME(EINTR),            NAME(EIO),              NAME(ENXIO),
	NAME(E2BIG),            NAME(ENOEXEC),          NAME(EBADF),
	NAME(ECHILD),           NAME(EAGAIN),           NAME(ENOMEM),
	NAME(EACCES),           NAME(EFAULT),           NAME(ENOTBLK),
	NAME(EBUSY),            NAME(EEXIST),           NAME(EXDEV),
	NAME(ENODEV),           NAME(ENOTDIR),          NAME(EISDIR),
	NAME(EINVAL),           NAME(ENFILE),           NAME(EMFILE),
	NAME(ENOTTY),           NAME(ETXTBSY),          NAME(EFBIG),
	NAME(ENOSPC),           NAME(ESPIPE),           NAME(EROFS),
	NAME(EMLINK),           NAME(EPIPE),            NAME(EDOM),
	NAME(ERANGE),           NAME(EDEADLK),          NAME(ENAMETOOLONG),
	NAME(ENOLCK),           NAME(ENOSYS),           NAME(ENOTEMPTY),
	NAME(ELOOP),            NAME(ENOMSG),           NAME(EIDRM),
	NAME(ECHRNG),           NAME(EL2NSYNC),         NAME(EL3HLT),
	NAME(EL3RST),           NAME(ELNRNG),           NAME(EUNATCH),
	NAME(ENOCSI),           NAME(EL2HLT),           NAME(EBADE),
	NAME(EBADR),            NAME(EXFULL),           NAME(ENOANO),
	NAME(EBADRQC),          NAME(EBADSLT),          NAME(EBFONT),
	NAME(ENOSTR),           NAME(ENODATA),          NAME(ETIME),
	NAME(ENOSR),            NAME(ENONET),           NAME(ENOPKG),
	NAME(EREMOTE),          NAME(ENOLINK),          NAME(EADV),
	NAME(ESRMNT),           NAME(ECOMM),            NAME(EPROTO),
	NAME(EMULTIHOP),        NAME(EDOTDOT),          NAME(EBADMSG),
	NAME(EOVERFLOW),        NAME(ENOTUNIQ),         NAME(EBADFD),
	NAME(EREMCHG),          NAME(ELIBACC),          NAME(ELIBBAD),
	NAME(ELIBSCN),          NAME(ELIBMAX),          NAME(ELIBEXEC),
	NAME(EILSEQ),           NAME(ERESTART),         NAME(ESTRPIPE),
	NAME(EUSERS),           NAME(ENOTSOCK),         NAME(EDESTADDRREQ),
	NAME(EMSGSIZE),         NAME(EPROTOTYPE),       NAME(ENOPROTOOPT),
	NAME(EPROTONOSUPPORT),  NAME(ESOCKTNOSUPPORT),  NAME(EOPNOTSUPP),
	NAME(EPFNOSUPPORT),     NAME(EAFNOSUPPORT),     NAME(EADDRINUSE),
	NAME(EADDRNOTAVAIL),    NAME(ENETDOWN),         NAME(ENETUNREACH),
	NAME(ENETRESET),        NAME(ECONNABORTED),     NAME(ECONNRESET),
	NAME(ENOBUFS),          NAME(EISCONN),          NAME(ENOTCONN),
	NAME(ESHUTDOWN),        NAME(ETOOMANYREFS),     NAME(ETIMEDOUT),
	NAME(ECONNREFUSED),     NAME(EHOSTDOWN),        NAME(EHOSTUNREACH),
	NAME(EALREADY),         NAME(EINPROGRESS),      NAME(ESTALE),
	NAME(EUCLEAN),          NAME(ENOTNAM),          NAME(ENAVAIL),
	NAME(EISNAM),           NAME(EREMOTEIO),        NAME(EDQUOT),
	NAME(ENOMEDIUM),        NAME(EMEDIUMTYPE),      NAME(ECANCELED),
	NAME(ENOKEY),           NAME(EKEYEXPIRED),      NAME(EKEYREVOKED),
	NAME(EKEYREJECTED),     NAME(EOWNERDEAD),       NAME(ENOTRECOVERABLE),
	NAME(ERFKILL),          NAME(EHWPOISON),
};

static const char *const kernel_names[] = {
	KNAME(ERESTARTSYS),            KNAME(ERESTARTNOINTR),
	KNAME(ERESTARTNOHAND),         KNAME(ENOIOCTLCMD),
	KNAME(ERESTART_RESTARTBLOCK),  KNAME(EPROBE_DEFER),
	KNAME(EOPENSTALE),             KNAME(ENOPARAM),
	KNAME(EBADHANDLE),             KNAME(ENOTSYNC),
	KNAME(EBADCOOKIE),             KNAME(ENOTSUPP),
	KNAME(ETOOSMALL),              KNAME(ESERVERFAULT),
	KNAME(EBADTYPE),               KNAME(EJUKEBOX),
	KNAME(EIOCBQUEUED),            KNAME(ERECALLCONFLICT),
	KNAME(ENOGRACE),
};

/* names[i], or NULL past the end or in a gap. */
static const char *lookup(const char *const *names, size_t n, unsigned i)
{
	return i < n ? names[i] : NULL;
}

const char *errno_name(int err)
{
	unsigned e = err < 0 ? 0u - (unsigned)err : (unsigned)err;
	const char *name = NULL;

	if (e >= ERESTARTSYS)
		name = lookup(kernel_names, ARRAY_SIZE(kernel_names),
			      e - ERESTARTSYS);
	else if (e > 0)
		name = lookup(user_names, ARRAY_SIZE(user_names), e);
	return name ? name : "E?";
}
