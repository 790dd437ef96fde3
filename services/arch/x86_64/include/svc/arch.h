/*
 * What the services need to know about the x86_64 Linux ABI: the ELF
 * machine of its programs. Its system call numbers are in
 * <svc/syscall_list.h> beside this file. The build selects this directory
 * for x86_64 targets (hosted and bare-metal x86_64).
 */
#ifndef SVC_ARCH_H
#define SVC_ARCH_H

#define SVC_ARCH_NAME "x86_64"
#define SVC_ELF_MACHINE 62 /* EM_X86_64 */

/* AT_PLATFORM's string ("" when Linux gives none, as on riscv64). */
#define SVC_ELF_PLATFORM "x86_64"
/* AT_MINSIGSTKSZ: the ABI's MINSIGSTKSZ until the signal frame's real
 * size is known (Linux computes it from the FPU state size). */
#define SVC_MINSIGSTKSZ 2048

/* /proc/cpuinfo's lines for one CPU after "processor". */
#define SVC_ARCH_CPUINFO                                                \
	"vendor_id\t: KeelVirtual\ncpu family\t: 6\nmodel\t\t: 0\n"     \
	"model name\t: Keel virtual x86-64 CPU\nfpu\t\t: yes\n"          \
	"flags\t\t: fpu tsc cx8 cmov mmx fxsr sse sse2 syscall nx lm\n"

#endif
