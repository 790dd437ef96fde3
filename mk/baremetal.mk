# Bare-metal targets: each fragment builds build/<arch>/keel.elf (core +
# hal/baremetal + services, freestanding) for QEMU. `make baremetal` builds
# every target whose cross toolchain is installed.
.PHONY: baremetal
-include mk/x86_64.mk
-include mk/riscv64.mk
