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

#endif
