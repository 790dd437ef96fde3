/* Fifos in one process: mkfifo and mknod, the open rules without
 * blocking (O_NONBLOCK readers open at once, writers get ENXIO without a
 * reader, O_RDWR always opens), data through two opens of one fifo, end
 * of file and POLLHUP once the writer goes (but not for a reader that
 * never saw one), the data gone with the last close, F_GETPIPE_SZ and
 * FIONREAD on a fifo, and what fstat shows. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "abi_poll.h"
#include "abi_files.h"

int main(void)
{
	char buf[16] = "";
	struct stat st;
	int r, w, rw, n = -1;

	abi_scratch_enter();
	SHOW("mkfifo", mkfifo("f", 0600));
	SHOW("writer without a reader, O_NONBLOCK",
	     open("f", O_WRONLY | O_NONBLOCK));
	r = open("f", O_RDONLY | O_NONBLOCK);
	abi_yes("reader, O_NONBLOCK, opens at once", r >= 0);
	abi_show_poll("reader that never saw a writer", r);
	SHOW("read with no writer yet", read(r, buf, sizeof(buf)));
	w = open("f", O_WRONLY | O_NONBLOCK);
	abi_yes("writer with a reader", w >= 0);
	SHOW("write", write(w, "fifo data", 9));
	SHOW("FIONREAD", (ioctl(r, FIONREAD, &n), n));
	SHOW("F_GETPIPE_SZ", fcntl(w, F_GETPIPE_SZ));
	abi_show_poll("reader with data", r);
	abi_show_poll("writer", w);
	SHOW("read", read(r, buf, sizeof(buf)));
	printf("data: %.9s\n", buf);
	SHOW("read empty, writer open", read(r, buf, sizeof(buf)));
	fstat(w, &st);
	printf("fstat: fifo %d mode %o\n", S_ISFIFO(st.st_mode),
	       (unsigned)st.st_mode & 07777);
	SHOW("lseek", lseek(r, 0, SEEK_SET));
	close(w);
	abi_show_poll("reader after the writer left", r);
	SHOW("read: end of file", read(r, buf, sizeof(buf)));
	close(r);
	rw = open("f", O_RDWR);
	abi_yes("O_RDWR opens without a partner", rw >= 0);
	SHOW("write through O_RDWR", write(rw, "left over", 9));
	abi_show_poll("O_RDWR end", rw);
	close(rw);
	r = open("f", O_RDONLY | O_NONBLOCK);
	SHOW("the data went with the last close", read(r, buf, sizeof(buf)));
	close(r);
	SHOW("mknod S_IFIFO", mknod("g", S_IFIFO | 0644, 0));
	SHOW("open O_PATH", ({
		int fd = open("g", O_PATH);
		close(fd);
		fd >= 0;
	}));
	abi_scratch_leave();
	return 0;
}
