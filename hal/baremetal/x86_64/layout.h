/*
 * Addresses, selectors and offsets the x86_64 backend shares between its
 * assembly (head.S, entry.S, switch.S), its linker script and its C code.
 * Plain #defines only: included from .S and .ld files too.
 */
#ifndef HAL_X86_64_LAYOUT_H
#define HAL_X86_64_LAYOUT_H

/* The kernel image: linked at KERNEL_VMA + KERNEL_PHYS, loaded at
 * KERNEL_PHYS. The boot tables map the first GiB of RAM at KERNEL_VMA. */
#define KERNEL_PHYS 0x200000
#define KERNEL_VMA 0xffffffff80000000

/* All RAM (and the first 4 GiB, for device registers) is mapped here. */
#define DIRECT_MAP_BASE 0xffff888000000000
#define DIRECT_MAP_PML4_SLOT 273

/* Kernel stacks with guard pages (kstack.c), PML4 slot 402. */
#define KSTACK_AREA_BASE 0xffffc90000000000
#define KSTACK_PML4_SLOT 402

/* GDT layout: Linux's selectors (asm/segment.h), so that user code and
 * a register set see the cs/ss a Linux process has (0x33, 0x2b). syscall
 * loads CS = KERNEL_CS, SS = KERNEL_CS + 8; sysret loads SS = USER_BASE
 * + 8 and CS = USER_BASE + 16 (STAR[63:48]). Slots 1 and 7 stay empty
 * (Linux's 32-bit kernel code and its per-CPU slot). */
#define KERNEL_CS 0x10
#define KERNEL_DS 0x18
#define USER_BASE 0x20 /* 32-bit user code: unused, present for sysret */
#define USER_DS (0x28 | 3)
#define USER_CS (0x30 | 3)
#define TSS_SEL 0x40
#define GDT_ENTRIES 10 /* null, -, kcode, kdata, ucode32, udata, ucode, -,
			* tss x2 */

/* Interrupt vectors. */
#define IDT_VECTORS 256
#define VEC_TIMER 32
#define VEC_UART 33
#define VEC_IPI 34
#define VEC_SPURIOUS 255
#define VEC_SYSCALL 256 /* not a real vector: marks syscall frames */

/* struct x86_cpu field offsets (checked by _Static_assert in cpu.c). */
#define PC_SELF 0
#define PC_KERNEL_RSP 8
#define PC_USER_RSP 16
#define PC_UCTX 24
#define PC_INFO 32
#define PC_ID 40
#define PC_TSS 48

/* struct hal_uctx offsets (checked in user.c). */
#define UC_R15 0
#define UC_R14 8
#define UC_R13 16
#define UC_R12 24
#define UC_RBP 32
#define UC_RBX 40
#define UC_R11 48
#define UC_R10 56
#define UC_R9 64
#define UC_R8 72
#define UC_RAX 80
#define UC_RCX 88
#define UC_RDX 96
#define UC_RSI 104
#define UC_RDI 112
#define UC_ORIG_RAX 120
#define UC_RIP 128
#define UC_CS 136
#define UC_RFLAGS 144
#define UC_RSP 152
#define UC_SS 160

/* Offset of rsp0 inside struct x86_tss. */
#define TSS_RSP0 4

/* The AP start-up code (trampoline.S) is copied to this page below 1 MiB;
 * the start-up IPI names it by page number. */
#define TRAMPOLINE_PA 0x8000
/* HAL_MAX_CPUS, for assembly (smp.c checks they agree). */
#define HAL_X86_MAX_CPUS 8

/* Boot stack and the IST stacks for #DF and NMI. */
#define BOOT_STACK_SIZE 16384
#define IST_STACK_SIZE 8192

#endif
