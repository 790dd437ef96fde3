/*
 * Register copies of the stub: between the signal frame a stub thread's
 * handler got (the interrupted user code's state) and the context slot
 * the kernel reads and writes. General registers by name (the shared
 * x86-64 register table), the FP state as far as the kernel keeps it
 * (fpu_size / fpu_features in the header), and the FS base with
 * arch_prctl when it changed. Also the stub's memcpy / memset.
 */
#pragma GCC visibility push(hidden)

#include "stub.h"

#include <asm/prctl.h>
#include <asm/unistd.h>

/* The fxsave image and XSAVE area inside the signal frame. */
#define FX_MXCSR_MASK 28   /* kept from the frame */
#define FX_LEGACY_SIZE 416 /* x87 + MXCSR + XMM0-15 */
#define FX_SW_MAGIC 464    /* struct _fpx_sw_bytes.magic1 */
#define FX_SW_XSTATE_SIZE 480
#define XSAVE_XSTATE_BV 512
#define XSAVE_EXTENDED 576 /* after the XSAVE header */

/* rep movsb: the register file (up to a few KiB of XSAVE state) is
 * copied twice per trap, so a byte loop would cost microseconds. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n)
			 : "a"(c)
			 : "memory");
	return dst;
}

/* Does the frame's FP area hold an XSAVE area of at least size bytes? */
static int frame_has_xsave(const char *fx, uint32_t size)
{
	uint32_t magic, xsize;

	memcpy(&magic, fx + FX_SW_MAGIC, sizeof(magic));
	memcpy(&xsize, fx + FX_SW_XSTATE_SIZE, sizeof(xsize));
	return magic == FP_XSTATE_MAGIC1 && xsize >= size;
}

static uint64_t load_bv(const char *area)
{
	uint64_t bv;

	memcpy(&bv, area + XSAVE_XSTATE_BV, sizeof(bv));
	return bv;
}

/* The frame's FP state into r: the legacy image, and with XSAVE the
 * header and extended state up to the size the kernel keeps. */
static void save_fpu(struct hal_uctx *r, const struct k_ucontext *uc)
{
	const struct stub_header *h = STUB_HDR;
	const char *fx = (const char *)uc->mc.fpstate;
	uint64_t bv;

	if (!fx)
		return;
	memcpy(r->fpu, fx, FX_LEGACY_SIZE);
	if (!h->fpu_features)
		return;
	if (frame_has_xsave(fx, h->fpu_size)) {
		memcpy(r->fpu + XSAVE_XSTATE_BV, fx + XSAVE_XSTATE_BV,
		       h->fpu_size - XSAVE_XSTATE_BV);
		bv = load_bv(fx) & h->fpu_features;
	} else {
		bv = 3; /* only x87 and SSE came */
	}
	memset(r->fpu + XSAVE_XSTATE_BV, 0, XSAVE_EXTENDED - XSAVE_XSTATE_BV);
	memcpy(r->fpu + XSAVE_XSTATE_BV, &bv, sizeof(bv));
}

void stub_save_regs(struct hal_uctx *r, const struct k_ucontext *uc,
		    uint64_t fs_base)
{
	const struct sigcontext *mc = &uc->mc;

#define SAVE_GPR(name) r->name = mc->name;
	HAL_X86_64_GPRS(SAVE_GPR)
#undef SAVE_GPR
	r->fs_base = fs_base;
	save_fpu(r, uc);
}

/*
 * r's FP state into the frame. The frame's software bytes (its format)
 * stay as the host wrote them; state of features the kernel does not
 * keep stays as the frame has it. x87 and SSE are always marked present:
 * else sigreturn would reset them and ignore what we wrote.
 */
static void load_fpu(const struct hal_uctx *r, struct k_ucontext *uc)
{
	const struct stub_header *h = STUB_HDR;
	char *fx = (char *)uc->mc.fpstate;
	uint32_t magic;
	uint64_t bv;

	if (!fx)
		return;
	memcpy(fx, r->fpu, FX_MXCSR_MASK);
	memcpy(fx + FX_MXCSR_MASK + 4, r->fpu + FX_MXCSR_MASK + 4,
	       FX_LEGACY_SIZE - FX_MXCSR_MASK - 4);
	memcpy(&magic, fx + FX_SW_MAGIC, sizeof(magic));
	if (magic != FP_XSTATE_MAGIC1)
		return;
	bv = load_bv(fx) | 3;
	if (h->fpu_features && frame_has_xsave(fx, h->fpu_size)) {
		bv = (bv & ~h->fpu_features) |
		     (load_bv((const char *)r->fpu) & h->fpu_features) | 3;
		memcpy(fx + XSAVE_EXTENDED, r->fpu + XSAVE_EXTENDED,
		       h->fpu_size - XSAVE_EXTENDED);
	}
	memcpy(fx + XSAVE_XSTATE_BV, &bv, sizeof(bv));
}

void stub_load_regs(const struct hal_uctx *r, struct k_ucontext *uc,
		    uint64_t *fs_loaded)
{
	struct sigcontext *mc = &uc->mc;

#define LOAD_GPR(name) mc->name = r->name;
	HAL_X86_64_GPRS(LOAD_GPR)
#undef LOAD_GPR
	load_fpu(r, uc);
	if (r->fs_base != *fs_loaded) {
		/* The kernel sanitised nothing here: a bad base makes this
		 * fail and user code fault on its first %fs access. The FS
		 * base is per thread on the host too. */
		stub_sys3(__NR_arch_prctl, ARCH_SET_FS, r->fs_base, 0);
		*fs_loaded = r->fs_base;
	}
}
