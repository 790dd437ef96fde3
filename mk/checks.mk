# Build-time checks of the Linux ABI that services/ writes down by hand,
# against what the toolchains' Linux headers say (see docs/syscalls.md):
#
#   $(BUILD)/checks/syscalls-<arch>.ok   the arch's system call list
#       (services/arch/<arch>/include/svc/syscall_list.h) against
#       <asm/unistd.h> and libseccomp (scripts/check-syscalls)
#   $(BUILD)/checks/uapi-<arch>.ok       the constants and structure
#       layouts of services/include/uapi/ and services/arch/<arch>/include/
#       uapi/ against the Linux UAPI headers (scripts/check-uapi,
#       tests/uapi/: compiled with the arch's compiler, never run)
#   $(BUILD)/checks/syscall-docs.ok      docs/syscalls.md is what
#       scripts/gen-syscall-docs makes of the lists, the handlers (and
#       their Partial: notes) and the tests that name each call
#
# Any mismatch fails the build: the syscall table of every kernel is built
# after its list's check (table.o depends on the stamp).

define check_arch_rules
$(CHK)/syscalls-$(1).ok: services/arch/$(1)/include/svc/syscall_list.h \
		scripts/check-syscalls
	@mkdir -p $$(@D)
	$(Q)scripts/check-syscalls --arch $(1) --cc "$$(USER_CC_$(1))" \
		--stamp $$@ $$<

$(CHK)/uapi-$(1).ok: scripts/check-uapi $(wildcard tests/uapi/*.h) \
		$(wildcard services/include/uapi/*.h) \
		$(wildcard services/arch/$(1)/include/uapi/*.h)
	@mkdir -p $$(@D)
	$(Q)scripts/check-uapi --arch $(1) --cc "$$(USER_CC_$(1))" --stamp $$@

checks: $(CHK)/syscalls-$(1).ok $(CHK)/uapi-$(1).ok
endef

.PHONY: checks
$(foreach a,$(USER_ARCHES),$(eval $(call check_arch_rules,$(a))))

# docs/syscalls.md, generated from the lists and the SYSCALL_DEFINEs;
# the build checks that it is up to date (make syscall-docs rewrites it).
.PHONY: syscall-docs
syscall-docs:
	$(Q)scripts/gen-syscall-docs > docs/syscalls.md

$(CHK)/syscall-docs.ok: scripts/gen-syscall-docs docs/syscalls.md \
		$(shell find services -name '*.c') \
		$(wildcard services/arch/*/include/svc/syscall_list.h) \
		$(wildcard tests/abi/*.c tests/user/*.c tests/unit/test_*.c) \
		$(wildcard tests/abi/include/*.h tests/user/include/*.h)
	@mkdir -p $(@D)
	$(Q)scripts/gen-syscall-docs --check docs/syscalls.md && touch $@

checks: $(CHK)/syscall-docs.ok
