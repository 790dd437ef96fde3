/*
 * The Linux UAPI headers Keel's uapi (services/include/uapi/ and
 * services/arch/<arch>/include/uapi/) is checked against, as the
 * architecture's compiler finds them (the host's for x86_64, the cross
 * headers for riscv64). Kernel headers only: libc's versions of these
 * structures (struct sigaction, siginfo_t, struct stat) differ.
 */
#include <asm/mman.h>
#include <asm/poll.h>
#include <asm/sigcontext.h>
#include <asm/socket.h>
#include <asm/siginfo.h>
#include <asm/signal.h>
#include <asm/ioctls.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/termbits.h>
#include <asm/ioctls.h>
#include <asm/termios.h>
#include <asm/ucontext.h>
#include <linux/close_range.h>
#include <linux/eventpoll.h>
#include <linux/falloc.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/magic.h>
#include <linux/memfd.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/signalfd.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time.h>
#include <linux/timerfd.h>
#include <linux/time_types.h>
#include <linux/uio.h>
#include <linux/un.h>
#include <linux/utsname.h>
#include <linux/wait.h>
