/*
 * riscv64 user FP state across traps: `fp_regs SEED N` fills f0-f31 and
 * fcsr with values derived from SEED, then N times burns CPU with integer
 * code (long enough to be preempted), makes system calls and yields, and
 * checks that every FP register and fcsr still holds its value. Several
 * of them run at once (run=par) with different seeds, so a backend that
 * loses or mixes up FP state between user contexts fails. Exits 0 if all
 * held, 1 otherwise. Built with the tests/user runtime (rv64gc).
 */
#include <user.h>

static double in[32], out[32];
static volatile unsigned long sink;

static void load_all(const double *p, unsigned long fcsr)
{
	__asm__ volatile(
		"fld f0,0(%0)\n fld f1,8(%0)\n fld f2,16(%0)\n fld f3,24(%0)\n"
		"fld f4,32(%0)\n fld f5,40(%0)\n fld f6,48(%0)\n fld f7,56(%0)\n"
		"fld f8,64(%0)\n fld f9,72(%0)\n fld f10,80(%0)\n fld f11,88(%0)\n"
		"fld f12,96(%0)\n fld f13,104(%0)\n fld f14,112(%0)\n fld f15,120(%0)\n"
		"fld f16,128(%0)\n fld f17,136(%0)\n fld f18,144(%0)\n fld f19,152(%0)\n"
		"fld f20,160(%0)\n fld f21,168(%0)\n fld f22,176(%0)\n fld f23,184(%0)\n"
		"fld f24,192(%0)\n fld f25,200(%0)\n fld f26,208(%0)\n fld f27,216(%0)\n"
		"fld f28,224(%0)\n fld f29,232(%0)\n fld f30,240(%0)\n fld f31,248(%0)\n"
		"fscsr %1\n" :: "r"(p), "r"(fcsr) : "memory");
}

static unsigned long save_all(double *p)
{
	unsigned long fcsr;
	__asm__ volatile(
		"fsd f0,0(%1)\n fsd f1,8(%1)\n fsd f2,16(%1)\n fsd f3,24(%1)\n"
		"fsd f4,32(%1)\n fsd f5,40(%1)\n fsd f6,48(%1)\n fsd f7,56(%1)\n"
		"fsd f8,64(%1)\n fsd f9,72(%1)\n fsd f10,80(%1)\n fsd f11,88(%1)\n"
		"fsd f12,96(%1)\n fsd f13,104(%1)\n fsd f14,112(%1)\n fsd f15,120(%1)\n"
		"fsd f16,128(%1)\n fsd f17,136(%1)\n fsd f18,144(%1)\n fsd f19,152(%1)\n"
		"fsd f20,160(%1)\n fsd f21,168(%1)\n fsd f22,176(%1)\n fsd f23,184(%1)\n"
		"fsd f24,192(%1)\n fsd f25,200(%1)\n fsd f26,208(%1)\n fsd f27,216(%1)\n"
		"fsd f28,224(%1)\n fsd f29,232(%1)\n fsd f30,240(%1)\n fsd f31,248(%1)\n"
		"frcsr %0\n" : "=r"(fcsr) : "r"(p) : "memory");
	return fcsr;
}

int main(int argc, char **argv)
{
	long seed = argc > 1 ? parse_long(argv[1], 1) : 1;
	long n = argc > 2 ? parse_long(argv[2], 5) : 5;
	unsigned long fcsr = (unsigned long)(seed & 7) << 5 | (seed & 0x1f);
	double sum = 0;

	for (int i = 0; i < 32; i++)
		in[i] = (double)seed * 1000.0 + i + 0.25;
	for (long r = 0; r < n; r++) {
		load_all(in, fcsr);
		for (unsigned long i = 0; i < 3000000; i++)
			sink = sink * 3 + i;	/* integer only */
		sys_getpid();
		sys_sched_yield();
		unsigned long got = save_all(out);
		for (int i = 0; i < 32; i++) {
			if (memcmp(&in[i], &out[i], 8)) {
				uprintf("fp %ld: f%d changed\n", seed, i);
				return 1;
			}
		}
		if (got != fcsr) {
			uprintf("fp %ld: fcsr %lx != %lx\n", seed, got, fcsr);
			return 1;
		}
	}
	for (int i = 0; i < 32; i++)
		sum += in[i] * 0.5;	/* real FP arithmetic too */
	uprintf("fp %ld ok %ld\n", seed, (long)sum);
	return 0;
}
