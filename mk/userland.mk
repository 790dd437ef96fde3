# Keel's own user programs (userland/): the pieces of the system `keel run`
# boots (docs/runner.md, "The root file system"). Each is an ordinary C
# program against glibc, static, built per user architecture into
# build/userland/<arch>/<name>:
#   keel-init   userland/init/: pid 1, runs the requested program
# The root file system's busybox for riscv64, which Debian bookworm does
# not build, comes from scripts/fetch-busybox (make busybox-riscv64).

USERLAND_CC_x86_64 := gcc
USERLAND_CC_riscv64 := riscv64-linux-gnu-gcc
USERLAND_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -static
INIT_SRCS := $(sort $(wildcard userland/init/*.c))
INIT_HDRS := $(wildcard userland/init/*.h)

define userland_arch_rules
$(BUILD)/userland/$(1)/keel-init: $(INIT_SRCS) $(INIT_HDRS)
	@mkdir -p $$(@D)
	$(Q)$$(USERLAND_CC_$(1)) $$(USERLAND_CFLAGS) -o $$@ $$(INIT_SRCS)

userland: $(BUILD)/userland/$(1)/keel-init
endef

.PHONY: userland busybox-riscv64
userland:
$(foreach a,$(USER_ARCHES),$(eval $(call userland_arch_rules,$(a))))

# Debian's busybox-static for riscv64, cached: downloaded once.
BUSYBOX_RISCV64 := $(BUILD)/busybox/riscv64/busybox
busybox-riscv64: $(BUSYBOX_RISCV64)
$(BUSYBOX_RISCV64): | scripts/fetch-busybox
	$(Q)scripts/fetch-busybox riscv64 $@

# What make test builds for the system suite beyond all.
SYSTEM_GOALS := system-tests $(if $(filter riscv64,$(USER_ARCHES)),busybox-riscv64)

# Host-built static programs of the system suite (tests/system/), which
# `keel run --add` copies into the image: build/system/<arch>/<name>.
SYSTEM_TEST_PROGS := $(basename $(notdir $(wildcard tests/system/*.c)))

define system_test_rules
$(BUILD)/system/$(1)/%: tests/system/%.c
	@mkdir -p $$(@D)
	$(Q)$$(USERLAND_CC_$(1)) $$(USERLAND_CFLAGS) -o $$@ $$<

system-tests: $$(addprefix $(BUILD)/system/$(1)/,$(SYSTEM_TEST_PROGS))
endef

.PHONY: system-tests
system-tests:
$(foreach a,$(USER_ARCHES),$(eval $(call system_test_rules,$(a))))
