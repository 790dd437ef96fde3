# Keel top-level build. Objects go to build/<target>/, nothing in the tree.
#
#   make            hosted kernel, stub and user test programs
#   make run        boot the hosted kernel and run the demo program
#   make test       every test suite (lint, unit under Valgrind, ktest,
#                   user mode on every target), ending "N passed, N failed"
#   make lint       the framekernel boundary check and the TCB share
#   make bench      microbenchmarks (ratios against references)
#   make compile_commands.json   for clangd (uses bear)
#
# Missing Debian packages are installed by scripts/setup-deps (idempotent,
# silent when nothing is missing), which run and test call first.

BUILD ?= build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
GCC_INC := $(shell $(CC) -print-file-name=include)

WARN := -std=gnu11 -Wall -Wextra -Werror -Wstrict-prototypes \
	-Wmissing-prototypes -Wundef -Wpointer-arith -Wno-unused-parameter

# Flags every piece of kernel code shares (core, HAL, services).
KERNEL_BASE_CFLAGS := $(WARN) -g -O2 -fno-omit-frame-pointer \
	-fno-strict-aliasing -MMD -MP

# Freestanding: the core and services never see libc headers.
FREESTANDING := -ffreestanding -nostdinc -isystem $(GCC_INC)

CORE_INC := -Icore/include -Icore -Ihal/include
SERVICES_INC := -Icore/include -Iservices/include

# Source sets shared by every target.
CORE_SRCS := $(shell find core -name '*.c' -not -path 'core/include/*' | sort)
SERVICES_SRCS := $(shell find services -name '*.c' -not -path '*/arch/*' | sort)

.PHONY: all run test lint bench deps clean compile_commands.json
all: hosted user

deps:
	$(Q)scripts/setup-deps

include mk/hosted.mk
include mk/user.mk
-include mk/baremetal.mk

run: deps all
	$(Q)runner/keel run -- $(DEMO_PROGRAM)

test: deps
	$(Q)runner/keel test

lint: deps
	$(Q)runner/keel-lint

bench: deps all
	$(Q)runner/keel bench

compile_commands.json: deps
	$(Q)$(MAKE) clean
	$(Q)bear -- $(MAKE) all

clean:
	rm -rf $(BUILD)
