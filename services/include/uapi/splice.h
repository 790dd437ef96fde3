/*
 * splice(2) and tee(2) flags. Linux keeps them in include/linux/splice.h,
 * outside its UAPI headers (glibc's <fcntl.h> repeats them), hence the
 * UAPI_ prefix: scripts/check-uapi has no header to check them against.
 */
#ifndef UAPI_SPLICE_H
#define UAPI_SPLICE_H

#define UAPI_SPLICE_F_MOVE 0x01
#define UAPI_SPLICE_F_NONBLOCK 0x02
#define UAPI_SPLICE_F_MORE 0x04
#define UAPI_SPLICE_F_GIFT 0x08
#define UAPI_SPLICE_F_ALL 0x0f

#endif
