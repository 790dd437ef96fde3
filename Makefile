# Keel top-level build. Objects go to build/<target>/, nothing in the tree.
#
#   make            hosted kernel, stub and user test programs
#   make run        a busybox shell on hosted Keel (runner/keel run;
#                   ARGS="--target x86_64" or ARGS="-- /bin/ls -l")
#   make test       every test suite (lint, unit under Valgrind, ktest,
#                   user mode on every target), ending "N passed, N failed"
#   make lint       the framekernel boundary check and the TCB share
#   make bench      microbenchmarks (ratios against references)
#   make asan       the hosted kernel with ASan and UBSan, and its suites
#   make fuzz       the libFuzzer harnesses for FUZZ_S seconds (mk/fuzz.mk)
#   make compile_commands.json   for clangd (uses bear)
#
# Missing Debian packages are installed by scripts/setup-deps (idempotent,
# silent when nothing is missing), which run and test call first.

BUILD ?= build
# Stamps of the build-time ABI checks (mk/checks.mk).
CHK := $(BUILD)/checks
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
GCC_INC := $(shell $(CC) -print-file-name=include)

WARN := -std=gnu11 -Wall -Wextra -Werror -Wstrict-prototypes \
	-Wmissing-prototypes -Wundef -Wpointer-arith -Wno-unused-parameter

# Flags every piece of kernel code shares (core, HAL, services).
KERNEL_BASE_CFLAGS := $(WARN) -g -O2 -fno-omit-frame-pointer \
	-fno-strict-aliasing -MMD -MP

# Hardening of the freestanding kernel code (core and services) on every
# target (docs/architecture.md, "Hardening"): an array index out of bounds
# calls the core's UBSan runtime (core/lib/ubsan.c), a smashed stack frame
# its stack protector (core/lib/stack_protector.c, one global guard: no
# TLS canary, which bare metal lacks and hosted must not borrow from the
# host); both panic with file, line and backtrace. KERNEL_UBSAN_CHECKS are
# the other undefined behaviour the same runtime turns into a panic naming
# file and line (docs/hardening.md; alignment and null checks stay off:
# unaligned access is legal on both machines and a NULL dereference
# faults anyway). KERNEL_HARDEN_EXPORTS are the runtime symbols
# instrumented services call.
KERNEL_UBSAN_CHECKS := shift,integer-divide-by-zero,signed-integer-overflow,$\
	unreachable,vla-bound,bool,enum,builtin,pointer-overflow,$\
	nonnull-attribute,returns-nonnull-attribute
KERNEL_HARDEN_CFLAGS := -fsanitize=bounds-strict \
	-fsanitize=$(KERNEL_UBSAN_CHECKS) -fstack-protector-strong \
	-mstack-protector-guard=global -Warray-bounds=2 \
	-fno-delete-null-pointer-checks
KERNEL_UBSAN_HANDLERS := out_of_bounds shift_out_of_bounds divrem_overflow \
	add_overflow sub_overflow mul_overflow negate_overflow \
	vla_bound_not_positive load_invalid_value invalid_builtin \
	pointer_overflow nonnull_arg nonnull_return_v1
KERNEL_HARDEN_EXPORTS := $(foreach h,$(KERNEL_UBSAN_HANDLERS),\
	__ubsan_handle_$(h) __ubsan_handle_$(h)_abort) \
	__ubsan_handle_builtin_unreachable __stack_chk_fail __stack_chk_guard

# Freestanding: the core and services never see libc headers.
FREESTANDING := -ffreestanding -nostdinc -isystem $(GCC_INC)

CORE_INC := -Icore/include -Icore -Ihal/include
SERVICES_INC := -Icore/include -Iservices/include

# Source sets shared by every target.
# (core/vdso/user/ is user code: built into the vDSO by mk/vdso.mk.)
CORE_SRCS := $(shell find core -name '*.c' -not -path 'core/include/*' \
	-not -path 'core/vdso/user/*' | sort)
SERVICES_SRCS := $(shell find services -name '*.c' -not -path '*/arch/*' | sort)

.PHONY: all run test lint bench asan asan-build deps clean \
	compile_commands.json
# Keep intermediate objects (user programs are built in two steps).
.SECONDARY:
all: hosted user abi userland checks

deps:
	$(Q)scripts/setup-deps

include mk/vdso.mk
include mk/hosted.mk
include mk/user.mk
include mk/abi.mk
include mk/userland.mk
include mk/checks.mk
include mk/fuzz.mk
-include mk/baremetal.mk

# The runner finds the build through KEEL_BUILD (default build/).
KEEL := KEEL_BUILD=$(BUILD) runner/keel

# keel run builds what it boots itself (kernel, keel-init, busybox).
run: deps
	$(Q)$(KEEL) run $(ARGS)

# Everything: the build is kept going past errors (-k) so that every suite
# still reports; a failed build is one more failure in the final count.
# Bare-metal targets join in once their mk/<arch>.mk fragment exists.
test: deps
	$(Q)$(MAKE) --no-print-directory -k all baremetal fuzz-build asan-build \
		$(SYSTEM_GOALS); \
	$(KEEL) test --target all --build-status $$?

lint: deps
	$(Q)runner/keel-lint

# tests/bench: freestanding static programs (bench.c is their runtime),
# one binary per program and user architecture, run everywhere by
# `keel bench` (runner/keeltool/cmd_bench.py). Not part of make test.
BENCH_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -ffreestanding \
	-fno-builtin -fno-stack-protector -fno-pie -nostdlib -static -no-pie \
	-Wl,--build-id=none
BENCH_PROGS := $(filter-out bench,$(basename $(notdir \
	$(wildcard tests/bench/*.c))))

# make bench BENCH_ARGS="native hosted" runs only those environments,
# BENCH_ARGS="--rows pipe,open native hosted" only those rows there.
bench: deps all baremetal
	$(Q)$(foreach a,$(USER_ARCHES),mkdir -p $(BUILD)/bench/$(a) && \
		$(foreach p,$(BENCH_PROGS),$(USER_CC_$(a)) $(BENCH_CFLAGS) \
		-o $(BUILD)/bench/$(a)/$(p) tests/bench/bench.c \
		tests/bench/$(p).c && ) ) true
	$(Q)$(KEEL) bench $(BENCH_ARGS)

# The hosted kernel with AddressSanitizer and UBSan in $(BUILD)/asan/hosted
# (core, HAL and services instrumented; the heap's poisoning hooks live;
# docs/hardening.md). make test runs its suites (asan-ktest, asan-user,
# asan-abi: any sanitizer report fails), make asan only those.
HOSTED_SANITIZERS := address,undefined
asan-build:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		HOSTED_SANITIZE=$(HOSTED_SANITIZERS) \
		$(BUILD)/asan/hosted/keel-kernel $(BUILD)/asan/hosted/keel-stub
asan: deps all asan-build
	$(Q)$(KEEL) test --no-build asan-ktest asan-user asan-abi

# Rebuilds everything (-B) under bear, without deleting the build; -k so
# that one broken file does not leave the database short.
compile_commands.json: deps
	$(Q)bear --output $@ -- $(MAKE) --no-print-directory -k -B all

clean:
	rm -rf $(BUILD)
