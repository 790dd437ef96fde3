/*
 * uname(2)'s structure (the kernel's struct new_utsname: six
 * NUL-terminated fields of 65 bytes). Checked against the toolchain's
 * <linux/utsname.h> (scripts/check-uapi).
 */
#ifndef UAPI_UTSNAME_H
#define UAPI_UTSNAME_H

#define UAPI_UTS_LEN 65 /* __NEW_UTS_LEN + 1 */

struct linux_utsname {
	char sysname[UAPI_UTS_LEN];
	char nodename[UAPI_UTS_LEN];
	char release[UAPI_UTS_LEN];
	char version[UAPI_UTS_LEN];
	char machine[UAPI_UTS_LEN];
	char domainname[UAPI_UTS_LEN];
};

#endif
