# Freestanding user test programs (tests/user/), one static Linux binary per
# source file and architecture: build/user/<arch>/<name>. They run natively
# on the host first (the oracle) and then on every Keel target.

USER_ARCHES := x86_64
ifneq ($(shell command -v riscv64-linux-gnu-gcc 2>/dev/null),)
USER_ARCHES += riscv64
endif
USER_CC_x86_64 := $(CC)
USER_CC_riscv64 := riscv64-linux-gnu-gcc

USER_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding \
	-fno-builtin -fno-stack-protector -fno-pie -Itests/user/include -MMD -MP
# separate-code keeps text out of writable segments (riscv's default
# layout otherwise merges small data into an RWX segment).
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-z,separate-code -Wl,-z,noexecstack

USER_PROGS := $(basename $(notdir $(wildcard tests/user/*.c)))
USER_LIB_SRCS := $(sort $(wildcard tests/user/lib/*.c))

define user_arch_rules
U_$(1) := $(BUILD)/user/$(1)
U_LIB_OBJS_$(1) := $$(patsubst tests/user/lib/%.c,$$(U_$(1))/lib/%.o,$(USER_LIB_SRCS)) \
	$$(patsubst tests/user/arch/$(1)/%.S,$$(U_$(1))/lib/%.o,$$(wildcard tests/user/arch/$(1)/*.S))

$$(U_$(1))/lib/%.o: tests/user/lib/%.c
	@mkdir -p $$(@D)
	$(Q)$$(USER_CC_$(1)) $$(USER_CFLAGS) -c $$< -o $$@
$$(U_$(1))/lib/%.o: tests/user/arch/$(1)/%.S
	@mkdir -p $$(@D)
	$(Q)$$(USER_CC_$(1)) $$(USER_CFLAGS) -c $$< -o $$@
$$(U_$(1))/obj/%.o: tests/user/%.c
	@mkdir -p $$(@D)
	$(Q)$$(USER_CC_$(1)) $$(USER_CFLAGS) -c $$< -o $$@
$$(U_$(1))/%: $$(U_$(1))/obj/%.o $$(U_LIB_OBJS_$(1))
	$(Q)$$(USER_CC_$(1)) $$(USER_LDFLAGS) -o $$@ $$^

# A malformed executable for the user suite: hello with its last segment
# running past the end of the file (tests/user/elf_truncate).
$$(U_$(1))/elf_truncated: $$(U_$(1))/hello tests/user/elf_truncate
	$(Q)tests/user/elf_truncate $$< $$@

# The system-call fuzzer (tests/fuzz/sysfuzz/): a user program that also
# sees the kernel's list of call numbers for its architecture.
$$(U_$(1))/obj/sysfuzz.o: tests/fuzz/sysfuzz/sysfuzz.c
	@mkdir -p $$(@D)
	$(Q)$$(USER_CC_$(1)) $$(USER_CFLAGS) -Iservices/arch/$(1)/include \
		-c $$< -o $$@

user: $$(addprefix $$(U_$(1))/,$(USER_PROGS)) $$(U_$(1))/elf_truncated \
	$$(U_$(1))/sysfuzz
endef

.PHONY: user
$(foreach a,$(USER_ARCHES),$(eval $(call user_arch_rules,$(a))))

-include $(shell find $(BUILD)/user -name '*.d' 2>/dev/null)
