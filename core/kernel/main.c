/*
 * Boot of the core: core_main brings up memory, scheduling, time and
 * interrupts, then runs either the in-kernel tests (command line `ktest`
 * or `ktest=GLOBS`) or the services, each in a task of its own, and powers
 * the machine off when that task returns. Also the other boot-time
 * upcalls and <keel/boot.h>.
 *
 * Then core_main starts the secondary CPUs (all the machine has, or the
 * first N with `smp=N`); each enters the scheduler through
 * core_secondary_main and runs tasks from then on.
 */
#include <hal/hal.h>
#include <keel/boot.h>
#include <keel/ktest.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/time.h>

#include "kernel/cmdline.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "time/time.h"
#include "vdso/vdso_internal.h"

#define KEEL_BANNER "Keel framekernel (HAL v1)"

static const struct hal_boot_info *boot_info;

const char *boot_cmdline(void)
{
	return boot_info ? boot_info->cmdline : "";
}

bool boot_option(const char *key, const char **value, size_t *len)
{
	return cmdline_find(boot_cmdline(), key, value, len);
}

bool boot_initrd(const void **data, size_t *size)
{
	if (!boot_info || boot_info->initrd_size == 0)
		return false;
	*data = hal_phys_to_virt(boot_info->initrd_base);
	*size = (size_t)boot_info->initrd_size;
	return true;
}

void power_off(int status)
{
	kprintf("keel: power off, status %d\n", status);
	hal_power_off(status);
}

/* Applies loglevel=N; a bad value is reported and ignored. */
static void apply_loglevel(const char *cmdline)
{
	char buf[8];
	const char *v;
	size_t len;
	uint64_t level;

	if (!cmdline_find(cmdline, "loglevel", &v, &len))
		return;
	if (len >= sizeof(buf)) {
		pr_warn("boot: bad loglevel");
		return;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (kstrtou64(buf, 10, &level) != 0 || level > LOG_DEBUG) {
		pr_warn("boot: bad loglevel '%s' (0..3)", buf);
		return;
	}
	log_set_level((enum log_level)level);
}

/* smp=N: use at most N CPUs (N >= 1); the machine's all without it. A
 * bad value is reported and ignored. */
static unsigned cpus_wanted(const struct hal_boot_info *bi)
{
	char buf[8];
	const char *v;
	size_t len;
	uint64_t n;

	if (!cmdline_find(bi->cmdline, "smp", &v, &len))
		return bi->ncpus;
	if (len == 0 || len >= sizeof(buf)) {
		pr_warn("boot: bad smp= value");
		return bi->ncpus;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (kstrtou64(buf, 10, &n) != 0 || n == 0) {
		pr_warn("boot: bad smp=%s (a number >= 1)", buf);
		return bi->ncpus;
	}
	return n < bi->ncpus ? (unsigned)n : bi->ncpus;
}

/* How long the boot CPU waits for a started CPU to come online. */
#define CPU_ONLINE_WAIT_NS (10 * NSEC_PER_SEC)

/*
 * Starts CPUs 1 .. N-1 one after the other, each once the one before
 * schedules, so that the CPUs online are always 0 .. cpu_count() - 1 and
 * tasks may pin themselves to any of them. A CPU the HAL cannot start,
 * or one that does not come up in time, is reported and ends the list.
 */
static void start_secondaries(const struct hal_boot_info *bi)
{
	unsigned n = cpus_wanted(bi);

	for (unsigned i = 1; i < n && i < 64; i++) {
		uint64_t deadline = time_now_ns() + CPU_ONLINE_WAIT_NS;
		int err = hal_cpu_start(i);

		if (err) {
			pr_warn("cpu%u: cannot start it (error %d)", i, err);
			break;
		}
		while (!(cpu_online_mask() & (1ull << i)) &&
		       time_now_ns() < deadline)
			hal_cpu_relax();
		if (!(cpu_online_mask() & (1ull << i))) {
			pr_warn("cpu%u: started but did not come online", i);
			break;
		}
	}
	if (cpu_count() > 1)
		pr_info("%u CPUs schedule", cpu_count());
}

/* ktest=GLOBS: the filter (NULL for all), kept for the test task. */
static char ktest_filter[256];
static int ktest_failed;

static void ktest_task(void *arg)
{
	ktest_failed = ktest_run_all(arg);
}

static void services_task(void *arg)
{
	(void)arg;
	services_main();
}

/* Runs fn in a task of its own and waits for it; panics without memory. */
static void run_task_and_wait(const char *name, task_fn fn, void *arg)
{
	struct task *t = task_spawn(name, fn, arg);

	if (!t)
		panic("no memory for the %s task", name);
	task_join(t);
	task_put(t);
}

/* Runs the in-kernel tests if the command line asks; false if not. */
static bool maybe_run_ktests(const char *cmdline)
{
	const char *v;
	size_t len;

	if (!cmdline_find(cmdline, "ktest", &v, &len))
		return false;
	if (len >= sizeof(ktest_filter)) {
		/* Cut, it would select other tests than asked for. */
		kprintf("keel: ktest=: the filter is longer than %zu bytes\n",
			sizeof(ktest_filter) - 1);
		ktest_failed = 1;
		return true;
	}
	memcpy(ktest_filter, v, len);
	ktest_filter[len] = '\0';
	run_task_and_wait("ktest", ktest_task,
			  len ? ktest_filter : NULL);
	kprintf("keel: ktest done, %d failed\n", ktest_failed);
	return true;
}

/* A command line the backend had to cut would run programs with other
 * arguments than asked for (or none): refused, as init refuses one that
 * overflows its own store. */
static void refuse_cut_cmdline(const struct hal_boot_info *bi)
{
	if (!bi->cmdline_cut)
		return;
	kprintf("keel: bad command line: the command line is too long: this "
		"machine's boot path keeps only its first %zu bytes\n",
		kstrlen(bi->cmdline));
	power_off(1);
}

void core_main(const struct hal_boot_info *bi)
{
	boot_info = bi;
	refuse_cut_cmdline(bi);
	apply_loglevel(bi->cmdline);
	pr_info("%s, %u CPU%s, command line '%s'", KEEL_BANNER, bi->ncpus,
		bi->ncpus == 1 ? "" : "s", bi->cmdline);
	mm_init(bi);
	sched_init();
	time_init();
	loadavg_start();
	vdso_init();
	hal_irq_enable();
	start_secondaries(bi);
	if (maybe_run_ktests(bi->cmdline))
		power_off(ktest_failed ? 1 : 0);
	run_task_and_wait("services", services_task, NULL);
	power_off(0);
}

/* A secondary CPU (interrupts disabled): its timer, then the scheduler. */
void core_secondary_main(unsigned cpu)
{
	time_cpu_init();
	sched_secondary_enter(cpu);
}

void core_kernel_fault(const char *what, uintptr_t ip, uintptr_t addr)
{
	struct task *t = sched_stack_guard_owner(addr);

	if (t)
		panic("kernel stack overflow in task %u '%s' (%s at ip %#lx, "
		      "address %#lx in the guard below its stack)",
		      task_id(t), task_name(t), what, (unsigned long)ip,
		      (unsigned long)addr);
	panic("kernel fault: %s at ip %#lx, address %#lx", what,
	      (unsigned long)ip, (unsigned long)addr);
}
