/*
 * The machine user code runs on in the hosted backend, as the shared
 * x86-64 register-file code (hal/shared/uctx_x86_64.c) needs it: the host
 * Linux's user selectors, the MXCSR bits the CPU takes, and the XSAVE
 * features the kernel keeps in a context. Those are what the host kernel
 * enabled (XCR0) and saves in the stub's signal frames, limited to x87,
 * SSE, AVX and AVX-512 (the rest of the stub's frame is left as the host
 * wrote it); the area's size and layout come from CPUID leaf 0xD.
 */
#include "hosted.h"

#include <cpuid.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "../shared/uctx_x86_64.h"

/* The host Linux's __USER_CS and __USER_DS. */
#define HOST_USER_CS 0x33
#define HOST_USER_SS 0x2b

#define CPUID1_ECX_OSXSAVE (1u << 27)
#define XFEATURES_AVX512 \
	(XFEATURE_OPMASK | XFEATURE_ZMM_HI256 | XFEATURE_HI16_ZMM)
#define XFEATURES_KEPT \
	(XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX | XFEATURES_AVX512)

static struct x86_uctx_machine machine;
static pthread_once_t machine_once = PTHREAD_ONCE_INIT;

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* End of the last component of features in the standard XSAVE format. */
static uint32_t xsave_size(uint64_t features)
{
	uint32_t size = XSAVE_MIN_SIZE;

	for (unsigned i = 2; i < 64; i++) {
		uint32_t a, b, c, d;

		if (!(features & (1ull << i)))
			continue;
		__cpuid_count(0xd, i, a, b, c, d);
		if (b + a > size)
			size = b + a;
	}
	return size;
}

static uint64_t host_features(void)
{
	uint32_t a, b, c, d;
	uint64_t f;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & CPUID1_ECX_OSXSAVE))
		return 0;
	f = xgetbv0() & XFEATURES_KEPT;
	if ((f & (XFEATURE_X87 | XFEATURE_SSE)) !=
	    (XFEATURE_X87 | XFEATURE_SSE))
		return 0;
	if ((f & XFEATURES_AVX512) != XFEATURES_AVX512)
		f &= ~XFEATURES_AVX512; /* all three, or none */
	if (xsave_size(f) + 4 > HAL_UCTX_FPU_MAX)
		f &= ~XFEATURES_AVX512;
	return f;
}

static void machine_probe(void)
{
	uint8_t fx[512] __attribute__((aligned(16))) = { 0 };
	uint32_t mask;

	__asm__ volatile("fxsave64 %0" : "=m"(fx));
	__builtin_memcpy(&mask, fx + FX_MXCSR_MASK, sizeof(mask));
	machine.mxcsr_mask = mask ? mask : 0xffbf;
	machine.features = host_features();
	machine.fpu_size = machine.features ? xsave_size(machine.features) :
					      FX_SIZE;
	machine.user_cs = HOST_USER_CS;
	machine.user_ss = HOST_USER_SS;
}

const struct x86_uctx_machine *x86_uctx_machine(void)
{
	pthread_once(&machine_once, machine_probe);
	return &machine;
}
