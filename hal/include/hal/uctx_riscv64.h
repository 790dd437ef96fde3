/*
 * The riscv64 user register file: x1..x31 (x[0] is the pc slot, since x0
 * is hardwired to zero) plus the F/D registers and fcsr.
 */
#ifndef HAL_UCTX_RISCV64_H
#define HAL_UCTX_RISCV64_H

#include <stdint.h>

struct hal_uctx {
	uint64_t x[32]; /* x[0] holds the user pc */
	uint64_t f[32];
	uint64_t fcsr;
};

#endif
