/*
 * Start-up code of the secondary CPUs (APs). smp.c copies the block from
 * x86_trampoline_start to x86_trampoline_end to TRAMPOLINE_PA (below
 * 1 MiB) and fills in its two data words; the start-up IPI then starts an
 * AP there in real mode, with CS = TRAMPOLINE_PA >> 4 and IP = 0.
 *
 * 16-bit: load the block's own GDT, protected mode. 32-bit: PAE, CR3 =
 * the trampoline PML4 (the kernel's upper half plus the first GiB mapped
 * at 0, so that this page stays reachable once paging is on), EFER as the
 * boot CPU has it (long mode, syscall, NX), paging. 64-bit: jump to
 * x86_ap_start64 in the kernel's upper half, which loads the kernel PML4,
 * finds this CPU's index from its local APIC id (CPUID leaf 1) and its
 * boot stack, and calls x86_ap_main(cpu). The GDT's selectors are the
 * kernel's (KERNEL_CS, KERNEL_DS), so x86_cpu_init's switch to the CPU's
 * own GDT is seamless.
 *
 * The block runs at another address than it is linked at: every address
 * in it is written as TRAMP(symbol), a constant the assembler computes.
 */
#include "layout.h"
#include "long_mode.h"

#define TRAMP(x) (TRAMPOLINE_PA + (x) - x86_trampoline_start)

#define TRAMP_CS32 0x08

	.section .rodata
	.balign 16
	.globl x86_trampoline_start
x86_trampoline_start:
	.code16
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl TRAMP(tramp_gdt_ptr)
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $TRAMP_CS32, $TRAMP(tramp32)

	.code32
tramp32:
	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	ENTER_LONG_MODE TRAMP(x86_trampoline_cr3), TRAMP(x86_trampoline_efer), \
		TRAMP(tramp64)

	.code64
tramp64:
	movabs $x86_ap_start64, %rax
	jmp *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00af9a000000ffff	/* KERNEL_CS: 64-bit code */
	.quad 0x00cf92000000ffff	/* KERNEL_DS */
tramp_gdt_end:
tramp_gdt_ptr:
	.word tramp_gdt_end - tramp_gdt - 1
	.long TRAMP(tramp_gdt)
	.balign 4
	.globl x86_trampoline_cr3, x86_trampoline_efer
x86_trampoline_cr3:
	.long 0
x86_trampoline_efer:
	.long 0
	.globl x86_trampoline_end
x86_trampoline_end:

/*
 * In the upper half, with no stack: the kernel PML4, this CPU's index
 * (0xff in x86_apic_to_cpu: an APIC id the MADT did not list, which
 * halts), its boot stack, x86_ap_main. The GDT register still points at
 * the trampoline's copy, at a low address the kernel PML4 does not map:
 * no segment register may be loaded until x86_cpu_init loads the CPU's
 * own GDT (the 32-bit stage loaded the data segments already).
 */
	.text
	.globl x86_ap_start64
	.type x86_ap_start64, @function
x86_ap_start64:
	mov x86_kernel_pml4(%rip), %rax
	mov %rax, %cr3
	mov $1, %eax
	cpuid
	shr $24, %ebx			/* the initial local APIC id */
	lea x86_apic_to_cpu(%rip), %rax
	movzbl (%rax, %rbx), %edi
	cmp $HAL_X86_MAX_CPUS, %edi
	jae 1f
	mov %rdi, %rax
	inc %rax
	imul $BOOT_STACK_SIZE, %rax
	lea x86_ap_stacks(%rip), %rsp
	add %rax, %rsp			/* the top of stack [cpu] */
	xor %ebp, %ebp
	call x86_ap_main
1:	cli
	hlt
	jmp 1b
	.size x86_ap_start64, . - x86_ap_start64

	.section .note.GNU-stack, "", @progbits
