#!/usr/bin/env bash
# Boot tests of the bare-metal x86_64 kernel: the image is a PVH-bootable
# ELF with an embedded symbol table, and it boots and passes the in-kernel
# tests on every machine shape the backend claims to handle: QEMU pc and
# q35, without an HPET (TSC clock calibrated by the PIT), with RAM above
# 4 GiB (direct map grown past the device window), on a CPU with SMEP and
# SMAP (-cpu max: the isolation ktests must not skip there), and with 2 and 4 CPUs (the MADT's count in the banner,
# every AP started by the core and scheduling).
# The CMOS wall clock is checked against a date given with -rtc base=.
# Also prints the time from QEMU's start to the first KTAP line.
#
# usage: tests/boot/x86_64/run.sh [BUILD_DIR]   (default $KEEL_BUILD or build)
# Prints TAP; exits 1 if any test failed. TCG only: never uses KVM.
set -uo pipefail
cd "$(dirname "$0")/../../.."
build=${1:-${KEEL_BUILD:-build}}
elf=$build/x86_64/keel.elf
qemu=qemu-system-x86_64
n=0
failed=0

result() { # result OK NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2${3:+ # $3}"
		failed=$((failed + 1))
	fi
}

if [ ! -f "$elf" ]; then
	echo "Bail out! $elf missing: run make BUILD=$build baremetal"
	exit 1
fi
echo "TAP version 13"
echo "1..11"

# The PVH entry note (type 18, owner Xen) and a real symbol table.
readelf -nW "$elf" | grep -q 'Xen.*0x00000012'
result $? "image has the XEN_ELFNOTE_PHYS32_ENTRY note"
nsyms=$(objdump -h "$elf" | awk '$2 == ".ksyms" { print $3 }')
nsyms=$((16#${nsyms:-0}))
[ "$nsyms" -gt 4096 ]
result $? "image embeds a symbol table (.ksyms $nsyms bytes)"

# boot NAME QEMU_ARGS...: runs the ktests, checks the status line. With
# guards=1: the CPU has SMEP and SMAP, so no isolation test may skip.
boot() {
	local name=$1 out skipped=""
	shift
	out=$(timeout 120 "$qemu" -kernel "$elf" -append ktest -accel tcg \
		-serial stdio -display none -monitor none -no-reboot -m 256M \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" 2>&1)
	if [ "${guards:-0}" = 1 ]; then
		skipped=$(grep -m1 'ok [0-9]* isolation\..*# SKIP' <<<"$out")
	fi
	if [ -n "$skipped" ]; then
		result 1 "$name" "$skipped"
	elif grep -q '^keel: power off, status 0$' <<<"$out" &&
	   grep -q '^# ktest: [0-9]* passed, 0 failed' <<<"$out"; then
		result 0 "$name"
	else
		result 1 "$name" "$(grep -m1 -E 'not ok|PANIC|fault|failed' \
			<<<"$out")"
	fi
}

boot "ktest on pc" -machine pc
boot "ktest on q35" -machine q35
boot "ktest without an HPET" -machine pc,hpet=off
boot "ktest with 5 GiB of RAM" -m 5G
guards=1 boot "ktest with SMEP/SMAP (-cpu max)" -cpu max

# smp N: the ktests with N CPUs; the banner counts them and the core says
# that every AP reached core_secondary_main and schedules.
smp() {
	local ncpus=$1 out missing=""
	out=$(timeout 180 "$qemu" -kernel "$elf" -append ktest -accel tcg \
		-serial stdio -display none -monitor none -no-reboot -m 256M \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -smp "$ncpus" 2>&1)
	grep -q "Keel framekernel.*, $ncpus CPUs," <<<"$out" || missing="banner"
	# Counted by the core as they enter the scheduler.
	grep -q "INFO $ncpus CPUs schedule" <<<"$out" ||
		missing="$missing the line '$ncpus CPUs schedule'"
	if [ -z "$missing" ] &&
	   grep -q '^keel: power off, status 0$' <<<"$out" &&
	   grep -q '^# ktest: [0-9]* passed, 0 failed' <<<"$out"; then
		result 0 "ktest with $ncpus CPUs, all started"
	else
		result 1 "ktest with $ncpus CPUs, all started" "${missing:-$(grep \
			-m1 -E 'not ok|PANIC|fault|failed' <<<"$out")}"
	fi
}

smp 2
smp 4
boot "ktest with 4 CPUs on q35 with -cpu max" -machine q35 -cpu max -smp 4

# The wall clock: the CMOS RTC started at a known date (its Unix time
# below) is what the kernel reads at boot, give or take QEMU's start-up.
rtc_base=2031-07-04T15:16:17 rtc_unix=1940944577 rtc_slack=600
out=$(timeout 120 "$qemu" -kernel "$elf" -append ktest=time -accel tcg \
	-serial stdio -display none -monitor none -no-reboot -m 256M \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-rtc base=$rtc_base 2>&1)
wall=$(sed -n 's/.*time: wall clock \([0-9]*\) s since the epoch.*/\1/p' \
	<<<"$out")
[ -n "$wall" ] && [ "$wall" -ge $rtc_unix ] &&
	[ "$wall" -lt $((rtc_unix + rtc_slack)) ] &&
	grep -q '^keel: ktest done, 0 failed' <<<"$out"
result $? "CMOS wall clock reads -rtc base=$rtc_base" "wall clock ${wall:-none}, want $rtc_unix"

# Boot time: QEMU start to the first KTAP line (informational).
python3 - "$qemu" "$elf" <<'PY'
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen([sys.argv[1], "-kernel", sys.argv[2], "-append", "ktest",
                      "-accel", "tcg", "-serial", "stdio", "-display", "none",
                      "-monitor", "none", "-no-reboot", "-m", "256M", "-device",
                      "isa-debug-exit,iobase=0xf4,iosize=0x04"],
                     stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
first = None
for line in p.stdout:
    if first is None and line.startswith(b"KTAP"):
        first = time.monotonic() - t0
p.wait()
print("# boot to first KTAP line: %s" %
      ("%.3f s" % first if first is not None else "never"))
PY
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
