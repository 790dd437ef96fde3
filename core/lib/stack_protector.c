/*
 * The stack protector's guard and failure handler for kernel code built
 * with -fstack-protector-strong -mstack-protector-guard=global (services
 * and the core on every backend; docs/architecture.md, "Hardening").
 *
 * The guard is one global word, not the x86-64 default %fs:0x28 or a
 * per-thread slot: on bare metal there is no TLS, and the hosted kernel
 * must not depend on the host thread's FS. It is a constant: every frame
 * on every stack stores and checks the same value, so it cannot be
 * changed once anything runs, and its job is catching a buffer that ran
 * over its frame, not defeating an attacker (services are trusted code
 * in the kernel's address space). The zero low byte stops string copies
 * from reproducing it. The compiler calls __stack_chk_fail when the copy
 * in a returning frame differs; it panics with the backtrace.
 */
#include <keel/log.h>
#include <keel/types.h>

#define STACK_GUARD 0x5eed0c0ffeeb1700ul

extern uintptr_t __stack_chk_guard;
noreturn void __stack_chk_fail(void);

uintptr_t __stack_chk_guard = (uintptr_t)STACK_GUARD;

/* Not protected itself: it must not check a frame while reporting one. */
__attribute__((no_stack_protector)) noreturn void __stack_chk_fail(void)
{
	panic("stack protector: the function at %p overwrote its stack "
	      "frame (the frame under __stack_chk_fail below)",
	      __builtin_return_address(0));
}
