/*
 * Entry points of the riscv64 kernel. OpenSBI enters _start in S-mode at
 * the physical load address (0x80200000) with the MMU off, a0 = hart id
 * and a1 = the device tree's physical address; secondary harts enter
 * rv_secondary_entry the same way (SBI HSM hart_start) with a1 = their CPU
 * index.
 *
 * Both build on rv_boot_root, a page table of gigapages: an identity map
 * of the gigabyte holding the image (to survive the satp write), the
 * direct map of the first BOOT_DMAP_GIGS GiB of physical memory and the
 * kernel image's high alias. They jump to the high alias, take their
 * per-CPU block in tp and their boot stack, and call C. boot.c later
 * switches to the final kernel table (mmu.c), which lacks the identity map.
 */
#include "layout.h"

#define GIGA_PTE_FLAGS (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G)

	.section .text.boot, "ax"
	.globl _start
_start:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	csrw	sscratch, zero

	/* Only the first hart here boots the kernel. Another one is a hart
	 * hal_cpu_start started that came in at the image's entry instead
	 * of rv_secondary_entry (seen once in many boots under a loaded TCG
	 * host): booting again would wipe the running kernel's .bss. */
	lla	t0, rv_entered
	li	t1, 1
	amoswap.w t1, t1, (t0)
	bnez	t1, stray_hart

	/* Clear .bss at its physical address (lla is pc-relative). */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	/* The direct map: root[256 + i] = gigapage i, read/write. */
	lla	t0, rv_boot_root
	li	t1, 256 * 8
	add	t1, t0, t1
	li	t2, GIGA_PTE_FLAGS
	li	t3, 1 << 28		/* one gigabyte, as a PTE's PPN field */
	li	t4, BOOT_DMAP_GIGS
3:	sd	t2, 0(t1)
	add	t2, t2, t3
	addi	t1, t1, 8
	addi	t4, t4, -1
	bnez	t4, 3b

	/* The image's gigabyte, executable: identity and high alias. */
	li	t1, KERNEL_PHYS >> 30
	slli	t2, t1, 28
	ori	t2, t2, GIGA_PTE_FLAGS | PTE_X
	slli	t1, t1, 3
	add	t1, t0, t1
	sd	t2, 0(t1)
	li	t1, (KERNEL_VIRT >> 30) & 511
	slli	t1, t1, 3
	add	t1, t0, t1
	sd	t2, 0(t1)

	call	rv_boot_mmu_on
	ld	t0, .Lboot_high
	jr	t0

/* Loads rv_boot_root into satp (callable with the MMU on or off). */
rv_boot_mmu_on:
	lla	t0, rv_boot_root
	srli	t0, t0, 12
	li	t1, SATP_SV39
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	ret

/* A second hart at _start: it becomes the CPU being started (a1), or
 * waits for good if no start is going on. */
stray_hart:
	lla	t0, rv_starting_cpu
	lw	a1, 0(t0)
	bgez	a1, rv_secondary_entry
1:	wfi
	j	1b

	.globl rv_secondary_entry
rv_secondary_entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	csrw	sscratch, zero
	call	rv_boot_mmu_on
	ld	t0, .Lsecondary_high
	jr	t0

	.balign 8
.Lboot_high:
	.dword	boot_high
.Lsecondary_high:
	.dword	secondary_high

	.text
boot_high:
	lla	tp, rv_cpus
	lla	sp, rv_boot_stacks + BOOT_STACK_SIZE
	sd	sp, PCPU_STACK_TOP(tp)
	li	s0, 0
	li	ra, 0
	lla	t0, rv_trap_vector
	csrw	stvec, t0
	call	rv_boot_main		/* a0, a1: hart id, DTB */
	j	.

secondary_high:
	lla	tp, rv_cpus
	slli	t0, a1, PCPU_SIZE_LOG2
	add	tp, tp, t0
	ld	sp, PCPU_STACK_TOP(tp)
	li	s0, 0
	li	ra, 0
	lla	t0, rv_trap_vector
	csrw	stvec, t0
	mv	a0, a1
	call	rv_secondary_main
	j	.

	/* In .data, not .bss: _start reads them before it clears .bss. */
	.data
	.balign 4
	.globl rv_entered
rv_entered:
	.word	0
	.globl rv_starting_cpu
rv_starting_cpu:
	.word	-1			/* the CPU hal_cpu_start is starting */

	.bss
	.balign 4096
	.globl rv_boot_root
rv_boot_root:
	.space	4096
	.balign 16
	.globl rv_boot_stacks
rv_boot_stacks:
	.space	BOOT_STACK_SIZE * 8	/* HAL_MAX_CPUS */
