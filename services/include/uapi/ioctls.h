/*
 * The ioctls every file answers (Linux's do_vfs_ioctl), numbered as
 * <asm-generic/ioctls.h> (the same on x86-64 and riscv64); terminal ioctls
 * are in <uapi/termios.h>. Checked against the toolchain's <asm/ioctls.h>
 * (scripts/check-uapi).
 */
#ifndef UAPI_IOCTLS_H
#define UAPI_IOCTLS_H

#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452

#endif
