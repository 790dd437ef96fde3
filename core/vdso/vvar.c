/*
 * The vvar page's writer: the clock description the HAL gives
 * (hal_clock_sync) and the realtime offset, published under the page's
 * sequence count so that the vDSO (core/vdso/user/vdso_time.c) always
 * reads one consistent snapshot. One writer at a time (vvar_lock, taken
 * with interrupts off: the timer interrupt writes too).
 *
 * The sequence is made odd before hal_clock_sync samples the counter, and
 * a full fence keeps the sample after it: a vDSO reader whose snapshot
 * was the old description read the counter before the new base, so what
 * it returned is at most what any later reader (vDSO or system call)
 * returns: the mix of both never goes backwards.
 */
#include <hal/hal.h>
#include <keel/sync.h>
#include <keel/time.h>

#include "time/time.h"
#include "vdso/vdso_internal.h"

#define SYNC_EVERY_NS NSEC_PER_MSEC

static struct vvar_data *vvar;
static struct spinlock vvar_lock;
static uint64_t last_sync_ns;

void vvar_write_begin(struct vvar_data *vd)
{
	__atomic_store_n(&vd->seq, vd->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void vvar_write_end(struct vvar_data *vd)
{
	__atomic_store_n(&vd->seq, vd->seq + 1, __ATOMIC_RELEASE);
}

void vvar_store_clock(struct vvar_data *vd, const struct hal_clock_desc *d)
{
	hal_clock_desc_store(&vd->clock, d);
}

void vvar_store_offsets(struct vvar_data *vd, uint64_t realtime_offset_ns,
			uint64_t boottime_offset_ns)
{
	__atomic_store_n(&vd->realtime_offset_ns, realtime_offset_ns,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&vd->boottime_offset_ns, boottime_offset_ns,
			 __ATOMIC_RELAXED);
}

/* With vvar_lock held: the HAL's clock, republished if it changed. */
static void sync_locked(void)
{
	struct hal_clock_desc d;

	vvar_write_begin(vvar);
	if (hal_clock_sync(&d))
		vvar_store_clock(vvar, &d);
	vvar_write_end(vvar);
	__atomic_store_n(&last_sync_ns, hal_clock_ns(), __ATOMIC_RELAXED);
}

void vvar_init(struct vvar_data *vd)
{
	unsigned long irq;

	spin_init(&vvar_lock, "vvar");
	vvar = vd;
	vdso_publish_realtime();
	irq = hal_irq_save();
	spin_lock(&vvar_lock);
	sync_locked();
	spin_unlock(&vvar_lock);
	hal_irq_restore(irq);
}

void vdso_clock_sync(void)
{
	unsigned long irq;

	if (!vvar || hal_clock_ns() - __atomic_load_n(&last_sync_ns,
						       __ATOMIC_RELAXED) <
			     SYNC_EVERY_NS)
		return;
	irq = hal_irq_save();
	if (spin_trylock(&vvar_lock)) {
		sync_locked();
		spin_unlock(&vvar_lock);
	}
	hal_irq_restore(irq);
}

void vdso_publish_realtime(void)
{
	unsigned long irq;

	if (!vvar)
		return;
	irq = hal_irq_save();
	spin_lock(&vvar_lock);
	vvar_write_begin(vvar);
	vvar_store_offsets(vvar, time_realtime_offset_ns(), 0);
	vvar_write_end(vvar);
	spin_unlock(&vvar_lock);
	hal_irq_restore(irq);
}
