/*
 * What the services need to know about the riscv64 Linux ABI: the ELF
 * machine of its programs. Its system call numbers are in
 * <svc/syscall_list.h> beside this file. The build selects this directory
 * for riscv64 targets.
 */
#ifndef SVC_ARCH_H
#define SVC_ARCH_H

#define SVC_ARCH_NAME "riscv64"
#define SVC_ELF_MACHINE 243 /* EM_RISCV */

/* AT_PLATFORM's string ("" when Linux gives none, as on riscv64). */
#define SVC_ELF_PLATFORM ""
/* AT_MINSIGSTKSZ: the ABI's MINSIGSTKSZ until the signal frame's real
 * size is known (Linux computes it from the FPU state size). */
#define SVC_MINSIGSTKSZ 2048

/* /proc/cpuinfo's lines for one CPU after "processor". */
#define SVC_ARCH_CPUINFO                                                \
	"hart\t\t: 0\nisa\t\t: rv64imafdc\nmmu\t\t: sv39\n"

#endif
