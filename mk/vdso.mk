# The vDSO (core/vdso/user/): per user architecture a small position-
# independent shared object, $(BUILD)/vdso/<arch>/vdso.so, checked by
# scripts/check-vdso (ET_DYN, no relocations, nothing writable) and
# embedded into the kernel as a page-aligned blob (vdso_blob.o:
# vdso_image_start .. vdso_image_end), which core/vdso/vdso.c maps into
# every process. Built with the same compilers as the user programs.

VDSO_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wmissing-prototypes -O2 \
	-fPIC -ffreestanding -fno-builtin -fno-stack-protector \
	-fvisibility=hidden -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-jump-tables -DKEEL_CORE -Icore -Ihal/include
VDSO_LDFLAGS := -nostdlib -shared -Wl,-T,core/vdso/user/vdso.lds \
	-Wl,--hash-style=both -Wl,-soname=linux-vdso.so.1 -Wl,-Bsymbolic \
	-Wl,--no-undefined -Wl,-z,max-page-size=4096 -Wl,--build-id=sha1
VDSO_ARCH_CFLAGS_x86_64 := -fcf-protection=none
VDSO_ARCH_CFLAGS_riscv64 := -march=rv64gc -mabi=lp64d -mcmodel=medany
# The blob is linked into the kernel: the kernel's ABI (riscv64: soft-float).
VDSO_BLOB_FLAGS_riscv64 := -march=rv64imac_zicsr_zifencei -mabi=lp64
VDSO_CC_x86_64 := $(CC)
VDSO_CC_riscv64 := riscv64-linux-gnu-gcc

define vdso_arch_rules
VDSO_DIR_$(1) := $(BUILD)/vdso/$(1)
VDSO_BLOB_$(1) := $(BUILD)/vdso/$(1)/vdso_blob.o
VDSO_SRCS_$(1) := core/vdso/user/vdso_time.c \
	$$(sort $$(wildcard core/vdso/user/$(1)/*.c core/vdso/user/$(1)/*.S))

$$(VDSO_DIR_$(1))/vdso.so: $$(VDSO_SRCS_$(1)) core/vdso/user/vdso.h \
		core/vdso/user/$(1)/vdso_arch.h core/vdso/vvar.h \
		hal/include/hal/hal.h core/vdso/user/vdso.lds \
		core/vdso/user/$(1)/vdso.ver scripts/check-vdso
	@mkdir -p $$(@D)
	$(Q)$$(VDSO_CC_$(1)) $$(VDSO_CFLAGS) $$(VDSO_ARCH_CFLAGS_$(1)) \
		-Icore/vdso/user/$(1) $$(VDSO_LDFLAGS) \
		-Wl,--version-script=core/vdso/user/$(1)/vdso.ver \
		-o $$@.tmp $$(VDSO_SRCS_$(1))
	$(Q)scripts/check-vdso $$@.tmp
	$(Q)mv $$@.tmp $$@

$$(VDSO_DIR_$(1))/vdso_blob.S: $$(VDSO_DIR_$(1))/vdso.so
	$(Q)printf '%s\n' '	.section .rodata.vdso, "a"' '	.balign 4096' \
		'	.globl vdso_image_start, vdso_image_end' \
		'vdso_image_start:' '	.incbin "$$<"' 'vdso_image_end:' \
		'	.section .note.GNU-stack, "", @progbits' > $$@
$$(VDSO_BLOB_$(1)): $$(VDSO_DIR_$(1))/vdso_blob.S
	$(Q)$$(VDSO_CC_$(1)) $$(VDSO_BLOB_FLAGS_$(1)) -c $$< -o $$@
endef

$(eval $(call vdso_arch_rules,x86_64))
ifneq ($(shell command -v riscv64-linux-gnu-gcc 2>/dev/null),)
$(eval $(call vdso_arch_rules,riscv64))
endif
