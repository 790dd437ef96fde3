/*
 * The mapper's part of the stub protocol (hosted backend): where the
 * kernel puts a batch of mapping ops for a stub process, and where the
 * stub's mapper thread reports a batch done. Included by C (stub_abi.h)
 * and by the mapper's assembly (stub/mapper.S), hence the plain numbers.
 *
 * Why a mapper: the threads that run user code cannot be trusted with
 * the physical-memory fd, because user code can jump to any `syscall`
 * instruction in the stub's text with registers of its own, and seccomp
 * sees only the instruction pointer. So those threads run under a second
 * filter with no mapping call at all (stub/filter.c), and one thread that
 * never runs user code applies the ops: the mapper, which keeps its whole
 * state in registers and blocks every signal, so that the memory user
 * code can write (all of the stub's writable memory) cannot steer it.
 *
 * The region is in the context memfd at STUB_MAP_OFF, mapped read-only
 * in the stub at STUB_MAP_ADDR (read-write by the kernel), so user code
 * can neither forge a request nor a report:
 *   - the request page (kernel-written): the batch number, the ops, the
 *     mapper's spin budget and whether the kernel sleeps on the report;
 *   - the done page: written only by the mapper, with pwrite64 on the
 *     context fd (the one call that can write a page the stub sees
 *     read-only), from source words that are themselves read-only (the
 *     request's batch number, constants in the stub's rodata).
 * A failed op ends the stub with the op's errno as its exit status.
 *
 * Handshake: the kernel writes ops and nops, then seq (sequentially
 * consistent), and wakes seq's futex if done.mapper_sleeps. The mapper
 * applies the batch, copies seq into done.seq and wakes that futex if
 * kernel_sleeps. Either side sets its sleeps flag, checks the other's
 * word again, then sleeps (the stub_abi.h rule).
 */
#ifndef HAL_HOSTED_STUB_MAP_H
#define HAL_HOSTED_STUB_MAP_H

/* In the stub: between the context area and the stub's text. */
#define STUB_MAP_ADDR 0x7f7ff8000000
/* In the context memfd (sparse up to here). */
#define STUB_MAP_OFF 0x1000000
#define STUB_MAP_REQ_SIZE 0x10000 /* the request: header and ops */
#define STUB_MAP_DONE_OFF STUB_MAP_REQ_SIZE
#define STUB_MAP_SIZE (STUB_MAP_REQ_SIZE + 0x1000)

/* Request fields (byte offsets). */
#define STUB_MAPREQ_SEQ 0           /* u64: batch to apply (futex) */
#define STUB_MAPREQ_NOPS 8          /* u32: ops in the batch */
#define STUB_MAPREQ_KERNEL_SLEEPS 12 /* u32: the kernel waits on done.seq */
#define STUB_MAPREQ_SPIN 16         /* u64: TSC ticks to spin, then sleep */
#define STUB_MAPREQ_OPS 64          /* struct stub_op[] */
/* Done fields (offsets from the done page). */
#define STUB_MAPDONE_SEQ 0           /* u64: last batch applied (futex) */
#define STUB_MAPDONE_MAPPER_SLEEPS 8 /* u32: the mapper waits on req.seq */

/* struct stub_op (stub_abi.h), for the assembly. */
#define STUB_OP_SIZE 32
#define STUB_OP_VA 0
#define STUB_OP_LEN 8
#define STUB_OP_PA 16
#define STUB_OP_KIND 24
#define STUB_OP_PROT 28

#define STUB_MAP_OPS ((STUB_MAP_REQ_SIZE - STUB_MAPREQ_OPS) / STUB_OP_SIZE)

/* What the assembly needs of stub_abi.h and hal/arch.h (asserted equal
 * there): the fds and the end of user space. */
#define STUB_MAP_CTX_FD 3
#define STUB_MAP_PHYS_FD 4
#define STUB_MAP_VA_LIMIT 0x7f0000000000

#ifndef __ASSEMBLER__
#include <stdint.h>

struct stub_op;

struct stub_map_req {
	uint64_t seq;
	uint32_t nops;
	uint32_t kernel_sleeps;
	uint64_t spin;
};

struct stub_map_done {
	uint64_t seq;
	uint32_t mapper_sleeps;
};

static inline struct stub_map_req *stub_map_req(void *region)
{
	return (struct stub_map_req *)region;
}

static inline struct stub_op *stub_map_ops(void *region)
{
	return (struct stub_op *)((char *)region + STUB_MAPREQ_OPS);
}

static inline struct stub_map_done *stub_map_done(void *region)
{
	return (struct stub_map_done *)((char *)region + STUB_MAP_DONE_OFF);
}
#endif

#endif
