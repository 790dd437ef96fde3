/* Making nodes where the file system makes none (sysfs): Linux's VFS
 * answers EPERM for mkdir and symlink, and EACCES for a regular file
 * (open O_CREAT). Keel's pseudo file systems have no create operation;
 * before the VFS checked, mkdirat there called a NULL operation and
 * panicked the kernel (found by the syscall fuzzer). mknod is not
 * implemented yet, and /proc answers ENOENT on Linux (procfs's own
 * rule), so neither is here. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	SHOW("mkdir /sys/x", mkdir("/sys/x", 0755));
	SHOW("mkdir /sys/devices/x", mkdir("/sys/devices/x", 0755));
	SHOW("symlink /sys/x", symlink("/", "/sys/x"));
	SHOW("open O_CREAT /sys/x", open("/sys/x", O_CREAT | O_WRONLY, 0644));
	return 0;
}
