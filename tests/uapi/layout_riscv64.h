/*
 * riscv64's own structure layouts (see layout.h for the form).
 */
SAME(user_regs, struct linux_user_regs, struct user_regs_struct)
FIELD(regs_pc, struct linux_user_regs, pc, struct user_regs_struct, pc)
FIELD(regs_ra, struct linux_user_regs, ra, struct user_regs_struct, ra)
FIELD(regs_sp, struct linux_user_regs, sp, struct user_regs_struct, sp)
FIELD(regs_tp, struct linux_user_regs, tp, struct user_regs_struct, tp)
FIELD(regs_s0, struct linux_user_regs, s0, struct user_regs_struct, s0)
FIELD(regs_a0, struct linux_user_regs, a0, struct user_regs_struct, a0)
FIELD(regs_a7, struct linux_user_regs, a7, struct user_regs_struct, a7)
FIELD(regs_s2, struct linux_user_regs, s2, struct user_regs_struct, s2)
FIELD(regs_s11, struct linux_user_regs, s11, struct user_regs_struct, s11)
FIELD(regs_t3, struct linux_user_regs, t3, struct user_regs_struct, t3)
FIELD(regs_t6, struct linux_user_regs, t6, struct user_regs_struct, t6)

SAME(fp_state, union linux_riscv_fp_state, union __riscv_fp_state)
FIELD(fp_f_fcsr, union linux_riscv_fp_state, f.fcsr, union __riscv_fp_state, f.fcsr)
FIELD(fp_d_f, union linux_riscv_fp_state, d.f, union __riscv_fp_state, d.f)
FIELD(fp_d_fcsr, union linux_riscv_fp_state, d.fcsr, union __riscv_fp_state, d.fcsr)
FIELD(fp_q_fcsr, union linux_riscv_fp_state, q.fcsr, union __riscv_fp_state, q.fcsr)
FIELD(fp_q_reserved, union linux_riscv_fp_state, q.reserved, union __riscv_fp_state, q.reserved)

FIELD(sc_regs, struct linux_sigcontext, sc_regs, struct sigcontext, sc_regs)
FIELD(sc_fpregs, struct linux_sigcontext, sc_fpregs, struct sigcontext, sc_fpregs)
SAME(epoll_event, struct linux_epoll_event, struct epoll_event)
FIELD(epoll_data, struct linux_epoll_event, data, struct epoll_event, data)
