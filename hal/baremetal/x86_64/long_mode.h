/*
 * The step from 32-bit protected mode (paging off) to long mode, shared by
 * the boot CPU's entry (head.S) and the APs' trampoline (trampoline.S).
 * Assembly only.
 */
#ifndef HAL_X86_64_LONG_MODE_H
#define HAL_X86_64_LONG_MODE_H

#define MSR_EFER 0xc0000080
#define EFER_SCE (1 << 0)
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)

/*
 * PAE on, CR3 = pml4 (a 32-bit operand), EFER |= efer (long mode,
 * syscall, NX as wanted), paging and write protection on, then a far jump
 * to target (a physical address of 64-bit code) through KERNEL_CS, which
 * the GDT loaded must hold as a 64-bit code segment. Clobbers eax, ecx,
 * edx.
 */
.macro ENTER_LONG_MODE pml4, efer, target
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov \pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or \efer, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PE | CR0_WP | CR0_PG), %eax
	mov %eax, %cr0
	ljmp $KERNEL_CS, $\target
.endm

#endif
