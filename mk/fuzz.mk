# libFuzzer harnesses of the parsers of untrusted input (tests/fuzz/,
# issue 11): build/fuzz/fuzz_<name>, one per tests/fuzz/fuzz_<name>.c.
#
#   make fuzz-build            the harnesses (clang, libFuzzer, ASan, UBSan)
#   make fuzz [FUZZ_S=N]       runs every harness for N seconds in all
#                              (default 60), split evenly, and prints
#                              "fuzz_<name>: execs N, crashes N" per target;
#                              meanwhile, on the other core, the system-call
#                              fuzzer (tests/fuzz/sysfuzz/) for N seconds on
#                              the ASan + UBSan hosted kernel, printing
#                              "sysfuzz (hosted): calls N, kernel failures N"
#
# The code under test is compiled again with clang into build/fuzz/obj/,
# as the hosted kernel is (core and services freestanding, the hosted HAL
# as host code), but with coverage for libFuzzer (-fsanitize=fuzzer-no-link)
# and ASan + UBSan instead of the GCC-only hardening flags: ASan makes any
# read or write out of bounds (of the input buffer, a stack object or a
# kmalloc object, which the heap describes to ASan: docs/hardening.md) a
# crash, UBSan any undefined arithmetic. The objects go into an archive, so
# a harness links only what its parser needs. core/lib/ubsan.c and
# stack_protector.c stay out: clang's sanitizer runtime is the UBSan
# runtime here, and no stack protector is compiled in.

FUZZ_CC ?= clang
FZ := $(BUILD)/fuzz
FUZZ_S ?= 60

FUZZ_CLANG_INC = $(shell $(FUZZ_CC) -print-resource-dir)/include
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_BASE_CFLAGS := $(WARN) -g -O1 -fno-omit-frame-pointer \
	-fno-strict-aliasing -MMD -MP -DKEEL_DEBUG=1 $(FUZZ_SAN)
# The code under test: coverage instrumentation, no fuzzer main.
FZ_CUT_CFLAGS := $(FUZZ_BASE_CFLAGS) -fsanitize=fuzzer-no-link
FZ_CORE_CFLAGS = $(FZ_CUT_CFLAGS) -ffreestanding -nostdinc \
	-isystem $(FUZZ_CLANG_INC) -DKEEL_CORE $(CORE_INC) $(H_ARCH_INC) \
	-Ihal/hosted/include
FZ_SVC_CFLAGS = $(FZ_CUT_CFLAGS) -ffreestanding -nostdinc \
	-isystem $(FUZZ_CLANG_INC) $(SERVICES_INC) $(H_ARCH_INC) \
	-Iservices/arch/$(HOSTED_ARCH)/include
FZ_HAL_CFLAGS := $(FZ_CUT_CFLAGS) -D_GNU_SOURCE -DKEEL_CORE $(CORE_INC) \
	-Ihal/hosted/include
# The riscv64 device-tree reader, built for the host (as fdt_fuzz is).
FZ_RV_HAL_DIR := hal/baremetal/riscv64
FZ_RV_INC := -DKEEL_CORE $(CORE_INC) -Icore/arch/riscv64/include \
	-I$(FZ_RV_HAL_DIR)/include -I$(FZ_RV_HAL_DIR)
FZ_RV_CFLAGS := $(FZ_CUT_CFLAGS) $(FZ_RV_INC)
# riscv64's signal frame and user context for fuzz_sigframe_rv: services/
# arch/riscv64/sigframe.c, core/sched/user.c (the uctx_* wrappers) and the
# riscv64 HAL's uctx.c, compiled for the host against riscv64's headers
# (its struct user_ctx, user_regs and ucontext), as the riscv64 kernel
# builds them. They define the same names as the hosted (x86-64) code
# beside them in the harness, so they are linked into one object whose
# global symbols get an rv_ prefix (references among the three included):
# the harness calls rv_sigframe_restore & co., and the x86-64 core below
# gives them user memory (copy_*_user), the heap and the vDSO lookup.
FZ_RVU_SVC_CFLAGS = $(FZ_CUT_CFLAGS) -ffreestanding -nostdinc \
	-isystem $(FUZZ_CLANG_INC) $(SERVICES_INC) \
	-Icore/arch/riscv64/include -Iservices/arch/riscv64/include
FZ_RVU_CORE_CFLAGS = $(FZ_CUT_CFLAGS) -ffreestanding -nostdinc \
	-isystem $(FUZZ_CLANG_INC) $(FZ_RV_INC)
FZ_RVU_OBJS := $(FZ)/obj-rv/sigframe.o $(FZ)/obj-rv/user.o \
	$(FZ)/obj-rv/uctx.o
FZ_RVU := $(FZ)/riscv64-uctx.o

# The harnesses: host code that sees core internals, services and the
# riscv64 device-tree reader's headers.
FZ_HARNESS_CFLAGS := $(FUZZ_BASE_CFLAGS) -fsanitize=fuzzer -D_GNU_SOURCE \
	-DKEEL_CORE $(CORE_INC) $(H_ARCH_INC) -Ihal/hosted/include \
	-Iservices/include -Iservices/arch/$(HOSTED_ARCH)/include -Itests/fuzz

FZ_CORE_SRCS := $(filter-out core/lib/ubsan.c core/lib/stack_protector.c,\
	$(CORE_SRCS))
FZ_HAL_SRCS := $(filter-out hal/hosted/main.c,$(HAL_HOSTED_SRCS))
FZ_SVC_SRCS := $(SERVICES_SRCS) \
	$(sort $(wildcard services/arch/$(HOSTED_ARCH)/*.c))
FZ_RV_SRCS := $(FZ_RV_HAL_DIR)/fdt.c $(FZ_RV_HAL_DIR)/devtree.c

fz_obj = $(patsubst %,$(FZ)/obj/%.o,$(basename $(1)))

FZ_LIB_OBJS := $(call fz_obj,$(FZ_CORE_SRCS) $(FZ_HAL_SRCS) $(FZ_SVC_SRCS))
FZ_RV_OBJS := $(call fz_obj,$(FZ_RV_SRCS))
FZ_COMMON_SRCS := $(filter-out tests/fuzz/fuzz_%.c,\
	$(sort $(wildcard tests/fuzz/*.c)))
FZ_COMMON_OBJS := $(call fz_obj,$(FZ_COMMON_SRCS))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,\
	$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(addprefix $(FZ)/,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

# KEEL_FUZZ_S and KEEL_SYSFUZZ_S switch the runner's fuzz and sysfuzz
# suites from the bounded smoke of make test to campaigns
# (runner/keeltool/suite_fuzz.py, suite_sysfuzz.py). The two run side by
# side, one core each; the syscall fuzzer's report follows the harnesses'.
fuzz: deps fuzz-build asan-build user
	$(Q)mkdir -p $(FZ); \
	KEEL_SYSFUZZ_S=$(FUZZ_S) $(KEEL) test --no-build sysfuzz \
		> $(FZ)/sysfuzz.log 2>&1 & sysfuzz=$$!; \
	KEEL_FUZZ_S=$(FUZZ_S) $(KEEL) test --no-build fuzz; harnesses=$$?; \
	wait $$sysfuzz; status=$$?; cat $(FZ)/sysfuzz.log; \
	exit $$((harnesses | status))

$(FZ)/obj/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_CORE_CFLAGS) -c $< -o $@
$(FZ)/obj/services/%.o: services/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_SVC_CFLAGS) -c $< -o $@
$(FZ)/obj/hal/hosted/%.o: hal/hosted/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_HAL_CFLAGS) -c $< -o $@
$(FZ)/obj/hal/hosted/%.o: hal/hosted/%.S
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_HAL_CFLAGS) -c $< -o $@
$(FZ)/obj/hal/shared/%.o: hal/shared/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_HAL_CFLAGS) -c $< -o $@
$(FZ)/obj/$(FZ_RV_HAL_DIR)/%.o: $(FZ_RV_HAL_DIR)/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_RV_CFLAGS) -c $< -o $@
$(FZ)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_HARNESS_CFLAGS) -c $< -o $@
# The device-tree harness sees the riscv64 HAL's headers, not hosted's.
$(FZ)/obj/tests/fuzz/fuzz_fdt.o: FZ_HARNESS_CFLAGS = $(FUZZ_BASE_CFLAGS) \
	-fsanitize=fuzzer $(FZ_RV_INC) -Itests/fuzz
# The riscv64 signal-frame harness sees riscv64's headers too.
$(FZ)/obj/tests/fuzz/fuzz_sigframe_rv.o: FZ_HARNESS_CFLAGS = \
	$(FUZZ_BASE_CFLAGS) -fsanitize=fuzzer $(FZ_RV_INC) \
	-Iservices/include -Iservices/arch/riscv64/include -Itests/fuzz
$(FZ)/obj-rv/sigframe.o: services/arch/riscv64/sigframe.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_RVU_SVC_CFLAGS) -c $< -o $@
$(FZ)/obj-rv/user.o: core/sched/user.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_RVU_CORE_CFLAGS) -c $< -o $@
$(FZ)/obj-rv/uctx.o: $(FZ_RV_HAL_DIR)/uctx.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FZ_RVU_CORE_CFLAGS) -c $< -o $@
$(FZ_RVU): $(FZ_RVU_OBJS)
	$(Q)ld -r -o $@.all $^
	$(Q)nm -g --defined-only $@.all | \
		awk '{ print $$3 " rv_" $$3 }' > $@.syms
	$(Q)objcopy --redefine-syms=$@.syms $@.all $@
$(FZ)/fuzz_sigframe_rv: $(FZ_RVU)
# Its deliberate bugs use GCC's noipa, which clang does not know.
$(FZ)/obj/services/selftest/selftest.o: FZ_SVC_CFLAGS += -Wno-unknown-attributes
# The syscall table is built from the list only once the list is checked.
$(FZ)/obj/services/syscall/table.o: $(CHK)/syscalls-$(HOSTED_ARCH).ok

# (The embedded vDSO image too: core/vdso/vdso.c refers to it.)
$(FZ)/libkeel.a: $(FZ_LIB_OBJS) $(FZ_RV_OBJS) $(VDSO_BLOB_x86_64)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(FZ)/fuzz_%: $(FZ)/obj/tests/fuzz/fuzz_%.o $(FZ_COMMON_OBJS) $(FZ)/libkeel.a
	@echo "  LD      $@"
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ \
		$(filter-out %.a,$^) $(filter %.a,$^) $(H_LIBS)

-include $(shell find $(FZ)/obj -name '*.d' 2>/dev/null)
