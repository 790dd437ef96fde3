#!/usr/bin/env bash
# Boot tests of the riscv64 bare-metal kernel, as TAP, for the runner's
# boot suite (keel test boot --target riscv64): device-tree reader fuzzing,
# boot time, 4 harts, an overlong command line, user FP state. The tests
# themselves are tests/boot/riscv64/run; this builds their helper programs
# first (fdt_fuzz for the host, fp_regs for riscv64: `make baremetal` does
# not build them), then runs it. About 10 s under TCG here.
#
# usage: tests/boot/riscv64/run.sh [BUILD_DIR]   (default $KEEL_BUILD or build)
# Prints TAP; exits 1 if any test failed. TCG only: never uses KVM.
set -uo pipefail
cd "$(dirname "$0")/../../.."
build=${1:-${KEEL_BUILD:-build}}
build=${build%/}
# The runner passes an absolute path; make's targets are named after BUILD
# as the Makefile is usually given it, relative to the repository.
build=${build#"$PWD"/}
rv=$build/riscv64

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# A make above us (make test) must not lend us its jobserver or flags.
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory \
	BUILD="$build" "$rv/tests/fdt_fuzz" "$rv/tests/fp_regs" >"$log" 2>&1
then
	sed 's/^/# /' "$log" | tail -20
	echo "Bail out! could not build the boot-test helpers:" \
		"make BUILD=$build $rv/tests/fdt_fuzz $rv/tests/fp_regs"
	exit 1
fi
exec python3 tests/boot/riscv64/run "$build"
