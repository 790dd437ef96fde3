/*
 * Constants of the riscv64 backend shared by its C and assembly files:
 * the memory layout, CSR bits, page-table bits and the per-CPU block and
 * trap-frame offsets vector.S uses. kernel.ld repeats the image addresses.
 */
#ifndef HAL_RISCV64_LAYOUT_H
#define HAL_RISCV64_LAYOUT_H

/* The kernel image: linked at KERNEL_VIRT, loaded at KERNEL_PHYS. */
#define KERNEL_PHYS 0x80200000
#define KERNEL_VIRT 0xffffffff80200000
#define KERNEL_VOFFSET (KERNEL_VIRT - KERNEL_PHYS)

/* The direct map: VA = DMAP_BASE + PA for PA < DMAP_SIZE. */
#define DMAP_BASE 0xffffffc000000000
#define DMAP_SIZE (128ul << 30)

/* The boot page table maps this much of physical memory as gigapages. */
#define BOOT_DMAP_GIGS 64

/* Kernel stacks with guard pages (kstack.c), under root entry 500. */
#define KSTACK_AREA_BASE 0xfffffffd00000000
#define KSTACK_ROOT_INDEX 500

#define BOOT_STACK_SIZE 16384
/* Per-CPU stack for faults taken with an unusable kernel sp. */
#define FAULT_STACK_SIZE 8192

/* sstatus */
#define SSTATUS_SIE (1 << 1)
#define SSTATUS_SPIE (1 << 5)
#define SSTATUS_SPP (1 << 8)
#define SSTATUS_FS (3 << 13)
#define SSTATUS_FS_INITIAL (1 << 13)
#define SSTATUS_FS_CLEAN (2 << 13)
#define SSTATUS_FS_DIRTY (3 << 13)
#define SSTATUS_SUM (1 << 18)
#define SSTATUS_MXR (1 << 19)

/* sie / sip */
#define SIE_SSIE (1 << 1)
#define SIE_STIE (1 << 5)
#define SIE_SEIE (1 << 9)

/* scause */
#define SCAUSE_INTR (1ul << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_INST_PAGE 12
#define EXC_LOAD_PAGE 13
#define EXC_STORE_PAGE 15

/* satp */
#define SATP_SV39 (8ul << 60)

/* Sv39 page-table entries */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PTE_PPN_SHIFT 10

/* struct rv_cpu offsets (checked against the C layout in cpu.c) */
#define PCPU_SCRATCH 0
#define PCPU_UCTX 8
#define PCPU_KSP 16
#define PCPU_STACK_TOP 24
#define PCPU_SCRATCH2 32
#define PCPU_FAULT_STACK 40
#define PCPU_SIZE_LOG2 7 /* sizeof(struct rv_cpu) <= 128, rounded up */

/* struct hal_uctx: x[32], f[32], fcsr */
#define UCTX_X(n) ((n) * 8)
#define UCTX_F(n) (256 + (n) * 8)
#define UCTX_FCSR 512

/* struct rv_frame: x[32], sstatus, scause, stval, pad, and at its top a
 * frame record (caller's s0, return address) linking the interrupted code
 * into the frame-pointer chain */
#define FRAME_X(n) ((n) * 8)
#define FRAME_SSTATUS 256
#define FRAME_SCAUSE 264
#define FRAME_STVAL 272
#define FRAME_LINK_FP 288
#define FRAME_LINK_RA 296
#define FRAME_SIZE 304

#endif
