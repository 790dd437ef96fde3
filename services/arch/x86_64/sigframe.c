/*
 * The x86-64 signal frame, as Linux's arch/x86/kernel/signal_64.c builds
 * it and glibc's and musl's __restore_rt expect it: below the interrupted
 * stack pointer (less the 128-byte red zone, unless on the alternate
 * stack), the XSAVE area (64-byte aligned, uctx_fpu_save's format with its
 * software bytes), then struct rt_sigframe { pretcode; ucontext; siginfo }
 * placed so that the handler starts as if called: (rsp + 8) 16-aligned,
 * *rsp the return address (sa_restorer, which makes rt_sigreturn).
 *
 * The sigcontext's trapno, err and cr2 are 0 except cr2, which carries
 * si_addr for SIGSEGV as on Linux.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <svc/proc.h>
#include <svc/sigframe.h>
#include <uapi/arch_ucontext.h>

#define RED_ZONE 128
#define EFLAGS_TF 0x100ul
#define EFLAGS_DF 0x400ul
#define EFLAGS_RF 0x10000ul
/* The flags sigreturn takes from the frame (Linux's FIX_EFLAGS): the
 * arithmetic ones, TF, DF, RF and AC; the others stay as they are. */
#define EFLAGS_FROM_FRAME 0x50dd5ul

struct rt_sigframe {
	uint64_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
};

static void regs_to_sigcontext(const struct user_regs *r,
			       struct linux_sigcontext *sc)
{
	sc->r8 = r->r8, sc->r9 = r->r9, sc->r10 = r->r10, sc->r11 = r->r11;
	sc->r12 = r->r12, sc->r13 = r->r13, sc->r14 = r->r14;
	sc->r15 = r->r15, sc->rdi = r->rdi, sc->rsi = r->rsi;
	sc->rbp = r->rbp, sc->rbx = r->rbx, sc->rdx = r->rdx;
	sc->rax = r->rax, sc->rcx = r->rcx, sc->rsp = r->rsp;
	sc->rip = r->rip, sc->eflags = r->eflags;
	sc->cs = (uint16_t)r->cs, sc->ss = (uint16_t)r->ss;
}

static void sigcontext_to_regs(const struct linux_sigcontext *sc,
			       struct user_regs *r)
{
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14;
	r->r15 = sc->r15, r->rdi = sc->rdi, r->rsi = sc->rsi;
	r->rbp = sc->rbp, r->rbx = sc->rbx, r->rdx = sc->rdx;
	r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->eflags = (r->eflags & ~EFLAGS_FROM_FRAME) |
		    (sc->eflags & EFLAGS_FROM_FRAME);
	r->orig_rax = (uint64_t)-1; /* not at a system call any more */
}

int sigframe_setup(struct proc *p, struct user_ctx *ctx,
		   const struct sigframe_args *a)
{
	struct rt_sigframe frame;
	struct user_regs regs;
	uintptr_t sp = a->sp, fpstate, at;

	(void)p;
	if (!(a->act->sa_flags & SA_RESTORER))
		return -EFAULT; /* x86-64 has no other way back */
	if (!a->on_altstack)
		sp -= RED_ZONE;
	fpstate = ALIGN_DOWN(sp - uctx_fpu_size(), 64);
	at = ALIGN_DOWN(fpstate - sizeof(frame), 16) - 8;
	if (at < user_va_min() || at > sp)
		return -EFAULT;
	uctx_get_regs(ctx, &regs);
	memset(&frame, 0, sizeof(frame));
	frame.pretcode = a->act->sa_restorer;
	frame.uc.uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS |
			    UC_STRICT_RESTORE_SS;
	frame.uc.uc_stack = a->uc_stack;
	regs_to_sigcontext(&regs, &frame.uc.uc_mcontext);
	frame.uc.uc_mcontext.oldmask = a->saved_mask;
	frame.uc.uc_mcontext.fpstate = fpstate;
	if (a->sig == SIGSEGV)
		frame.uc.uc_mcontext.cr2 = a->info->fields.sigfault.si_addr;
	frame.uc.uc_sigmask = a->saved_mask;
	frame.info = *a->info;
	if (uctx_fpu_save(ctx, uptr(fpstate)) ||
	    copy_to_user(uptr(at), &frame, sizeof(frame)))
		return -EFAULT;
	regs.rdi = (uint64_t)a->sig;
	regs.rsi = at + offsetof(struct rt_sigframe, info);
	regs.rdx = at + offsetof(struct rt_sigframe, uc);
	regs.rax = 0;
	regs.rsp = at;
	regs.rip = a->act->sa_handler;
	regs.eflags &= ~(EFLAGS_DF | EFLAGS_RF | EFLAGS_TF);
	return uctx_set_regs(ctx, &regs) ? -EFAULT : 0;
}

int sigframe_restore(struct proc *p, struct user_ctx *ctx,
		     linux_sigset_t *mask, struct linux_stack *stack,
		     uint64_t *ret)
{
	struct rt_sigframe frame;
	struct user_regs regs, old;
	uintptr_t at = uctx_get(ctx, UREG_SP) - 8; /* ret popped pretcode */
	int err;

	(void)p;
	if (copy_from_user(&frame, uptr(at), sizeof(frame)))
		return -EFAULT;
	uctx_get_regs(ctx, &old);
	regs = old;
	sigcontext_to_regs(&frame.uc.uc_mcontext, &regs);
	/* Registers first, then the FPU state: a refused blob puts the old
	 * registers back, so that a refusal changes nothing (fuzz_sigframe
	 * found a bad rip after a good blob leaving the blob loaded). */
	err = uctx_set_regs(ctx, &regs);
	if (err)
		return err;
	if (frame.uc.uc_mcontext.fpstate) {
		err = uctx_fpu_restore(ctx,
				       uptr(frame.uc.uc_mcontext.fpstate));
		if (err) {
			uctx_set_regs(ctx, &old); /* ctx's own: accepted */
			return err;
		}
	}
	*mask = frame.uc.uc_sigmask;
	*stack = frame.uc.uc_stack;
	*ret = regs.rax;
	return 0;
}
