/*
 * Options and id types of wait4(2) and waitid(2), and the status word
 * wait4 stores (wait(2)'s WIFEXITED...: the exit code in bits 8-15, the
 * killing signal in bits 0-6, 0x80 for a core dump, 0x7f for stopped).
 * Checked against the toolchain's <linux/wait.h> (scripts/check-uapi).
 */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000u

/* waitid(2) idtype. */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3

/* The status word of a child that exited with code, or was killed by sig
 * (with a core dump if core). */
#define UAPI_W_EXITCODE(code, sig) (((code) & 0xff) << 8 | ((sig) & 0x7f))
#define UAPI_W_COREFLAG 0x80
#define UAPI_W_STOPCODE(sig) (((sig) & 0xff) << 8 | 0x7f)
#define UAPI_W_CONTINUED 0xffff

#endif
