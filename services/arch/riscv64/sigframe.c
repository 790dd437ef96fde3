/*
 * The riscv64 signal frame, as Linux's arch/riscv/kernel/signal.c builds
 * it: struct rt_sigframe { siginfo; ucontext } 16-aligned below the
 * interrupted stack pointer (riscv64 has no red zone), the ucontext's
 * sc_regs the whole user_regs_struct and sc_fpregs the F/D state in
 * uctx_fpu_save's format (struct __riscv_d_ext_state); the rest of the
 * union, where Linux chains extension contexts, is zero: no extension.
 *
 * Returning from a handler: the riscv64 kernel ABI has no sa_restorer;
 * Linux points ra at its vDSO's __vdso_rt_sigreturn, and glibc and musl
 * rely on that. Keel does the same wherever the vDSO is (mremap may have
 * moved it). A process that unmapped its vDSO gets a one-page trampoline
 * (li a7, 139; ecall: rt_sigreturn) mapped read-only and executable below
 * its stack's guard page on the first delivery instead, where Linux's
 * handler would return into nothing. sa_restorer from user space is
 * never used.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/elf.h>
#include <svc/proc.h>
#include <svc/sigframe.h>
#include <svc/signal.h>
#include <svc/vmar.h>
#include <uapi/arch_ucontext.h>

struct rt_sigframe {
	struct linux_siginfo info;
	struct linux_ucontext uc;
};

_Static_assert(sizeof(struct user_regs) == sizeof(struct linux_user_regs),
	       "sc_regs is user_regs_struct");

/* li a7, 139 (addi a7, zero, __NR_rt_sigreturn); ecall */
static const uint32_t trampoline_code[] = { 0x08b00893u, 0x00000073u };

/* The vDSO's sigreturn, else the process's trampoline, mapped on first
 * use: returns its address, or 0 when it cannot be mapped (the frame is
 * not delivered then). */
static uintptr_t trampoline(struct proc *p)
{
	uintptr_t at = elf_stack_top() - ELF_STACK_SIZE - 2 * PAGE_SIZE;
	uintptr_t vdso = vmar_vdso_symbol(p->vmar, "__vdso_rt_sigreturn");

	if (vdso)
		return vdso;
	if (p->sig_trampoline)
		return p->sig_trampoline;
	if (vmar_add(p->vmar, at, at + PAGE_SIZE, VM_READ | VM_WRITE,
		     VMAR_ANON))
		return 0;
	if (copy_to_user(uptr(at), trampoline_code, sizeof(trampoline_code)) ||
	    vmar_protect(p->vmar, at, PAGE_SIZE, VM_READ | VM_EXEC))
		return 0;
	p->sig_trampoline = at;
	return at;
}

int sigframe_setup(struct proc *p, struct user_ctx *ctx,
		   const struct sigframe_args *a)
{
	struct rt_sigframe frame;
	struct user_regs regs;
	uintptr_t at = ALIGN_DOWN(a->sp - sizeof(frame), 16);
	uintptr_t ret = trampoline(p);

	_Static_assert(sizeof(frame.uc.uc_mcontext.sc_fpregs) >= 8 * 33 + 4,
		       "the D state fits");
	if (!ret || at < user_va_min() || at > a->sp)
		return -EFAULT;
	uctx_get_regs(ctx, &regs);
	memset(&frame, 0, sizeof(frame));
	frame.info = *a->info;
	frame.uc.uc_stack = a->uc_stack;
	frame.uc.uc_sigmask = a->saved_mask;
	memcpy(&frame.uc.uc_mcontext.sc_regs, &regs, sizeof(regs));
	if (copy_to_user(uptr(at), &frame, sizeof(frame)) ||
	    uctx_fpu_save(ctx, uptr(at + offsetof(struct rt_sigframe,
						   uc.uc_mcontext.sc_fpregs))))
		return -EFAULT;
	regs.a0 = (uint64_t)a->sig;
	regs.a1 = at + offsetof(struct rt_sigframe, info);
	regs.a2 = at + offsetof(struct rt_sigframe, uc);
	regs.sp = at;
	regs.ra = ret;
	regs.pc = a->act->sa_handler;
	return uctx_set_regs(ctx, &regs) ? -EFAULT : 0;
}

/*
 * Whether the last 12 bytes of sc_fpregs hold anything: Linux refuses
 * such a frame (-EINVAL), before 6.5 as q.reserved[] not zero, since then
 * as sc_extdesc's reserved word or a first extension header other than
 * the end (magic 0, size 0); Keel knows no extension, and its frames
 * have zeros there.
 */
static bool extension_words_used(const struct rt_sigframe *f)
{
	const uint32_t *w = f->uc.uc_mcontext.sc_fpregs.q.reserved;

	return w[0] || w[1] || w[2];
}

int sigframe_restore(struct proc *p, struct user_ctx *ctx,
		     linux_sigset_t *mask, struct linux_stack *stack,
		     uint64_t *ret)
{
	struct rt_sigframe frame;
	struct user_regs regs, old;
	uintptr_t at = uctx_get(ctx, UREG_SP);
	int err;

	(void)p;
	if (copy_from_user(&frame, uptr(at), sizeof(frame)))
		return -EFAULT;
	if (extension_words_used(&frame))
		return -EINVAL;
	/* Registers first, then the FPU state, whose refusal puts the old
	 * registers back: a refusal changes nothing (as on x86-64). */
	uctx_get_regs(ctx, &old);
	memcpy(&regs, &frame.uc.uc_mcontext.sc_regs, sizeof(regs));
	err = uctx_set_regs(ctx, &regs);
	if (err)
		return err;
	err = uctx_fpu_restore(ctx, uptr(at + offsetof(struct rt_sigframe,
						uc.uc_mcontext.sc_fpregs)));
	if (err) {
		uctx_set_regs(ctx, &old); /* ctx's own: accepted */
		return err;
	}
	*mask = frame.uc.uc_sigmask;
	*stack = frame.uc.uc_stack;
	*ret = regs.a0;
	return 0;
}
