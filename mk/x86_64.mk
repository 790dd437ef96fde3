# The bare-metal x86_64 kernel: $(BUILD)/x86_64/keel.elf, a 64-bit ELF that
# qemu-system-x86_64 boots with -kernel through its PVH entry note.
#
#   core/ + tests/ktest + hal/baremetal/{x86_64,common}  -> core.o (ld -r,
#       only the public API and the C runtime's mem* stay global)
#   services/                                            -> linked beside it
#   two-pass link: pass 1 with an empty symbol table, `nm` of it feeds
#   scripts/gen-ksyms, pass 2 embeds the table (.ksyms, last in the image).

X86 := $(BUILD)/x86_64
X86_HAL_DIR := hal/baremetal/x86_64

X86_KFLAGS := $(KERNEL_BASE_CFLAGS) -DKEEL_DEBUG=1 $(FREESTANDING) \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pie -fno-pic \
	-fno-asynchronous-unwind-tables $(KERNEL_HARDEN_CFLAGS)
X86_CORE_CFLAGS := $(X86_KFLAGS) -DKEEL_CORE $(CORE_INC) \
	-I$(X86_HAL_DIR)/include -Ihal/baremetal/common/include \
	-Icore/arch/x86_64/include
X86_SVC_CFLAGS := $(X86_KFLAGS) $(SERVICES_INC) -Icore/arch/x86_64/include \
	-Iservices/arch/x86_64/include
X86_NM ?= nm
X86_LDFLAGS := -nostdlib -static -z max-page-size=4096 --no-warn-rwx-segments

X86_KTEST_SRCS := $(sort $(wildcard tests/ktest/*.c))
X86_HAL_SRCS := $(sort $(wildcard $(X86_HAL_DIR)/*.c $(X86_HAL_DIR)/*.S \
	hal/baremetal/common/*.c)) hal/shared/uctx_x86_64.c \
	hal/shared/tsc_clock.c hal/shared/probe_x86_64.c \
	hal/shared/pt_audit_x86_64.c

x86_obj = $(patsubst %,$(X86)/obj/%.o,$(basename $(1)))
X86_CORE_OBJS := $(call x86_obj,$(CORE_SRCS) $(X86_KTEST_SRCS) $(X86_HAL_SRCS)) \
	$(VDSO_BLOB_x86_64)
X86_SVC_OBJS := $(call x86_obj,$(SERVICES_SRCS) \
	$(sort $(wildcard services/arch/x86_64/*.c)))

# The C runtime symbols compiler-generated code in services may call, and
# the entry point the linker script names.
X86_RUNTIME_EXPORTS := memcpy memmove memset memcmp pvh_start32 \
	$(KERNEL_HARDEN_EXPORTS)

.PHONY: x86_64
x86_64: $(X86)/keel.elf
baremetal: x86_64

$(X86)/obj/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(X86_CORE_CFLAGS) -c $< -o $@
$(X86)/obj/tests/ktest/%.o: tests/ktest/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(X86_CORE_CFLAGS) -c $< -o $@
$(X86)/obj/hal/%.o: hal/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(X86_CORE_CFLAGS) -c $< -o $@
$(X86)/obj/hal/%.o: hal/%.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(X86_CORE_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(X86)/obj/services/%.o: services/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(X86_SVC_CFLAGS) -c $< -o $@

$(X86)/obj/services/syscall/table.o: $(CHK)/syscalls-x86_64.ok

$(X86)/exports.txt: $(wildcard core/include/keel/*.h) scripts/gen-exports
	@mkdir -p $(@D)
	$(Q)scripts/gen-exports $(CC) "$(X86_CORE_CFLAGS)" \
		$(X86_RUNTIME_EXPORTS) > $@

$(X86)/core.o: $(X86_CORE_OBJS) $(X86)/exports.txt
	$(Q)$(LD) -r -o $@.tmp $(X86_CORE_OBJS)
	$(Q)objcopy --keep-global-symbols=$(X86)/exports.txt $@.tmp $@
	@rm -f $@.tmp

$(X86)/kernel.ld: $(X86_HAL_DIR)/kernel.lds $(X86_HAL_DIR)/layout.h
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x c -D__ASSEMBLY__ -I$(X86_HAL_DIR) $< -o $@

$(X86)/ksyms-empty.S: scripts/gen-ksyms
	@mkdir -p $(@D)
	$(Q)scripts/gen-ksyms --empty > $@
$(X86)/%.o: $(X86)/%.S
	$(Q)$(CC) -c $< -o $@

X86_LINK_INPUTS := $(X86)/kernel.ld $(X86)/core.o $(X86_SVC_OBJS)

$(X86)/keel.pass1.elf: $(X86_LINK_INPUTS) $(X86)/ksyms-empty.o
	$(Q)$(LD) $(X86_LDFLAGS) -T $(X86)/kernel.ld -o $@ $(X86)/core.o \
		$(X86_SVC_OBJS) $(X86)/ksyms-empty.o

$(X86)/ksyms.S: $(X86)/keel.pass1.elf scripts/gen-ksyms
	$(Q)scripts/gen-ksyms $(X86_NM) $< > $@

# Pass 2; the check proves no code moved, so the table is exact.
$(X86)/keel.elf: $(X86_LINK_INPUTS) $(X86)/ksyms.o
	@echo "  LD      $@"
	$(Q)$(LD) $(X86_LDFLAGS) -T $(X86)/kernel.ld -o $@.tmp $(X86)/core.o \
		$(X86_SVC_OBJS) $(X86)/ksyms.o
	$(Q)scripts/gen-ksyms $(X86_NM) $@.tmp | cmp -s - $(X86)/ksyms.S || \
		{ echo "x86_64: symbol table moved between link passes" >&2; \
		  exit 1; }
	$(Q)mv $@.tmp $@

-include $(shell find $(X86)/obj -name '*.d' 2>/dev/null)
