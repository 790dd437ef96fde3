/*
 * The stub's mapper thread: the only thread of a stub process that may
 * map physical memory, and one that never runs user code (../stub_map.h
 * says why and gives the protocol). It is written so that nothing user
 * code can write steers it: its whole state is in registers (no stack,
 * no call), it blocks every signal (no signal frame on writable memory),
 * its requests come from a page the stub sees read-only, and its reports
 * go out with pwrite64 from read-only sources.
 *
 *   long stub_start_mapper(unsigned long clone_flags)
 *
 * clones the mapper (the caller has blocked every signal; the child
 * inherits that mask) and returns its tid, or -errno, to the caller.
 *
 * Registers of the loop: r12 the last batch applied, r13 the request
 * page, r14 the done page, r15 the op being applied, ebx ops left, rbp
 * the start of a spin (TSC).
 */
#include "../stub_map.h"

#define NR_MMAP 9
#define NR_MPROTECT 10
#define NR_MUNMAP 11
#define NR_PWRITE64 18
#define NR_CLONE 56
#define NR_FUTEX 202
#define NR_EXIT_GROUP 231
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define MAP_SHARED_FIXED 0x11
#define EINVAL 22

/* The done page's fields, as offsets in the context memfd. */
#define DONE_SEQ_FILE (STUB_MAP_OFF + STUB_MAP_DONE_OFF + STUB_MAPDONE_SEQ)
#define DONE_SLEEPS_FILE \
	(STUB_MAP_OFF + STUB_MAP_DONE_OFF + STUB_MAPDONE_MAPPER_SLEEPS)

/* pwrite64(ctx fd, src, len, file offset); ends the stub unless all of
 * it was written. */
.macro	PUBLISH src, len, off
	movl	$NR_PWRITE64, %eax
	movl	$STUB_MAP_CTX_FD, %edi
	leaq	\src, %rsi
	movl	$\len, %edx
	movq	$\off, %r10
	syscall
	cmpq	$\len, %rax
	jne	.Lfail
.endm

/* futex(word, op, val, no timeout). */
.macro	FUTEX word, op, val
	movl	$NR_FUTEX, %eax
	leaq	\word, %rdi
	movl	$\op, %esi
	movl	\val, %edx
	xorl	%r10d, %r10d
	syscall
.endm

/* rax = the time-stamp counter. */
.macro	TSC
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
.endm

	.text
	.globl	stub_start_mapper
	.type	stub_start_mapper, @function
stub_start_mapper:
	/* clone(flags, no new stack, NULL, NULL, 0): the child keeps the
	 * caller's rsp but never touches the stack. */
	xorl	%esi, %esi
	xorl	%edx, %edx
	xorl	%r10d, %r10d
	xorl	%r8d, %r8d
	movl	$NR_CLONE, %eax
	syscall
	testq	%rax, %rax
	jz	mapper_loop
	ret
	.size	stub_start_mapper, .-stub_start_mapper

	.type	mapper_loop, @function
mapper_loop:
	xorl	%ebp, %ebp
	movabsq	$STUB_MAP_ADDR, %r13
	leaq	STUB_MAP_DONE_OFF(%r13), %r14
	xorl	%r12d, %r12d		/* the kernel's batches count from 1 */
.Lwait:
	movq	STUB_MAPREQ_SEQ(%r13), %rax
	cmpq	%r12, %rax
	jne	.Lapply
	TSC
	movq	%rax, %rbp
.Lspin:					/* for req.spin ticks */
	pause
	movq	STUB_MAPREQ_SEQ(%r13), %rax
	cmpq	%r12, %rax
	jne	.Lapply
	TSC
	subq	%rbp, %rax
	cmpq	STUB_MAPREQ_SPIN(%r13), %rax
	jb	.Lspin
	/* Sleep: say so, look once more, wait on req.seq. */
	PUBLISH	mapper_one(%rip), 4, DONE_SLEEPS_FILE
	mfence
	movq	STUB_MAPREQ_SEQ(%r13), %rax
	cmpq	%r12, %rax
	jne	.Lawake
	FUTEX	STUB_MAPREQ_SEQ(%r13), FUTEX_WAIT, %r12d
.Lawake:
	PUBLISH	mapper_zero(%rip), 4, DONE_SLEEPS_FILE
	jmp	.Lwait

.Lapply:				/* batch rax */
	movq	%rax, %r12
	movl	STUB_MAPREQ_NOPS(%r13), %ebx
	cmpl	$STUB_MAP_OPS, %ebx
	jbe	1f
	movl	$STUB_MAP_OPS, %ebx
1:	leaq	STUB_MAPREQ_OPS(%r13), %r15
.Lop:
	testl	%ebx, %ebx
	jz	.Ldone
	/* Never a mapping that reaches the stub: va < limit, len <= limit
	 * - va. */
	movq	STUB_OP_VA(%r15), %rdi
	movq	STUB_OP_LEN(%r15), %rsi
	movabsq	$STUB_MAP_VA_LIMIT, %rax
	cmpq	%rax, %rdi
	jae	.Leinval
	subq	%rdi, %rax
	cmpq	%rax, %rsi
	ja	.Leinval
	movl	STUB_OP_PROT(%r15), %edx
	andl	$7, %edx		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	movl	STUB_OP_KIND(%r15), %eax
	cmpl	$1, %eax		/* STUB_OP_MAP */
	je	.Lmap
	cmpl	$2, %eax		/* STUB_OP_UNMAP */
	je	.Lunmap
	cmpl	$3, %eax		/* STUB_OP_PROTECT */
	je	.Lprotect
	jmp	.Leinval
.Lmap:
	movl	$MAP_SHARED_FIXED, %r10d
	movl	$STUB_MAP_PHYS_FD, %r8d
	movq	STUB_OP_PA(%r15), %r9
	movl	$NR_MMAP, %eax
	syscall
	cmpq	STUB_OP_VA(%r15), %rax
	jne	.Lfail
	jmp	.Lnext
.Lunmap:
	movl	$NR_MUNMAP, %eax
	syscall
	testq	%rax, %rax
	jnz	.Lfail
	jmp	.Lnext
.Lprotect:
	movl	$NR_MPROTECT, %eax
	syscall
	testq	%rax, %rax
	jnz	.Lfail
.Lnext:
	addq	$STUB_OP_SIZE, %r15
	decl	%ebx
	jmp	.Lop

.Ldone:					/* done.seq = req.seq, then wake */
	PUBLISH	STUB_MAPREQ_SEQ(%r13), 8, DONE_SEQ_FILE
	mfence
	movl	STUB_MAPREQ_KERNEL_SLEEPS(%r13), %eax
	testl	%eax, %eax
	jz	.Lwait
	FUTEX	STUB_MAPDONE_SEQ(%r14), FUTEX_WAKE, $1
	jmp	.Lwait

.Leinval:
	movq	$-EINVAL, %rax
.Lfail:					/* exit_group(errno of the op) */
	negq	%rax
	movzbl	%al, %edi
	movl	$NR_EXIT_GROUP, %eax
	syscall
	hlt
	.size	mapper_loop, .-mapper_loop

	.section .rodata
	.balign	4
mapper_one:
	.long	1
mapper_zero:
	.long	0

	.section .note.GNU-stack,"",@progbits
