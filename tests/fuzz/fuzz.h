/*
 * What the libFuzzer harnesses of tests/fuzz/ share (tests/fuzz/README.md):
 * the entry point libFuzzer calls, an invariant check that turns a wrong
 * answer of a parser into a crash (so libFuzzer keeps the input), copies
 * of the input with the shape the parser wants (NUL-terminated, exactly
 * sized so that ASan stops a read past the end), and the kernel's memory
 * for the parsers that build address spaces.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point: one input, 0 to go on (the only value). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with "FUZZ CHECK failed at file:line: cond" when cond is false:
 * a parser's result broke its own contract. */
#define FUZZ_CHECK(cond)                                                \
	do {                                                            \
		if (!(cond))                                            \
			fuzz_check_failed(__FILE__, __LINE__, #cond);   \
	} while (0)

__attribute__((__noreturn__)) void
fuzz_check_failed(const char *file, int line, const char *cond);

/* A malloc'ed copy of data[0, size) followed by one NUL, so that a string
 * parser sees a C string of exactly the input's bytes (up to the first
 * NUL) and nothing readable past its end. free() it. */
char *fuzz_cstring(const uint8_t *data, size_t size);

/*
 * A script input (fuzz_ldisc, fuzz_tty), read from the front:
 * fuzz_take copies its next n bytes to out (fewer at its end, the rest of
 * out untouched) and returns how many; fuzz_take8 is the next byte, 0 at
 * the end.
 */
struct fuzz_script {
	const uint8_t *p;
	size_t left;
};

size_t fuzz_take(struct fuzz_script *s, void *out, size_t n);
uint8_t fuzz_take8(struct fuzz_script *s);

/*
 * Gives the process the hosted kernel's physical memory (FUZZ_PHYS_BYTES)
 * and brings up the frame allocator and the heap on it, as boot does; the
 * first call does the work. Kernel log output below errors is silenced.
 */
void fuzz_boot_mm(void);

#define FUZZ_PHYS_BYTES (64ul << 20)

/* Makes vs (NULL: none) the user memory of the current task, a task of
 * the harness's own with no owner: what copy_to_user and copy_from_user
 * reach. For harnesses built against another architecture's headers
 * (fuzz_sigframe_rv), which cannot see the hosted struct task. */
struct vm_space;
void fuzz_set_user_space(struct vm_space *vs);

#endif
