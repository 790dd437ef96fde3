# The hosted target: the kernel as a Linux process (build/hosted/).
#
#   build/hosted/keel-kernel   core + hosted HAL + services (+ in-kernel tests)
#   build/hosted/keel-stub     the user-program stub process (freestanding)
#   build/hosted/unit-tests    Check suites for core and service internals

H := $(BUILD)/hosted
HOSTED_ARCH := x86_64

H_CFLAGS := $(KERNEL_BASE_CFLAGS) -DKEEL_DEBUG=1
# HOSTED_SANITIZE=address,undefined: the kernel (core, HAL, services, unit
# tests) under ASan, which the heap's poisoning hooks feed, and UBSan; a
# report stops the kernel. `make asan` builds it into $(BUILD)/asan
# (docs/hardening.md).
HOSTED_SANITIZE ?=
ifneq ($(HOSTED_SANITIZE),)
H_CFLAGS += -fsanitize=$(HOSTED_SANITIZE) -fno-sanitize-recover=all
endif
# The runtimes read their settings from these (hal/hosted/sanitizer.c).
H_SANITIZER_EXPORTS := $(if $(HOSTED_SANITIZE),__asan_default_options \
	__ubsan_default_options)
H_ARCH_INC := -Icore/arch/$(HOSTED_ARCH)/include
H_CORE_CFLAGS := $(H_CFLAGS) $(FREESTANDING) $(KERNEL_HARDEN_CFLAGS) \
	-DKEEL_CORE $(CORE_INC) $(H_ARCH_INC) \
	-Ihal/hosted/include
H_HAL_CFLAGS := $(H_CFLAGS) -D_GNU_SOURCE -DKEEL_CORE $(CORE_INC) \
	-Ihal/hosted/include
H_SVC_CFLAGS := $(H_CFLAGS) $(FREESTANDING) $(KERNEL_HARDEN_CFLAGS) \
	$(SERVICES_INC) $(H_ARCH_INC) \
	-Iservices/arch/$(HOSTED_ARCH)/include
H_UNIT_CFLAGS := $(H_CFLAGS) -D_GNU_SOURCE -DKEEL_CORE $(CORE_INC) $(H_ARCH_INC) \
	-Ihal/hosted/include -Iservices/include \
	-Iservices/arch/$(HOSTED_ARCH)/include -Itests/unit

HAL_HOSTED_SRCS := $(sort $(wildcard hal/hosted/*.c hal/hosted/*.S)) \
	hal/shared/uctx_x86_64.c hal/shared/tsc_clock.c \
	hal/shared/probe_x86_64.c hal/shared/pt_audit_x86_64.c
KTEST_SRCS := $(sort $(wildcard tests/ktest/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
# Plain-C parsers of the bare-metal backends, unit-tested on the host.
UNIT_HAL_SRCS := hal/baremetal/x86_64/acpi.c
STUB_SRCS := $(sort $(wildcard hal/hosted/stub/*.c hal/hosted/stub/*.S))

obj = $(patsubst %,$(H)/obj/%.o,$(basename $(1)))

# The sanitizer build links GCC's UBSan runtime: the core's own stays out.
H_CORE_OBJS := $(call obj,$(if $(HOSTED_SANITIZE),\
	$(filter-out core/lib/ubsan.c,$(CORE_SRCS)),$(CORE_SRCS)) $(KTEST_SRCS)) \
	$(VDSO_BLOB_x86_64)
H_HAL_OBJS := $(call obj,$(filter-out hal/hosted/main.c,$(HAL_HOSTED_SRCS)))
H_MAIN_OBJ := $(call obj,hal/hosted/main.c)
H_SVC_OBJS := $(call obj,$(SERVICES_SRCS) \
	$(sort $(wildcard services/arch/$(HOSTED_ARCH)/*.c)))
H_UNIT_OBJS := $(call obj,$(UNIT_SRCS) $(UNIT_HAL_SRCS))
H_STUB_OBJS := $(call obj,$(STUB_SRCS))

H_LIBS := -lunwind -lpthread -lseccomp \
	$(if $(HOSTED_SANITIZE),-fsanitize=$(HOSTED_SANITIZE))
H_UNIT_LIBS := -lcheck -lsubunit -lm -lrt $(H_LIBS)

.PHONY: hosted
hosted: $(H)/keel-kernel $(H)/keel-stub $(H)/unit-tests

$(H)/obj/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_CORE_CFLAGS) -c $< -o $@
$(H)/obj/tests/ktest/%.o: tests/ktest/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_CORE_CFLAGS) -c $< -o $@
$(H)/obj/hal/hosted/stub/%.o: hal/hosted/stub/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(STUB_CFLAGS) -c $< -o $@
$(H)/obj/hal/hosted/stub/%.o: hal/hosted/stub/%.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(STUB_CFLAGS) -c $< -o $@
$(H)/obj/hal/hosted/%.o: hal/hosted/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_HAL_CFLAGS) -c $< -o $@
$(H)/obj/hal/hosted/%.o: hal/hosted/%.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_HAL_CFLAGS) -c $< -o $@
$(H)/obj/hal/shared/%.o: hal/shared/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_HAL_CFLAGS) -c $< -o $@
$(H)/obj/services/%.o: services/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_SVC_CFLAGS) -c $< -o $@
# The table is built from the list only once the list is checked.
$(H)/obj/services/syscall/table.o: $(CHK)/syscalls-$(HOSTED_ARCH).ok
$(H)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_UNIT_CFLAGS) -c $< -o $@
$(H)/obj/hal/baremetal/%.o: hal/baremetal/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(H_UNIT_CFLAGS) -c $< -o $@

# The allow-list of symbols the core exports to services: every function
# declared in core/include/keel/*.h, plus what the host C runtime needs.
$(H)/exports.txt: $(wildcard core/include/keel/*.h) scripts/gen-exports
	@mkdir -p $(@D)
	$(Q)scripts/gen-exports $(CC) "$(H_CORE_CFLAGS)" main \
		$(KERNEL_HARDEN_EXPORTS) $(H_SANITIZER_EXPORTS) > $@

# The trusted core as one relocatable object whose only global symbols are
# the public API: services cannot link against core internals.
$(H)/core.o: $(H_CORE_OBJS) $(H_HAL_OBJS) $(H_MAIN_OBJ) $(H)/exports.txt
	$(Q)$(LD) -r -o $@.tmp $(H_CORE_OBJS) $(H_HAL_OBJS) $(H_MAIN_OBJ)
	$(Q)objcopy --keep-global-symbols=$(H)/exports.txt $@.tmp $@
	@rm -f $@.tmp

$(H)/keel-kernel: $(H)/core.o $(H_SVC_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) -o $@ $^ $(H_LIBS)

# Unit tests link the core's internals directly (no main from the HAL).
$(H)/unit-tests: $(H_UNIT_OBJS) $(H_CORE_OBJS) $(H_HAL_OBJS) $(H_SVC_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) -o $@ $^ $(H_UNIT_LIBS)

# The stub: freestanding, static, linked high in the address space so that
# user programs can have everything below HAL_USER_VA_MAX.
STUB_CFLAGS := $(WARN) -g -O2 -ffreestanding -fpie -fvisibility=hidden \
	-fno-stack-protector -fcf-protection=none \
	-fno-builtin -fno-asynchronous-unwind-tables -mgeneral-regs-only \
	-DKEEL_CORE $(CORE_INC) -Ihal/hosted/include -MMD -MP
STUB_LDFLAGS := -nostdlib -static -no-pie -Wl,-Ttext-segment=0x7f8000000000 \
	-Wl,--build-id=none

$(H)/keel-stub: $(H_STUB_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(STUB_LDFLAGS) -o $@ $^

-include $(shell find $(H)/obj -name '*.d' 2>/dev/null)
