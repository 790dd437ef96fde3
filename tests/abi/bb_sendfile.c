/* sendfile(2) and splice(2) from a directory are EINVAL, as Linux (a
 * directory has no splice_read), so that busybox's cat, which tries
 * sendfile first, falls back to read(2) and reports EISDIR. Found by the
 * busybox shell suite: Keel's sendfile from a directory returned 0 (end
 * of file), and `cat DIR` printed nothing and succeeded. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"

int main(void)
{
	int dir, out, p[2];
	char buf[8];

	mkdir("/tmp/bb_sendfile.d", 0755);
	dir = open("/tmp/bb_sendfile.d", O_RDONLY | O_DIRECTORY);
	out = open("/dev/null", O_WRONLY);
	if (dir < 0 || out < 0 || pipe(p))
		return 1;
	abi_show("sendfile from a directory", sendfile(out, dir, NULL, 4096));
	abi_show("sendfile from a directory, offset given",
		 sendfile(out, dir, &(off_t){ 0 }, 4096));
	abi_show("splice from a directory",
		 splice(dir, NULL, p[1], NULL, 4096, 0));
	abi_show("read of the directory", read(dir, buf, sizeof(buf)));
	close(dir);
	rmdir("/tmp/bb_sendfile.d");
	return 0;
}
