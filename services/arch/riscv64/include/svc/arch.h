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

#endif
