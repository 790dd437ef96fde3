# Build-time checks of the Linux ABI that services/ writes down by hand,
# against what the toolchains' Linux headers say (see docs/syscalls.md):
#
#   $(BUILD)/checks/syscalls-<arch>.ok   the arch's system call list
#       (services/arch/<arch>/include/svc/syscall_list.h) against
#       <asm/unistd.h> and libseccomp (scripts/check-syscalls)
#
# Any mismatch fails the build: the syscall table of every kernel is built
# after its list's check (table.o depends on the stamp).

define check_arch_rules
$(CHK)/syscalls-$(1).ok: services/arch/$(1)/include/svc/syscall_list.h \
		scripts/check-syscalls
	@mkdir -p $$(@D)
	$(Q)scripts/check-syscalls --arch $(1) --cc "$$(USER_CC_$(1))" \
		--stamp $$@ $$<

checks: $(CHK)/syscalls-$(1).ok
endef

.PHONY: checks
$(foreach a,$(USER_ARCHES),$(eval $(call check_arch_rules,$(a))))
