/*
 * Entry from QEMU's PVH boot (-kernel with a 64-bit ELF): the Xen ELF note
 * XEN_ELFNOTE_PHYS32_ENTRY names pvh_start32, which QEMU's loader enters in
 * 32-bit protected mode, paging off, with the physical address of the
 * hvm_start_info in %ebx.
 *
 * The trampoline loads a GDT with a 64-bit code segment, points CR3 at the
 * static boot tables below (the first GiB mapped both at 0 and at
 * KERNEL_VMA, with 2 MiB pages), enables PAE, long mode, NX and syscall in
 * EFER, turns paging on and jumps to the higher half, where it calls
 * x86_boot_main(start_info_pa) on the boot stack. boot.c then builds the
 * direct map and drops the identity mapping.
 */
#include "layout.h"
#include "long_mode.h"

#define PA(x) ((x) - KERNEL_VMA)

#define PTE_P 1
#define PTE_W 2
#define PTE_PS 0x80

/* The PVH entry note: QEMU reads an 8-byte address for 64-bit ELFs. */
	.section .note.Xen, "a"
	.balign 4
	.long 4			/* name size: "Xen\0" */
	.long 8			/* descriptor size */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad PA(pvh_start32)

	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	mov %ebx, %esi			/* start info, kept for x86_boot_main */
	lgdt PA(boot_gdt_ptr)

	/* EFER: long mode and syscall; NX only where the CPU has it. */
	mov $0x80000001, %eax
	cpuid
	mov $(EFER_LME | EFER_SCE), %edi
	bt $20, %edx
	jnc 1f
	or $EFER_NXE, %edi
1:	ENTER_LONG_MODE $PA(boot_pml4), %edi, PA(start64_low)

	.code64
start64_low:
	movabs $start64_high, %rax
	jmp *%rax

	.text
start64_high:
	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp
	mov %esi, %edi			/* zero-extends start info */
	call x86_boot_main
1:	hlt
	jmp 1b

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0				/* unused, as in the final GDT */
	.quad 0x00af9a000000ffff	/* KERNEL_CS: 64-bit code */
	.quad 0x00cf92000000ffff	/* KERNEL_DS */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PA(boot_gdt)

/*
 * Boot page tables. boot_pml4 stays the kernel's top-level table for good:
 * boot.c adds the direct map at slot DIRECT_MAP_PML4_SLOT and clears the
 * identity slot 0 once it no longer runs from low addresses.
 */
	.data
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad PA(boot_pdpt_low) + (PTE_P | PTE_W)
	.fill 510, 8, 0
	.quad PA(boot_pdpt_high) + (PTE_P | PTE_W)
	.globl boot_pdpt_low		/* also the AP trampoline's identity map */
boot_pdpt_low:
	.quad PA(boot_pd) + (PTE_P | PTE_W)
	.fill 511, 8, 0
	.globl boot_pdpt_high
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PA(boot_pd) + (PTE_P | PTE_W)	/* -2 GiB: KERNEL_VMA */
	.quad 0
boot_pd:
	.set i, 0
	.rept 512
	.quad (i << 21) + (PTE_P | PTE_W | PTE_PS)
	.set i, i + 1
	.endr

	.bss
	.balign 16
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
