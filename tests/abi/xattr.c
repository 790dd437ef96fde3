/* Extended attributes of a file that has none: listxattr is 0 for the
 * l/f variants too, getxattr of a missing user. name is ENODATA, and the
 * errors for a missing path, a closed descriptor and an empty or too long
 * name. (setxattr is left out: whether the host's /tmp takes user.
 * attributes depends on its file system.) */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/xattr.h>
#include "abi.h"
#include "abi_files.h"

int main(void)
{
	char buf[64], longname[300];
	int fd;

	abi_scratch_enter();
	fd = open("f", O_RDWR | O_CREAT, 0644);
	if (fd < 0 || symlink("f", "link")) {
		perror("f");
		return 1;
	}
	memset(longname, 'a', sizeof(longname) - 1);
	memcpy(longname, "user.", 5);
	longname[sizeof(longname) - 1] = 0;
	SHOW("listxattr", listxattr("f", buf, sizeof(buf)));
	SHOW("llistxattr", llistxattr("link", buf, sizeof(buf)));
	SHOW("flistxattr", flistxattr(fd, buf, sizeof(buf)));
	SHOW("listxattr size 0", listxattr("f", NULL, 0));
	SHOW("getxattr user.none", getxattr("f", "user.none", buf, sizeof(buf)));
	SHOW("lgetxattr user.none",
	     lgetxattr("link", "user.none", buf, sizeof(buf)));
	SHOW("fgetxattr user.none", fgetxattr(fd, "user.none", buf, sizeof(buf)));
	SHOW("getxattr of a missing file",
	     getxattr("missing", "user.none", buf, sizeof(buf)));
	SHOW("listxattr of a missing file", listxattr("missing", buf, 8));
	SHOW("fgetxattr of a closed fd",
	     fgetxattr(99, "user.none", buf, sizeof(buf)));
	SHOW("getxattr with an empty name", getxattr("f", "", buf, sizeof(buf)));
	SHOW("getxattr with a long name",
	     getxattr("f", longname, buf, sizeof(buf)));
	SHOW("removexattr user.none", removexattr("f", "user.none"));
	close(fd);
	abi_scratch_leave();
	return 0;
}
