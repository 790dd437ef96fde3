# Linux ABI test programs (tests/abi/): ordinary C programs against a real
# libc, each built static once per variant into build/abi/<variant>/<name>:
#   x86_64-glibc   gcc -static
#   x86_64-musl    musl-gcc -static (Debian's musl-tools)
#   riscv64-glibc  riscv64-linux-gnu-gcc -static (libc6-dev-riscv64-cross)
# A variant whose compiler is missing is left out (the abi suite then says
# so). They run natively first, the oracle (riscv64 under
# qemu-riscv64-static), then on Keel (runner/keeltool/suite_abi.py).

ABI_CC_x86_64-glibc := gcc
ABI_CC_x86_64-musl := musl-gcc
ABI_CC_riscv64-glibc := riscv64-linux-gnu-gcc
ABI_VARIANTS := $(foreach v,x86_64-glibc x86_64-musl riscv64-glibc,\
	$(if $(shell command -v $(ABI_CC_$(v)) 2>/dev/null),$(v)))

ABI_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -static \
	-Itests/abi/include -MMD -MP
ABI_PROGS := $(basename $(notdir $(wildcard tests/abi/*.c)))

# tests/abi/badptr.c's cases come from the variant's syscall table
# (scripts/gen-badptr-cases), so that a new handler is covered at once.
ABI_ARCH_x86_64-glibc := x86_64
ABI_ARCH_x86_64-musl := x86_64
ABI_ARCH_riscv64-glibc := riscv64
ABI_GEN_DEPS := scripts/gen-badptr-cases scripts/gen-syscall-docs \
	$(shell find services -name '*.c') \
	$(wildcard services/arch/*/include/svc/syscall_list.h)

$(BUILD)/abi/gen/%/badptr_cases.h: $(ABI_GEN_DEPS)
	@mkdir -p $(@D)
	$(Q)scripts/gen-badptr-cases --arch $* > $@.tmp && mv $@.tmp $@

define abi_variant_rules
$(BUILD)/abi/$(1)/%: tests/abi/%.c
	@mkdir -p $$(@D)
	$(Q)$$(ABI_CC_$(1)) $$(ABI_CFLAGS) \
		-I$(BUILD)/abi/gen/$$(ABI_ARCH_$(1)) -o $$@ $$<

$(BUILD)/abi/$(1)/badptr: $(BUILD)/abi/gen/$$(ABI_ARCH_$(1))/badptr_cases.h

abi: $$(addprefix $(BUILD)/abi/$(1)/,$(ABI_PROGS))
endef

.PHONY: abi
abi:
$(foreach v,$(ABI_VARIANTS),$(eval $(call abi_variant_rules,$(v))))

-include $(shell find $(BUILD)/abi -name '*.d' 2>/dev/null)
