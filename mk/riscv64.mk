# The riscv64 bare-metal kernel for QEMU virt with OpenSBI (-bios default):
# $(BUILD)/riscv64/keel.elf, linked at 0xffffffff80200000 and loaded at
# physical 0x80200000 (hal/baremetal/riscv64/kernel.ld).
#
#   core + ktests + hal/baremetal/{riscv64,common}  -> core.o (ld -r, only
#       the public API stays global, as on hosted)
#   services (with services/arch/riscv64/include)  -> linked against it
# Two-pass link: pass 1 with an empty symbol table, then scripts/gen-ksyms
# turns its symbols into the table linked last by pass 2 (no symbol moves;
# the recipe checks it).

RV_CROSS ?= riscv64-linux-gnu-
ifneq ($(shell command -v $(RV_CROSS)gcc 2>/dev/null),)

RV := $(BUILD)/riscv64
RV_CC := $(RV_CROSS)gcc
RV_LD := $(RV_CROSS)ld
RV_NM := $(RV_CROSS)nm
RV_OBJCOPY := $(RV_CROSS)objcopy
RV_GCC_INC := $(shell $(RV_CC) -print-file-name=include)
RV_HAL_DIR := hal/baremetal/riscv64

# The kernel itself has no F/D code: only trap.S touches user FP state.
RV_ARCH_FLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-mno-relax -fno-pie \
	-fno-asynchronous-unwind-tables -fno-unwind-tables
RV_CFLAGS := $(KERNEL_BASE_CFLAGS) -DKEEL_DEBUG=1 -ffreestanding -nostdinc \
	-isystem $(RV_GCC_INC) $(RV_ARCH_FLAGS) $(KERNEL_HARDEN_CFLAGS)
RV_CORE_CFLAGS := $(RV_CFLAGS) -DKEEL_CORE $(CORE_INC) -I$(RV_HAL_DIR)/include \
	-Ihal/baremetal/common/include -Icore/arch/riscv64/include
RV_SVC_CFLAGS := $(RV_CFLAGS) $(SERVICES_INC) -Icore/arch/riscv64/include \
	-Iservices/arch/riscv64/include
RV_LDFLAGS := -nostdlib -static --no-relax -z max-page-size=4096 \
	-z noexecstack -T $(RV_HAL_DIR)/kernel.ld

RV_HAL_SRCS := $(sort $(wildcard $(RV_HAL_DIR)/*.c $(RV_HAL_DIR)/*.S \
	hal/baremetal/common/*.c))
RV_SVC_ARCH_SRCS := $(sort $(wildcard services/arch/riscv64/*.c))

rv_obj = $(patsubst %,$(RV)/obj/%.o,$(basename $(1)))
RV_CORE_OBJS := $(call rv_obj,$(CORE_SRCS) $(KTEST_SRCS) $(RV_HAL_SRCS)) \
	$(VDSO_BLOB_riscv64)
RV_SVC_OBJS := $(call rv_obj,$(SERVICES_SRCS) $(RV_SVC_ARCH_SRCS))

# The object set, rewritten only when it changes: removing a source file
# relinks too.
RV_OBJ_LIST := $(RV)/objects.list
RV_OBJ_SET := $(RV_CORE_OBJS) $(RV_SVC_OBJS)
ifneq ($(RV_OBJ_SET),$(shell cat $(RV_OBJ_LIST) 2>/dev/null))
$(shell mkdir -p $(RV) && echo "$(RV_OBJ_SET)" > $(RV_OBJ_LIST))
endif

$(RV)/obj/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(Q)$(RV_CC) $(RV_CORE_CFLAGS) -c $< -o $@
$(RV)/obj/tests/ktest/%.o: tests/ktest/%.c
	@mkdir -p $(@D)
	$(Q)$(RV_CC) $(RV_CORE_CFLAGS) -c $< -o $@
$(RV)/obj/hal/%.o: hal/%.c
	@mkdir -p $(@D)
	$(Q)$(RV_CC) $(RV_CORE_CFLAGS) -c $< -o $@
$(RV)/obj/hal/%.o: hal/%.S
	@mkdir -p $(@D)
	$(Q)$(RV_CC) $(RV_CORE_CFLAGS) -c $< -o $@
$(RV)/obj/services/%.o: services/%.c
	@mkdir -p $(@D)
	$(Q)$(RV_CC) $(RV_SVC_CFLAGS) -c $< -o $@

$(RV)/obj/services/syscall/table.o: $(CHK)/syscalls-riscv64.ok

# _start must stay global for the linker script's ENTRY.
$(RV)/exports.txt: $(wildcard core/include/keel/*.h) scripts/gen-exports
	@mkdir -p $(@D)
	$(Q)scripts/gen-exports $(RV_CC) "$(RV_CORE_CFLAGS)" _start \
		$(KERNEL_HARDEN_EXPORTS) > $@

$(RV)/core.o: $(RV_CORE_OBJS) $(RV)/exports.txt $(RV_OBJ_LIST)
	$(Q)$(RV_LD) -r -o $@.tmp $(RV_CORE_OBJS)
	$(Q)$(RV_OBJCOPY) --keep-global-symbols=$(RV)/exports.txt $@.tmp $@
	@rm -f $@.tmp

$(RV)/ksyms-empty.S: scripts/gen-ksyms
	@mkdir -p $(@D)
	$(Q)scripts/gen-ksyms --empty > $@
$(RV)/%.o: $(RV)/%.S
	$(Q)$(RV_CC) $(RV_CFLAGS) -c $< -o $@

$(RV)/keel.pass1.elf: $(RV)/core.o $(RV_SVC_OBJS) $(RV)/ksyms-empty.o \
		$(RV_HAL_DIR)/kernel.ld $(RV_OBJ_LIST)
	$(Q)$(RV_LD) $(RV_LDFLAGS) -o $@ $(RV)/core.o $(RV_SVC_OBJS) \
		$(RV)/ksyms-empty.o

$(RV)/ksyms.S: $(RV)/keel.pass1.elf scripts/gen-ksyms
	$(Q)scripts/gen-ksyms $(RV_NM) $< > $@

$(RV)/keel.elf: $(RV)/keel.pass1.elf $(RV)/ksyms.o
	@echo "  LD      $@"
	$(Q)$(RV_LD) $(RV_LDFLAGS) -o $@ $(RV)/core.o $(RV_SVC_OBJS) \
		$(RV)/ksyms.o
	$(Q)test "$$($(RV_NM) $< | grep ' __ksyms_start$$')" = \
		"$$($(RV_NM) $@ | grep ' __ksyms_start$$')" || \
		{ echo "riscv64: pass 2 moved symbols" >&2; rm -f $@; exit 1; }

.PHONY: riscv64
riscv64: $(RV)/keel.elf
baremetal: $(RV)/keel.elf

# Boot tests (tests/boot/riscv64/run): the device-tree reader built for
# the host under the sanitizers, and a user program checking FP state.
RV_FDT_FUZZ_SRCS := tests/boot/riscv64/fdt_fuzz.c $(RV_HAL_DIR)/fdt.c \
	$(RV_HAL_DIR)/devtree.c
$(RV)/tests/fdt_fuzz: $(RV_FDT_FUZZ_SRCS) $(wildcard $(RV_HAL_DIR)/*.h) \
	tests/boot/riscv64/fdt_sane.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(WARN) -g -O1 -fsanitize=address,undefined \
		-fno-sanitize-recover=all -DKEEL_CORE $(CORE_INC) \
		-I$(RV_HAL_DIR)/include -I$(RV_HAL_DIR) -o $@ $(RV_FDT_FUZZ_SRCS)
$(RV)/tests/fp_regs: tests/boot/riscv64/fp_regs.c $(U_LIB_OBJS_riscv64)
	@mkdir -p $(@D)
	$(Q)$(USER_CC_riscv64) $(filter-out -MMD -MP,$(USER_CFLAGS)) \
		-msmall-data-limit=0 \
		$(USER_LDFLAGS) -o $@ $^

.PHONY: riscv64-boot-test
riscv64-boot-test: $(RV)/keel.elf $(RV)/tests/fdt_fuzz $(RV)/tests/fp_regs
	$(Q)tests/boot/riscv64/run $(BUILD)

-include $(shell find $(RV)/obj -name '*.d' 2>/dev/null)

endif
