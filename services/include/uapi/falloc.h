/*
 * fallocate(2) modes (linux/falloc.h) and memfd_create(2) flags
 * (linux/memfd.h; MFD_NOEXEC_SEAL and MFD_EXEC are newer than the build's
 * headers, hence UAPI_). Checked against the toolchain's headers
 * (scripts/check-uapi).
 */
#ifndef UAPI_FALLOC_H
#define UAPI_FALLOC_H

#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_NO_HIDE_STALE 0x04
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40

#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#define MFD_HUGETLB 0x0004U
#define UAPI_MFD_NOEXEC_SEAL 0x0008U
#define UAPI_MFD_EXEC 0x0010U

#endif
